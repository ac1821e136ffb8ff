/**
 * User settings persisted as one JSON file. Reads tolerate a missing or damaged file (the damaged one is kept aside
 * as `<file>.invalid-<time>` and defaults are used); writes validate the merged settings first and replace the file
 * atomically (write a temp file, then rename), so a crash never leaves half a file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_SETTINGS,
  IpcFailure,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../common/api';

/** The settings the shell holds in memory. */
export interface SettingsStore {
  /** Current settings (synchronous: the protocol handler reads the DICOMweb servers on every page load). */
  current(): Settings;
  /** Validates `current + patch` as a whole, saves it, and returns it. INVALID_REQUEST when invalid. */
  update(patch: SettingsPatch): Promise<Settings>;
  /** Problems met while loading (e.g. a damaged file was replaced by defaults); empty when all went well. */
  readonly loadWarnings: readonly string[];
}

/** Loads the settings file (or defaults) and returns the store. */
export async function loadSettingsStore(file: string): Promise<SettingsStore> {
  const warnings: string[] = [];
  let settings: Settings = DEFAULT_SETTINGS;
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      warnings.push(`cannot read settings ${file}: ${(e as Error).message}; using defaults`);
    }
  }
  if (text !== null) {
    let parsed: unknown;
    let reason = '';
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      reason = `not JSON (${(e as Error).message})`;
    }
    if (!reason) {
      const r = SettingsSchema.safeParse(parsed);
      if (r.success) settings = r.data;
      else reason = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    }
    if (reason) {
      const aside = `${file}.invalid-${Date.now()}`;
      await rename(file, aside).catch(() => undefined);
      warnings.push(`settings file was invalid (${reason}); kept as ${aside}, using defaults`);
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    loadWarnings: warnings,
    current: () => settings,
    update(patch) {
      const run = async () => {
        const merged = SettingsSchema.safeParse({ ...settings, ...patch });
        if (!merged.success) {
          throw new IpcFailure(
            'INVALID_REQUEST',
            `invalid settings: ${merged.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        }
        await mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        try {
          await writeFile(tmp, JSON.stringify(merged.data, null, 2) + '\n', { mode: 0o600 });
          await rename(tmp, file);
        } catch (e) {
          throw new IpcFailure('IO_ERROR', `cannot save settings to ${file}: ${(e as Error).message}`);
        }
        settings = merged.data;
        return settings;
      };
      // Serialise writes so two quick updates cannot interleave their temp files.
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
