/** SHA-256 of text (UTF-8) as lowercase hex, with the Web Crypto API (browsers, workers and Node ≥ 20 alike). */
export async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle)
    throw new Error('SHA-256 needs the Web Crypto API (a secure context: https, localhost or the app)');
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
