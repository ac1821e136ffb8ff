/**
 * The implementation of every bridge channel, over injected services (dialogs, importer, library, settings, app
 * facts). Requests arrive already validated by the router; handlers throw {@link IpcFailure} for expected failures.
 */
import { EVENTS, IpcFailure, type AppInfo, type ImportProgress, type PickedPaths } from '../common/api';
import type { ChannelHandlers, HandlerContext } from './ipc-router';
import type { ImportPathsFn, LibraryPort } from './library-port';
import { createLibraryFileReader } from './library-file-reader';
import type { PluginManager } from './plugin-manager';
import { unavailableResults, type ResultsPort } from './results-service';
import type { SettingsStore } from './settings-store';

/** Options passed to the native open dialog (a subset of Electron's OpenDialogOptions). */
export interface OpenDialogRequest {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
  properties: Array<'openFile' | 'openDirectory' | 'multiSelections'>;
}

/** Shows the native open dialog, parented to the window of `sender` when there is one. */
export type ShowOpenDialog = (
  sender: unknown,
  options: OpenDialogRequest,
) => Promise<{ canceled: boolean; filePaths: string[] }>;

/** Services the handlers run on. */
export interface HandlerDeps {
  showOpenDialog: ShowOpenDialog;
  importPaths: ImportPathsFn;
  library: LibraryPort;
  settings: SettingsStore;
  appInfo: () => AppInfo;
  plugins: PluginManager;
  /** Analysis results (SQLite record + files); absent: the results channels answer UNAVAILABLE. */
  results?: ResultsPort;
  /** Pushes a notification to the renderer that made a call (Electron: `sender.send(channel, payload)`). */
  notify: (sender: unknown, channel: string, payload: unknown) => void;
  /** Clock for throttling progress (ms); defaults to Date.now. */
  now?: () => number;
}

/** Shortest interval between two `import:progress` notifications to one page. */
export const PROGRESS_INTERVAL_MS = 100;

/** Imaging file types offered by default in the open-files dialog. */
export const DEFAULT_FILE_FILTERS = [
  { name: 'Imaging (DICOM, NIfTI)', extensions: ['dcm', 'dicom', 'ima', 'nii', 'gz', '*'] },
];

/** Builds the handler of every channel. */
export function createChannelHandlers(deps: HandlerDeps): ChannelHandlers {
  const readFile = createLibraryFileReader({ library: deps.library });
  const picked = async (ctx: HandlerContext, options: OpenDialogRequest): Promise<PickedPaths> => {
    const r = await deps.showOpenDialog(ctx.sender, options);
    return { paths: r.canceled ? [] : r.filePaths };
  };

  const results = deps.results ?? unavailableResults('no result store in this build');

  return {
    'dialog:openFiles': (req, ctx) =>
      picked(ctx, {
        title: req.title,
        filters: req.filters ?? DEFAULT_FILE_FILTERS,
        properties: ['openFile', 'multiSelections'],
      }),
    'dialog:openFolder': (req, ctx) => picked(ctx, { title: req.title, properties: ['openDirectory'] }),
    'import:paths': (req, ctx) => {
      const now = deps.now ?? Date.now;
      let last = -Infinity;
      const onProgress = (p: ImportProgress) => {
        const t = now();
        if (t - last < PROGRESS_INTERVAL_MS) return;
        last = t;
        deps.notify(ctx.sender, EVENTS.importProgress, {
          filesScanned: p.filesScanned,
          currentPath: p.currentPath,
        } satisfies ImportProgress);
      };
      return deps.importPaths(req.paths, { onProgress });
    },
    'library:search': (req) => deps.library.search(req),
    'library:getStudy': async (req) => {
      const study = await deps.library.getStudy(req.studyInstanceUid);
      if (!study) throw new IpcFailure('NOT_FOUND', `no study ${req.studyInstanceUid} in the library`);
      return study;
    },
    'library:removeStudy': async (req) => ({ removed: await deps.library.removeStudy(req.studyInstanceUid) }),
    'file:read': (req) => readFile(req),
    'settings:get': () => deps.settings.current(),
    'settings:set': (req) => deps.settings.update(req),
    'app:info': () => deps.appInfo(),
    'plugins:list': () => deps.plugins.list(),
    'plugins:install': (req) => deps.plugins.install(req.path, req.trustKey ?? false),
    'plugins:setEnabled': (req) => deps.plugins.setEnabled(req.id, req.enabled),
    'plugins:remove': (req) => deps.plugins.remove(req.id),
    'results:put': (req) => results.put(req),
    'results:list': async (req) => ({ results: await results.list(req) }),
    'results:get': async (req) => {
      const r = await results.get(req.id);
      if (!r) throw new IpcFailure('NOT_FOUND', `no result ${req.id} in the library`);
      return r;
    },
    'results:readAttachment': async (req) => {
      const bytes = await results.readAttachment(req.id, req.name);
      if (!bytes) throw new IpcFailure('NOT_FOUND', `result ${req.id} has no attachment ${req.name}`);
      return bytes;
    },
    'results:remove': async (req) => ({ removed: await results.remove(req.id) }),
  };
}
