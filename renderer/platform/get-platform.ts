/** Picks the {@link Platform} for this page once: Electron when the preload exposed `window.qiview`, else web. */
import type { QiviewApi } from '../../electron/common/api';
import { createElectronPlatform } from './electron-platform';
import type { Platform } from './platform';
import { createWebPlatform } from './web-platform';

let current: Platform | undefined;

/** The platform of this page (cached). */
export function getPlatform(): Platform {
  if (!current) {
    const api = (globalThis as { qiview?: QiviewApi }).qiview;
    current = api && api.apiVersion === 1 ? createElectronPlatform(api) : createWebPlatform();
  }
  return current;
}
