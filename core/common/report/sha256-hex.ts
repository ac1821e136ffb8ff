import { sha256Hex as sha256HexOfBytes } from '../plugin-host/sha256';

/** SHA-256 of text (UTF-8) as lowercase hex, with the Web Crypto API (browsers, workers and Node ≥ 20 alike). */
export async function sha256Hex(text: string): Promise<string> {
  if (!globalThis.crypto?.subtle)
    throw new Error('SHA-256 needs the Web Crypto API (a secure context: https, localhost or the app)');
  return sha256HexOfBytes(new TextEncoder().encode(text));
}
