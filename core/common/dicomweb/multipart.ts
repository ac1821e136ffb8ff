/** multipart/related bodies (RFC 2387, DICOM PS3.18 §8.7.3): split WADO-RS answers, build STOW-RS requests. */

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  return /boundary="?([^";,\s]+)"?/i.exec(contentType)?.[1];
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

/** One part: its headers (lower-case names) and body. */
export interface MultipartPart {
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Splits a multipart body. Throws when no part with the boundary is found. */
export function splitMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const delim = enc.encode(`--${boundary}`);
  const crlf2 = enc.encode('\r\n\r\n');
  const parts: MultipartPart[] = [];
  let pos = indexOf(body, delim, 0);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) break; // closing delimiter
    const headerEnd = indexOf(body, crlf2, after);
    if (headerEnd < 0) break;
    const headers: Record<string, string> = {};
    for (const line of dec.decode(body.subarray(after, headerEnd)).split('\r\n')) {
      const c = line.indexOf(':');
      if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const start = headerEnd + 4;
    const next = indexOf(body, delim, start);
    if (next < 0) break;
    const end = next >= 2 && body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push({ headers, body: body.subarray(start, end) });
    pos = next;
  }
  if (parts.length === 0) throw new Error('multipart body without parts');
  return parts;
}

/** Builds a multipart/related body of `application/dicom` parts; returns it with its Content-Type. */
export function buildMultipart(
  parts: Uint8Array[],
  partType = 'application/dicom',
): { body: Uint8Array; contentType: string } {
  const boundary = `qiview-${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`), p, enc.encode('\r\n'));
  }
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    body.set(c, o);
    o += c.length;
  }
  return { body, contentType: `multipart/related; type="${partType}"; boundary=${boundary}` };
}
