/**
 * Test support for the main-process service tests: the real channel handlers and IPC router over a set of library
 * services (settings, plugins and dialogs inert), called as the app's own frame unless another sender is given.
 */
import { vi } from 'vitest';
import { DEFAULT_SETTINGS, type IpcResult } from '../common/api';
import { createChannelHandlers } from './handlers';
import { createIpcRouter, type InvokeEventLike } from './ipc-router';
import type { LibraryServices } from './library-services';

/** The app's own frame (`qiview://app`), the sender every channel accepts. */
export const APP_SENDER: InvokeEventLike = {
  senderFrame: { url: 'qiview://app/index.html' },
  sender: { id: 1 },
};

/** `call(channel, request, sender?)` through the router over `services`. */
export function routerOverServices(
  services: Pick<LibraryServices, 'library' | 'importPaths'> & Partial<Pick<LibraryServices, 'results'>>,
) {
  const router = createIpcRouter(
    createChannelHandlers({
      library: services.library,
      importPaths: services.importPaths,
      results: services.results,
      settings: { current: () => DEFAULT_SETTINGS, update: async () => DEFAULT_SETTINGS } as never,
      appInfo: () => ({}) as never,
      plugins: {} as never,
      notify: vi.fn(),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    }),
    { log: () => {} },
  );
  return <T>(channel: string, request: unknown = {}, event: InvokeEventLike = APP_SENDER) =>
    router.dispatch(channel, event, [request]) as Promise<IpcResult<T>>;
}

/** The value of a successful call; a refusal throws with its code and message. */
export function ipcValue<T>(r: IpcResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
