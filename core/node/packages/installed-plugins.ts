import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const entrySchema = z.object({
  id: z.string(),
  version: z.string(),
  publisher: z.string(),
  keyId: z.string(),
  /** 'trusted': the key was already trusted; 'trusted-on-install': the user trusted it while installing. */
  trust: z.enum(['trusted', 'trusted-on-install']),
  enabled: z.boolean(),
  installedAt: z.string(),
  /** Folder relative to the plugins folder, e.g. `org.example.demo/1.0.0`. */
  dir: z.string(),
});
/** One installed plugin as the workstation lists it. */
export type InstalledPlugin = z.infer<typeof entrySchema>;
const fileSchema = z.object({ plugins: z.array(entrySchema) });

/** The registry of installed plugins (`installed.json` in the plugins folder) and their folders. */
export class InstalledPlugins {
  readonly file: string;
  constructor(readonly pluginsDir: string) {
    this.file = path.join(pluginsDir, 'installed.json');
  }

  list(): InstalledPlugin[] {
    if (!existsSync(this.file)) return [];
    const parsed = fileSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data.plugins;
  }

  get(id: string): InstalledPlugin | undefined {
    return this.list().find((p) => p.id === id);
  }

  /** Records a plugin (replacing an older record of the same id). */
  put(entry: InstalledPlugin): void {
    this.write([...this.list().filter((p) => p.id !== entry.id), entry]);
  }

  /** Enables or disables a plugin; returns false when it is not installed. */
  setEnabled(id: string, enabled: boolean): boolean {
    const all = this.list();
    const p = all.find((x) => x.id === id);
    if (!p) return false;
    p.enabled = enabled;
    this.write(all);
    return true;
  }

  /** Removes a plugin's record and its folder (only inside the plugins folder); returns false when not installed. */
  remove(id: string): boolean {
    const all = this.list();
    const p = all.find((x) => x.id === id);
    if (!p) return false;
    this.write(all.filter((x) => x.id !== id));
    const dir = path.resolve(this.pluginsDir, id);
    if (dir.startsWith(path.resolve(this.pluginsDir) + path.sep))
      rmSync(dir, { recursive: true, force: true });
    return true;
  }

  private write(plugins: InstalledPlugin[]): void {
    mkdirSync(this.pluginsDir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(
      tmp,
      JSON.stringify({ plugins: plugins.sort((a, b) => a.id.localeCompare(b.id)) }, null, 2),
    );
    renameSync(tmp, this.file);
  }
}
