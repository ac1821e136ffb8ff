/**
 * The app's settings in the renderer (zustand), loaded from and saved through the {@link Platform} (web:
 * localStorage; Electron: the main process). Changing the language also switches the UI at once.
 */
import { create } from 'zustand';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../electron/common/api';
import { useLocale } from '../i18n/i18n';
import { getPlatform } from '../platform/get-platform';

interface SettingsState {
  settings: Settings;
  loaded: boolean;
  /** Last save error, if any. */
  error?: string;
  load(): Promise<void>;
  /** Validates, saves, applies; resolves false (with `error`) when the patch is invalid. */
  save(patch: SettingsPatch): Promise<boolean>;
}

export const useSettings = create<SettingsState>((set, get) => ({
  settings: { ...DEFAULT_SETTINGS, language: useLocale.getState().locale },
  loaded: false,
  async load() {
    try {
      const settings = await getPlatform().loadSettings();
      // the language the user last picked in this browser wins over a default
      set({ settings: { ...settings, language: useLocale.getState().locale }, loaded: true });
    } catch (e) {
      set({ loaded: true, error: e instanceof Error ? e.message : String(e) });
    }
  },
  async save(patch) {
    try {
      const settings = await getPlatform().saveSettings({ ...patch });
      set({ settings, error: undefined });
      if (patch.language && patch.language !== useLocale.getState().locale)
        useLocale.getState().setLocale(patch.language);
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      set({ error: msg.length > 300 ? msg.slice(0, 300) + '…' : msg });
      return get().error === undefined;
    }
  },
}));
