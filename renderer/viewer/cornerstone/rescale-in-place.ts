/**
 * In-place modality rescale of a 16-bit slice for the local-file loader (dicom-file-loader.ts): no Cornerstone
 * imports, so it is unit-tested under Node.
 */

/**
 * Rescales `raw` (stored values) in place: the result is an Int16Array or Uint16Array over the same buffer, or
 * undefined when the rescaled range needs another type (then the library loads the slice).
 */
export function rescaleInPlace(
  raw: Int16Array | Uint16Array,
  slope: number,
  intercept: number,
  wantType?: string,
): { pixels: Int16Array | Uint16Array; min: number; max: number } | undefined {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const a = lo * slope + intercept,
    b = hi * slope + intercept;
  const min = Math.min(a, b),
    max = Math.max(a, b);
  // The type the library would pick for these values (getPixelDataTypeFromMinMax), or the volume's own type.
  const natural =
    min >= 0
      ? max <= 255
        ? 'Uint8Array'
        : max <= 65535
          ? 'Uint16Array'
          : ''
      : min >= -128 && max <= 127
        ? 'Int8Array'
        : min >= -32768 && max <= 32767
          ? 'Int16Array'
          : '';
  const type = wantType ?? natural;
  const fits =
    type === 'Int16Array'
      ? min >= -32768 && max <= 32767
      : type === 'Uint16Array'
        ? min >= 0 && max <= 65535
        : false;
  if (!fits) return undefined;
  const out =
    type === 'Int16Array'
      ? new Int16Array(raw.buffer, raw.byteOffset, raw.length)
      : new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
  if (slope !== 1 || intercept !== 0 || out.constructor !== raw.constructor) {
    for (let i = 0; i < raw.length; i++) out[i] = raw[i] * slope + intercept;
  }
  return { pixels: out, min, max };
}
