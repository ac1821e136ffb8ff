/**
 * Splits a `multipart/related` body (WADO-RS responses, RFC 2387 / DICOM PS3.18 §8.7.3) into its parts' bytes.
 */

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary="?([^";,]+)"?/i.exec(contentType);
  return m?.[1];
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Bodies of every part (headers stripped). Throws when the body has no part with the boundary. */
export function splitMultipart(body: Uint8Array, boundary: string): Uint8Array[] {
  const enc = new TextEncoder();
  const delim = enc.encode(`--${boundary}`);
  const crlf2 = enc.encode('\r\n\r\n');
  const parts: Uint8Array[] = [];
  let pos = indexOf(body, delim, 0);
  while (pos >= 0) {
    const afterDelim = pos + delim.length;
    if (body[afterDelim] === 0x2d && body[afterDelim + 1] === 0x2d) break; // closing "--boundary--"
    const headerEnd = indexOf(body, crlf2, afterDelim);
    if (headerEnd < 0) break;
    const start = headerEnd + 4;
    const next = indexOf(body, delim, start);
    if (next < 0) break;
    // the CRLF before the next delimiter belongs to the delimiter
    const end = next >= 2 && body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push(body.subarray(start, end));
    pos = next;
  }
  if (parts.length === 0) throw new Error('multipart response without parts');
  return parts;
}
