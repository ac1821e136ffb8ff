/** {@link Platform} for the plain web page: `<input type=file>`, drag-and-drop, in-memory files, localStorage. */
import type { InstanceLocation } from '@qiview/core/common/dicom/records';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Settings,
  type SettingsPatch,
} from '../../electron/common/api';
import { filesFromDataTransfer } from './drop-entries';
import { keptFile } from './memory-files';
import { pickWithInput } from './pick-input';
import type { Platform } from './platform';

/** localStorage key of the settings JSON. */
export const SETTINGS_KEY = 'qiview.settings';

/** Parses stored settings; anything invalid falls back to the defaults (never throws). */
export function parseStoredSettings(json: string | null): Settings {
  if (!json) return { ...DEFAULT_SETTINGS };
  try {
    const r = SettingsSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : { ...DEFAULT_SETTINGS };
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

/** The web platform. `storage` defaults to `localStorage` (injectable for tests). */
export function createWebPlatform(storage: Storage = globalThis.localStorage): Platform {
  return {
    kind: 'web',
    pickFiles: () => pickWithInput(false),
    pickFolder: () => pickWithInput(true),
    filesFromDrop: filesFromDataTransfer,
    async readInstance(location: InstanceLocation) {
      if (location.kind !== 'memory')
        throw new Error(`web mode cannot read ${location.kind} locations directly`);
      const f = keptFile(location.id);
      if (!f) throw new Error('file is no longer available in this session: pick it again');
      return new Uint8Array(await f.arrayBuffer());
    },
    async loadSettings() {
      return parseStoredSettings(storage.getItem(SETTINGS_KEY));
    },
    async saveSettings(patch: SettingsPatch) {
      const merged = SettingsSchema.parse({
        ...parseStoredSettings(storage.getItem(SETTINGS_KEY)),
        ...patch,
      });
      storage.setItem(SETTINGS_KEY, JSON.stringify(merged));
      return merged;
    },
  };
}
