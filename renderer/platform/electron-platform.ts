/** {@link Platform} for the Electron shell: every call goes through the typed `window.qiview` bridge. */
import type { InstanceLocation } from '@qiview/core/common/dicom/records';
import type { IpcResult, QiviewApi, SettingsPatch } from '../../electron/common/api';
import { filesFromDataTransfer } from './drop-entries';
import type { PickedFile, Platform } from './platform';

/** Unwraps an {@link IpcResult}, throwing its message as an Error. */
export function unwrap<T>(r: IpcResult<T>): T {
  if (r.ok) return r.value;
  throw new Error(r.error.message);
}

const toPicked = (paths: string[]): PickedFile[] => paths.map((path) => ({ name: path, path }));

/** The Electron platform over `api` (normally `window.qiview`). */
export function createElectronPlatform(api: QiviewApi): Platform {
  return {
    kind: 'electron',
    async pickFiles() {
      return toPicked(unwrap(await api.openFiles({})).paths);
    },
    async pickFolder() {
      return toPicked(unwrap(await api.openFolder({})).paths);
    },
    async filesFromDrop(dt: DataTransfer) {
      // Dropped files live on disk: prefer their paths so the main process imports (and walks folders) itself.
      const files = Array.from(dt.files);
      const paths = files.map((f) => api.pathForFile(f));
      if (files.length > 0 && paths.every((p) => p)) return toPicked(paths);
      return filesFromDataTransfer(dt);
    },
    async readInstance(location: InstanceLocation) {
      if (location.kind !== 'file') throw new Error(`cannot read ${location.kind} locations from disk`);
      return unwrap(
        await api.readFile({ path: location.path, offset: location.offset, length: location.length }),
      );
    },
    async loadSettings() {
      return unwrap(await api.getSettings());
    },
    async saveSettings(patch: SettingsPatch) {
      return unwrap(await api.setSettings(patch));
    },
  };
}
