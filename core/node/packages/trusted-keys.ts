import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { keyIdOf, type PublisherKey } from './plugin-keys';

const keySchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'raw Ed25519 key, base64'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publisher: z.string().min(1).max(200),
});
const fileSchema = z.object({ keys: z.array(keySchema.extend({ addedAt: z.string() })) });

/** The user's trusted publisher keys, stored as `trusted-keys.json` in the plugins folder. */
export class TrustedKeys {
  constructor(private readonly file: string) {}

  /** All trusted keys (an absent file means none). A corrupt file is an error, never "trust nothing silently". */
  list(): Array<PublisherKey & { addedAt: string }> {
    if (!existsSync(this.file)) return [];
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data.keys;
  }

  /** Adds (or renames) a key after checking that its id matches the key. */
  add(key: PublisherKey): void {
    const k = keySchema.parse(key);
    if (keyIdOf(Buffer.from(k.publicKey, 'base64')) !== k.keyId)
      throw new Error('key id does not match the key');
    const keys = this.list().filter((x) => x.keyId !== k.keyId);
    keys.push({ ...k, addedAt: new Date().toISOString() });
    this.write(keys);
  }

  /** Removes a key by id; returns whether it was there. */
  remove(keyId: string): boolean {
    const keys = this.list();
    const rest = keys.filter((k) => k.keyId !== keyId);
    if (rest.length !== keys.length) this.write(rest);
    return rest.length !== keys.length;
  }

  private write(keys: Array<PublisherKey & { addedAt: string }>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ keys }, null, 2));
    renameSync(tmp, this.file);
  }
}
