/**
 * DICOM UID helpers that work in browsers, workers and Node (Web Crypto only).
 *
 * @packageDocumentation
 */

/**
 * A new UID under the `2.25` root (a UUID as a decimal integer, DICOM PS3.5 B.2), e.g. `2.25.3290...`.
 * At most 44 characters, well under the 64-character limit.
 */
export function newUid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // UUID version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString()}`;
}

/** True for a syntactically valid DICOM UID (digits and dots, no leading zeros in components, ≤ 64 chars). */
export function isValidUid(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/.test(uid);
}
