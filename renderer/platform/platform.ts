/**
 * What the UI needs from its host, web page or Electron: pick files, read the bytes of a library instance, keep
 * settings. Pick {@link getPlatform} once at start-up; components never test for Electron themselves.
 */
import type { InstanceLocation } from '@qiview/core/common/dicom/records';
import type { Settings, SettingsPatch } from '../../electron/common/api';

/** A file the user picked or dropped, with the path it lives at (Electron) or its relative path (web). */
export interface PickedFile {
  /** Display name: relative path inside the picked/dropped folder, or the file name. */
  name: string;
  /** The file itself (web, and Electron drag-and-drop). */
  file?: File;
  /** Absolute path on disk (Electron only). */
  path?: string;
}

/** The host-specific operations. */
export interface Platform {
  /** 'web' (browser page) or 'electron' (desktop shell with `window.qiview`). */
  readonly kind: 'web' | 'electron';
  /** Lets the user pick files; resolves to [] when cancelled. */
  pickFiles(): Promise<PickedFile[]>;
  /** Lets the user pick a folder (all files in it, recursively); resolves to [] when cancelled. */
  pickFolder(): Promise<PickedFile[]>;
  /** Files of a drop event, folders walked recursively. */
  filesFromDrop(dt: DataTransfer): Promise<PickedFile[]>;
  /** Bytes of an instance the library knows (file on disk in Electron, kept `File` in web mode). */
  readInstance(location: InstanceLocation): Promise<Uint8Array>;
  /** Saved settings (defaults for anything missing). */
  loadSettings(): Promise<Settings>;
  /** Saves a patch; resolves to the merged, saved settings. */
  saveSettings(patch: SettingsPatch): Promise<Settings>;
}
