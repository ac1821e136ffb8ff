/**
 * Siemens CSA header reader (private elements (0029,xx10)/(0029,xx20), "SV10" = CSA2 and the older CSA1 layout):
 * element name → string values. Layout as documented by nibabel (`nibabel/nicom/csareader.py`, MIT).
 *
 * @packageDocumentation
 */

/** Parses a CSA header; returns undefined when the bytes are not one. Values are trimmed strings. */
export function readCsaHeader(bytes: Uint8Array): Record<string, string[]> | undefined {
  if (bytes.length < 16) return undefined;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const csa2 = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) === 'SV10';
  let p = csa2 ? 8 : 0;
  const nTags = dv.getUint32(p, true);
  if (nTags < 1 || nTags > 512) return undefined;
  p += 8;
  const out: Record<string, string[]> = {};
  const dec = new TextDecoder('latin1');
  for (let t = 0; t < nTags; t++) {
    if (p + 84 > bytes.length) return out;
    const rawName = bytes.subarray(p, p + 64);
    const nul = rawName.indexOf(0);
    const name = dec.decode(rawName.subarray(0, nul < 0 ? 64 : nul));
    const nItems = dv.getInt32(p + 76, true);
    p += 84;
    if (nItems < 0 || nItems > 10000) return out;
    const values: string[] = [];
    for (let i = 0; i < nItems; i++) {
      if (p + 16 > bytes.length) return out;
      const len = dv.getInt32(p + 4, true);
      p += 16;
      if (len < 0 || p + len > bytes.length) return out;
      const v = dec
        .decode(bytes.subarray(p, p + len))
        .replace(/\0.*$/s, '')
        .trim();
      if (v) values.push(v);
      p += csa2 ? Math.ceil(len / 4) * 4 : len;
    }
    out[name] = values;
  }
  return out;
}
