/**
 * THE typed bridge between the renderer and the Electron main process.
 *
 * - {@link QiviewApi} is the object the preload exposes as `window.qiview`; the renderer's Electron platform adapter
 *   calls it. Every method resolves to an {@link IpcResult} (errors are values, never thrown across IPC).
 * - {@link CHANNEL_SCHEMAS} holds the zod schema of every channel's request and response. The main process validates
 *   every incoming request (strict objects: unknown keys are refused) and every outgoing response (unknown keys are
 *   stripped, so internal fields never leak to the page).
 */
import { z } from 'zod';
import { CHANNELS, type Channel } from './channels';
import type { ResultRecord } from '../../core/common/library/library-store';
import type { IpcResult } from './ipc-result';

export * from './channels';
export * from './ipc-result';

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** Longest file-system path we accept (Windows long paths reach 32767 UTF-16 units). */
export const MAX_PATH_LENGTH = 32_767;
/** Most paths one `import:paths` call may name (a folder counts as one; its contents are walked in main). */
export const MAX_IMPORT_PATHS = 10_000;
/** Largest number of bytes one `file:read` call returns; bigger files are read in ranges. */
export const MAX_READ_BYTES = 1024 * 1024 * 1024;

/** An absolute path on this machine (POSIX `/…`, Windows `C:\…` or UNC `\\server\share\…`), no NUL bytes. */
export const AbsolutePathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((p) => !p.includes('\0'), 'path contains a NUL byte')
  .refine(
    (p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || /^\\\\[^\\]+\\[^\\]+/.test(p),
    'path must be absolute',
  );

/** A DICOM UID (or a synthetic id for non-DICOM series, e.g. NIfTI): 1-128 characters of [0-9A-Za-z._-]. */
export const UidSchema = z.string().regex(/^[0-9A-Za-z._-]{1,128}$/, 'not a valid UID');

/** A DICOM DA value `YYYYMMDD`. */
export const DicomDateSchema = z.string().regex(/^\d{8}$/, 'expected YYYYMMDD');

/** A file-type filter for the open-files dialog. */
export const FileFilterSchema = z.strictObject({
  name: z.string().min(1).max(100),
  extensions: z
    .array(z.string().regex(/^(\*|[A-Za-z0-9._-]{1,20})$/, 'extension without dot, or *'))
    .min(1)
    .max(32),
});

/** One series as the importer and the library report it. */
export const SeriesSummarySchema = z.object({
  studyInstanceUid: UidSchema,
  seriesInstanceUid: UidSchema,
  modality: z.string(),
  seriesDescription: z.string(),
  seriesNumber: z.number().int().nullable(),
  numberOfInstances: z.number().int().nonnegative(),
  patientName: z.string(),
  patientId: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
});
export type SeriesSummary = z.infer<typeof SeriesSummarySchema>;

/** One file that could not be imported, with a reason a user can act on. */
export const ImportFileErrorSchema = z.object({ path: z.string(), reason: z.string() });
export type ImportFileError = z.infer<typeof ImportFileErrorSchema>;

/** One study in the library. */
export const StudySummarySchema = z.object({
  studyInstanceUid: UidSchema,
  patientName: z.string(),
  patientId: z.string(),
  patientBirthDate: z.string(),
  patientSex: z.string(),
  studyDate: z.string(),
  studyDescription: z.string(),
  accessionNumber: z.string(),
  modalities: z.array(z.string()),
  numberOfSeries: z.number().int().nonnegative(),
  numberOfInstances: z.number().int().nonnegative(),
});
export type StudySummary = z.infer<typeof StudySummarySchema>;

/** One indexed file of a series (read its bytes with `file:read`). */
export const LibraryFileSchema = z.object({
  path: z.string(),
  sopInstanceUid: z.string().nullable(),
  instanceNumber: z.number().int().nullable(),
  /** Frames in this file (multi-frame DICOM, 4D NIfTI); 1 for single-frame files. */
  numberOfFrames: z.number().int().positive(),
});
export type LibraryFile = z.infer<typeof LibraryFileSchema>;

/** A study with its series and their files. */
export const StudyDetailSchema = StudySummarySchema.extend({
  series: z.array(SeriesSummarySchema.extend({ files: z.array(LibraryFileSchema) })),
});
export type StudyDetail = z.infer<typeof StudyDetailSchema>;

/** A DICOMweb server the user configured. Its origin is the only remote host the page's CSP lets it contact. */
export const DicomWebServerSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().min(1).max(100),
  url: z
    .string()
    .max(2048)
    .refine((s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !u.hash;
      } catch {
        return false;
      }
    }, 'must be an http(s) URL without credentials or #fragment'),
});
export type DicomWebServer = z.infer<typeof DicomWebServerSchema>;

/** User settings, persisted as JSON in the user-data folder. */
export const SettingsSchema = z.strictObject({
  language: z.enum(['en', 'zh-CN']).default('en'),
  theme: z.enum(['dark', 'light']).default('dark'),
  dicomWebServers: z
    .array(DicomWebServerSchema)
    .max(32)
    .default([])
    .refine((a) => new Set(a.map((s) => s.id)).size === a.length, 'server ids must be unique'),
  /** Worker threads for WASM/ONNX analysis (onnxruntime-web `numThreads`). */
  analysisThreads: z.number().int().min(1).max(64).default(2),
  /** Name the reader signs reports with (renderer/report), pre-filled in the sign-off; '' when not set. */
  readerName: z.string().trim().max(200).default(''),
});
export type Settings = z.infer<typeof SettingsSchema>;
/** The settings a fresh install starts with. */
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

/** Facts about the running app for the About box and bug reports. */
export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  electron: z.string(),
  chrome: z.string(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  locale: z.string(),
  isPackaged: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Requests and responses, one pair per channel

const EmptyRequestSchema = z.strictObject({});

export const OpenFilesRequestSchema = z.strictObject({
  title: z.string().max(200).optional(),
  filters: z.array(FileFilterSchema).max(16).optional(),
});
export type OpenFilesRequest = z.infer<typeof OpenFilesRequestSchema>;

export const OpenFolderRequestSchema = z.strictObject({ title: z.string().max(200).optional() });
export type OpenFolderRequest = z.infer<typeof OpenFolderRequestSchema>;

/** Paths the user picked; empty when the dialog was cancelled. */
export const PickedPathsSchema = z.object({ paths: z.array(z.string()) });
export type PickedPaths = z.infer<typeof PickedPathsSchema>;

export const ImportPathsRequestSchema = z.strictObject({
  /** Files and/or folders; folders are walked recursively in the main process. */
  paths: z.array(AbsolutePathSchema).min(1).max(MAX_IMPORT_PATHS),
});
export type ImportPathsRequest = z.infer<typeof ImportPathsRequestSchema>;

export const ImportPathsResponseSchema = z.object({
  /** Series added or updated by this import. */
  series: z.array(SeriesSummarySchema),
  /** Files that looked like imaging data but failed, one reason each. */
  errors: z.array(ImportFileErrorSchema),
  /** Files ignored because they are not imaging data (text files, thumbnails, …). */
  skipped: z.number().int().nonnegative(),
  /** Files looked at in total. */
  filesScanned: z.number().int().nonnegative(),
});
export type ImportPathsResponse = z.infer<typeof ImportPathsResponseSchema>;

/** Progress of a running import, pushed on `import:progress` (at most ~10 times a second). */
export const ImportProgressSchema = z.object({
  /** Files looked at so far. */
  filesScanned: z.number().int().nonnegative(),
  /** File being read now. */
  currentPath: z.string(),
});
export type ImportProgress = z.infer<typeof ImportProgressSchema>;

export const LibrarySearchRequestSchema = z.strictObject({
  /** Free text matched against patient name/id, study description and accession number. */
  text: z.string().max(256).optional(),
  modality: z
    .string()
    .regex(/^[A-Z0-9]{1,16}$/)
    .optional(),
  studyDateFrom: DicomDateSchema.optional(),
  studyDateTo: DicomDateSchema.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  offset: z.number().int().min(0).optional(),
});
export type LibrarySearchRequest = z.infer<typeof LibrarySearchRequestSchema>;

export const LibrarySearchResponseSchema = z.object({
  studies: z.array(StudySummarySchema),
  /** Matches in total (for paging), not just this page. */
  total: z.number().int().nonnegative(),
});
export type LibrarySearchResponse = z.infer<typeof LibrarySearchResponseSchema>;

export const StudyRequestSchema = z.strictObject({ studyInstanceUid: UidSchema });
export type StudyRequest = z.infer<typeof StudyRequestSchema>;

export const RemoveStudyResponseSchema = z.object({ removed: z.boolean() });
export type RemoveStudyResponse = z.infer<typeof RemoveStudyResponseSchema>;

export const FileReadRequestSchema = z
  .strictObject({
    /** Absolute path exactly as the library lists it (`LibraryFile.path`). */
    path: AbsolutePathSchema,
    /** Byte offset to start at (default 0). */
    offset: z.number().int().min(0).optional(),
    /** Bytes to read (default: to the end of the file); at most {@link MAX_READ_BYTES}. */
    length: z.number().int().min(0).max(MAX_READ_BYTES).optional(),
  })
  .refine((r) => r.offset === undefined || Number.isSafeInteger(r.offset), 'offset too large');
export type FileReadRequest = z.infer<typeof FileReadRequestSchema>;

/** Changes to apply to the settings; the merged result is validated as a whole. */
export const SettingsPatchSchema = z.strictObject({
  language: SettingsSchema.shape.language.unwrap().optional(),
  theme: SettingsSchema.shape.theme.unwrap().optional(),
  dicomWebServers: z
    .array(DicomWebServerSchema)
    .max(32)
    .refine((a) => new Set(a.map((s) => s.id)).size === a.length, 'server ids must be unique')
    .optional(),
  analysisThreads: z.number().int().min(1).max(64).optional(),
  readerName: z.string().trim().max(200).optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** An installed plugin as the settings page lists it. */
export const InstalledPluginSchema = z.object({
  id: z.string(),
  version: z.string(),
  publisher: z.string(),
  /** Signing key id (16 hex digits). */
  keyId: z.string(),
  trust: z.enum(['trusted', 'trusted-on-install']),
  enabled: z.boolean(),
  installedAt: z.string(),
});
export type InstalledPluginSummary = z.infer<typeof InstalledPluginSchema>;

export const PluginListSchema = z.object({ plugins: z.array(InstalledPluginSchema) });
export type PluginList = z.infer<typeof PluginListSchema>;

/** Installs a package file; `trustKey` is the user's explicit consent to trust an unknown publisher key. */
export const InstallPluginRequestSchema = z.strictObject({
  path: AbsolutePathSchema,
  trustKey: z.boolean().optional(),
});
export type InstallPluginRequest = z.infer<typeof InstallPluginRequestSchema>;

export const PluginIdRequestSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$/, 'not a plugin id'),
});
export const SetPluginEnabledRequestSchema = PluginIdRequestSchema.extend({ enabled: z.boolean() });
export type SetPluginEnabledRequest = z.infer<typeof SetPluginEnabledRequestSchema>;
export type PluginIdRequest = z.infer<typeof PluginIdRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Analysis results (desktop: SQLite record + payload/attachment files in the user-data folder)

/** Longest `payloadJson` one `results:put` accepts (UTF-16 units). */
export const MAX_RESULT_PAYLOAD_CHARS = 16 * 1024 * 1024;
/** Most attachments one result may have. */
export const MAX_RESULT_ATTACHMENTS = 256;
/** Largest single attachment (a float32 map of 512x512x600 voxels is 600 MiB). */
export const MAX_RESULT_ATTACHMENT_BYTES = 1024 * 1024 * 1024;
/** Largest sum of attachment bytes in one `results:put`. */
export const MAX_RESULT_TOTAL_BYTES = 2 * 1024 * 1024 * 1024;

/** A result id: 1-200 characters of [0-9A-Za-z._:-] (e.g. `result-<sha256 prefix>`, `failed-<uid>`). */
export const ResultIdSchema = z.string().regex(/^[0-9A-Za-z._:-]{1,200}$/, 'not a valid result id');
/** An attachment name such as `labelmap/liver`: [0-9A-Za-z._/-], no empty, `.` or `..` segment. */
export const AttachmentNameSchema = z
  .string()
  .regex(/^[0-9A-Za-z._/-]{1,200}$/, 'not a valid attachment name')
  .refine((n) => n.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..'), 'bad path segment');

const byteLength = (b: ArrayBuffer | Uint8Array): number => b.byteLength;
/** Attachment bytes: an ArrayBuffer or a byte view (Node's Buffer in tests). */
export const AttachmentBytesSchema = z
  .union([z.instanceof(ArrayBuffer), z.instanceof(Uint8Array)])
  .refine((b) => byteLength(b) <= MAX_RESULT_ATTACHMENT_BYTES, 'attachment larger than 1 GiB');

/** A result record without its payload (the payload travels as JSON text beside it). */
export const ResultRecordMetaSchema = z.strictObject({
  id: ResultIdSchema,
  pluginId: z.string().min(1).max(200),
  pluginVersion: z.string().max(100),
  modelVersions: z.record(z.string().max(200), z.string().max(200)),
  inputSeriesUids: z.array(UidSchema).max(1000),
  studyInstanceUid: UidSchema.optional(),
  createdAt: z.string().min(1).max(64),
  status: z.enum(['running', 'done', 'failed']),
  error: z.string().max(100_000).optional(),
});
export type ResultRecordMeta = z.infer<typeof ResultRecordMetaSchema>;

/** A result record's metadata as it crosses IPC (no payload path or payload; optional fields only when set). */
export function resultRecordMeta(r: ResultRecord): ResultRecordMeta {
  const m: ResultRecordMeta = {
    id: r.id,
    pluginId: r.pluginId,
    pluginVersion: r.pluginVersion,
    modelVersions: r.modelVersions,
    inputSeriesUids: r.inputSeriesUids,
    createdAt: r.createdAt,
    status: r.status,
  };
  if (r.studyInstanceUid !== undefined) m.studyInstanceUid = r.studyInstanceUid;
  if (r.error !== undefined) m.error = r.error;
  return m;
}

export const PutResultRequestSchema = z.strictObject({
  record: ResultRecordMetaSchema,
  /** `JSON.stringify(payload)`; must parse. */
  payloadJson: z
    .string()
    .max(MAX_RESULT_PAYLOAD_CHARS)
    .refine((s) => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    }, 'payloadJson is not valid JSON'),
  /** Voxel attachments by name; they replace the stored set. Omitted: the stored attachments are kept. */
  attachments: z
    .record(AttachmentNameSchema, AttachmentBytesSchema)
    .refine((a) => Object.keys(a).length <= MAX_RESULT_ATTACHMENTS, 'too many attachments')
    .refine(
      (a) => Object.values(a).reduce((n, b) => n + byteLength(b), 0) <= MAX_RESULT_TOTAL_BYTES,
      'attachments larger than 2 GiB in total',
    )
    .optional(),
});
export type PutResultRequest = z.infer<typeof PutResultRequestSchema>;

/** A stored result as the bridge returns it: the record (payload parsed) and its attachment names and sizes. */
export const StoredResultSchema = z.object({
  record: ResultRecordMetaSchema.extend({ payload: z.unknown().optional() }).strip(),
  attachments: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative() })),
});
export type StoredResult = z.infer<typeof StoredResultSchema>;

export const ListResultsRequestSchema = z.strictObject({
  studyInstanceUid: UidSchema.optional(),
  seriesInstanceUid: UidSchema.optional(),
  pluginId: z.string().min(1).max(200).optional(),
  status: z.enum(['running', 'done', 'failed']).optional(),
});
export type ListResultsRequest = z.infer<typeof ListResultsRequestSchema>;
export const ListResultsResponseSchema = z.object({ results: z.array(StoredResultSchema) });
export type ListResultsResponse = z.infer<typeof ListResultsResponseSchema>;

export const ResultIdRequestSchema = z.strictObject({ id: ResultIdSchema });
export type ResultIdRequest = z.infer<typeof ResultIdRequestSchema>;
export const ResultAttachmentRequestSchema = z.strictObject({
  id: ResultIdSchema,
  name: AttachmentNameSchema,
});
export type ResultAttachmentRequest = z.infer<typeof ResultAttachmentRequestSchema>;
export const RemoveResultResponseSchema = z.object({ removed: z.boolean() });

/** Request and response schema of every channel. The router registers exactly these channels. */
export const CHANNEL_SCHEMAS = {
  [CHANNELS.openFiles]: { request: OpenFilesRequestSchema, response: PickedPathsSchema },
  [CHANNELS.openFolder]: { request: OpenFolderRequestSchema, response: PickedPathsSchema },
  [CHANNELS.importPaths]: { request: ImportPathsRequestSchema, response: ImportPathsResponseSchema },
  [CHANNELS.searchLibrary]: { request: LibrarySearchRequestSchema, response: LibrarySearchResponseSchema },
  [CHANNELS.getStudy]: { request: StudyRequestSchema, response: StudyDetailSchema },
  [CHANNELS.removeStudy]: { request: StudyRequestSchema, response: RemoveStudyResponseSchema },
  [CHANNELS.readFile]: { request: FileReadRequestSchema, response: z.instanceof(Uint8Array) },
  [CHANNELS.getSettings]: { request: EmptyRequestSchema, response: SettingsSchema },
  [CHANNELS.setSettings]: { request: SettingsPatchSchema, response: SettingsSchema },
  [CHANNELS.appInfo]: { request: EmptyRequestSchema, response: AppInfoSchema },
  [CHANNELS.listPlugins]: { request: EmptyRequestSchema, response: PluginListSchema },
  [CHANNELS.installPlugin]: { request: InstallPluginRequestSchema, response: InstalledPluginSchema },
  [CHANNELS.setPluginEnabled]: { request: SetPluginEnabledRequestSchema, response: PluginListSchema },
  [CHANNELS.removePlugin]: { request: PluginIdRequestSchema, response: PluginListSchema },
  [CHANNELS.putResult]: { request: PutResultRequestSchema, response: StoredResultSchema },
  [CHANNELS.listResults]: { request: ListResultsRequestSchema, response: ListResultsResponseSchema },
  [CHANNELS.getResult]: { request: ResultIdRequestSchema, response: StoredResultSchema },
  [CHANNELS.readResultAttachment]: {
    request: ResultAttachmentRequestSchema,
    response: z.instanceof(Uint8Array),
  },
  [CHANNELS.removeResult]: { request: ResultIdRequestSchema, response: RemoveResultResponseSchema },
} as const satisfies Record<Channel, { request: z.ZodType; response: z.ZodType }>;

/** Validated request type of a channel. */
export type RequestOf<C extends Channel> = z.output<(typeof CHANNEL_SCHEMAS)[C]['request']>;
/** Response type of a channel (what the bridge method resolves to inside `ok`). */
export type ResponseOf<C extends Channel> = z.output<(typeof CHANNEL_SCHEMAS)[C]['response']>;
/** What the renderer may pass for a channel (before defaults are applied). */
export type RequestInputOf<C extends Channel> = z.input<(typeof CHANNEL_SCHEMAS)[C]['request']>;

// ---------------------------------------------------------------------------------------------------------------
// The bridge object

type Call<C extends Channel> = Promise<IpcResult<ResponseOf<C>>>;

/**
 * `window.qiview`: the only thing the page can reach in the main process. Each method sends one request on one
 * fixed channel and resolves to an {@link IpcResult}; nothing here throws for expected failures.
 */
export interface QiviewApi {
  /** Bridge contract version; bumped on breaking changes. */
  readonly apiVersion: 1;
  /** Native "open files" dialog; resolves to the chosen absolute paths (empty when cancelled). */
  openFiles(request?: OpenFilesRequest): Call<typeof CHANNELS.openFiles>;
  /** Native "open folder" dialog; resolves to the chosen folder (empty when cancelled). */
  openFolder(request?: OpenFolderRequest): Call<typeof CHANNELS.openFolder>;
  /** Imports files and folders (recursively) into the library; per-file errors never fail the whole call. */
  importPaths(request: ImportPathsRequest): Call<typeof CHANNELS.importPaths>;
  /** Subscribes to progress of imports started by this page; returns the unsubscribe function. */
  onImportProgress(listener: (progress: ImportProgress) => void): () => void;
  /** Searches the library. */
  searchLibrary(request?: LibrarySearchRequest): Call<typeof CHANNELS.searchLibrary>;
  /** One study with its series and files; NOT_FOUND when the library has no such study. */
  getStudy(request: StudyRequest): Call<typeof CHANNELS.getStudy>;
  /** Removes a study from the library index (files on disk are left alone). */
  removeStudy(request: StudyRequest): Call<typeof CHANNELS.removeStudy>;
  /** Bytes of a file the library indexes (NOT_IN_LIBRARY for any other path). */
  readFile(request: FileReadRequest): Call<typeof CHANNELS.readFile>;
  /** Current settings. */
  getSettings(): Call<typeof CHANNELS.getSettings>;
  /** Applies a validated patch and resolves to the saved settings. */
  setSettings(patch: SettingsPatch): Call<typeof CHANNELS.setSettings>;
  /** Versions, platform, locale. */
  appInfo(): Call<typeof CHANNELS.appInfo>;
  /** Installed plugins with publisher, version, trust state and whether enabled. */
  listPlugins(): Call<typeof CHANNELS.listPlugins>;
  /** Verifies and installs a signed package (refusals come back as errors with the reason; nothing is written). */
  installPlugin(request: InstallPluginRequest): Call<typeof CHANNELS.installPlugin>;
  /** Enables or disables an installed plugin. */
  setPluginEnabled(request: SetPluginEnabledRequest): Call<typeof CHANNELS.setPluginEnabled>;
  /** Removes an installed plugin and its files. */
  removePlugin(request: PluginIdRequest): Call<typeof CHANNELS.removePlugin>;
  /** Stores an analysis result (record, payload JSON, voxel attachments) in the user's library, atomically. */
  putResult(request: PutResultRequest): Call<typeof CHANNELS.putResult>;
  /** Stored results matching every given filter, newest first. */
  listResults(request?: ListResultsRequest): Call<typeof CHANNELS.listResults>;
  /** One stored result; NOT_FOUND when absent. */
  getResult(request: ResultIdRequest): Call<typeof CHANNELS.getResult>;
  /** Bytes of one attachment of a stored result; NOT_FOUND when absent. */
  readResultAttachment(request: ResultAttachmentRequest): Call<typeof CHANNELS.readResultAttachment>;
  /** Removes a result record and its files. */
  removeResult(request: ResultIdRequest): Call<typeof CHANNELS.removeResult>;
  /**
   * Absolute path of a `File` from drag-and-drop or an `<input type=file>` (Electron's `webUtils.getPathForFile`);
   * '' for files that do not live on disk. Runs in the preload, no IPC.
   */
  pathForFile(file: File): string;
}
