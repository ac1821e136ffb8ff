/**
 * Consistent UID replacement for one de-identification run: the same original UID always maps to the same new
 * `2.25.` UID, so references between the de-identified objects (SEG → image, SR → SEG) stay valid.
 *
 * @packageDocumentation
 */
import { newUid } from '../results/uid';

/** A UID map shared by every file of a run. */
export interface UidRemapper {
  /** The replacement for `uid` (created on first use). */
  remap(uid: string): string;
  /** Original → replacement pairs so far (keep it privately to re-identify, or discard it). */
  entries(): Array<[string, string]>;
}

/** Creates a remapper, optionally seeded with pairs from an earlier run (to continue the same mapping). */
export function createUidRemapper(seed?: Record<string, string>): UidRemapper {
  const map = new Map<string, string>(Object.entries(seed ?? {}));
  return {
    remap(uid) {
      const key = uid.trim().replace(/\0+$/, '');
      if (key === '') return '';
      let out = map.get(key);
      if (!out) {
        out = newUid();
        map.set(key, out);
      }
      return out;
    },
    entries: () => [...map.entries()],
  };
}
