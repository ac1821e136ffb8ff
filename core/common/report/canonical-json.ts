/**
 * Canonical JSON of report content, the text a report signature hashes: object keys sorted by UTF-16 code unit,
 * no whitespace, `undefined` members left out, non-finite numbers and -0 written the way JSON.stringify stores them
 * (null, 0) so a report reads back from JSON storage with the same hash.
 */

/** A value {@link canonicalJson} accepts: JSON data (plain objects, arrays, strings, numbers, booleans, null). */
export type CanonicalValue =
  | null
  | boolean
  | number
  | string
  | undefined
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

function encode(v: unknown, path: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v === 0 ? 0 : v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'object': {
      if (Array.isArray(v))
        return `[${v.map((x, i) => (x === undefined ? 'null' : encode(x, `${path}[${i}]`))).join(',')}]`;
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(
          `canonicalJson: ${path} is not plain data (${Object.prototype.toString.call(v)})`,
        );
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(o[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof v}, not JSON data`);
  }
}

/**
 * The canonical JSON text of `value`. Throws a TypeError naming the path of anything that is not plain JSON data
 * (typed arrays, Maps, Dates, functions, bigint), so nothing is hashed that would not survive storage.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}
