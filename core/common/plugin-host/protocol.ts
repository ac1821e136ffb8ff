/**
 * The message protocol between a plugin host and the worker that runs one plugin, identical for Web Workers and
 * Node `worker_threads`. Versioned: every message carries `v`; a worker refuses a start message of another version.
 * Volumes travel inside {@link StartMessage.input} as typed arrays whose ArrayBuffers are transferred, not copied.
 */
import type {
  AnalysisInput,
  AnalysisResult,
  Manifest,
  RegistrationApi,
  RegistrationTransform,
  Severity,
  Volume,
} from '@qiview/sdk';

/** Protocol version; bump on any incompatible change. */
export const PLUGIN_PROTOCOL_VERSION = 1;

/** Where the worker finds a declared model (a URL the worker can read: file: in Node, same-origin http(s) in a browser). */
export interface ModelLocation {
  url: string;
  sha256: string;
}

/** Host → worker: run the plugin once. */
export interface StartMessage {
  v: typeof PLUGIN_PROTOCOL_VERSION;
  type: 'start';
  runId: string;
  /** URL of the plugin bundle (ES module, default export = plugin). */
  pluginUrl: string;
  manifest: Manifest;
  input: AnalysisInput;
  locale: string;
  /** Models by manifest id. */
  models: Record<string, ModelLocation>;
  /** URL of the kernels .wasm module. */
  kernelsUrl: string;
  /**
   * The host answers {@link RegisterRequest}s (browser: the page runs itk-wasm elastix, which the plugin worker, its
   * network closed, cannot load). Absent/false: the worker uses its own registration, if its environment has one.
   */
  hostRegistration?: boolean;
}

/** Worker → host: run a registration for the plugin (`context.registration.register`). Volumes are transferred. */
export interface RegisterRequest {
  v: 1;
  type: 'register';
  runId: string;
  requestId: number;
  fixed: Volume;
  moving: Volume;
  options: Parameters<RegistrationApi['register']>[2];
}

/** Host → worker: the answer to a {@link RegisterRequest} (the resampled volume is transferred). */
export interface RegisterResponse {
  v: typeof PLUGIN_PROTOCOL_VERSION;
  type: 'registered';
  runId: string;
  requestId: number;
  result?: { resampled: Volume; transform: RegistrationTransform };
  error?: SerializedError;
}

/** Host → worker: stop as soon as possible (the signal is aborted; the host terminates the worker after a grace period). */
export interface CancelMessage {
  v: typeof PLUGIN_PROTOCOL_VERSION;
  type: 'cancel';
  runId: string;
  reason: string;
}

/** Worker → host. */
export type WorkerMessage =
  | { v: 1; type: 'progress'; runId: string; fraction: number; message?: string }
  | { v: 1; type: 'log'; runId: string; severity: Severity; message: string }
  | { v: 1; type: 'result'; runId: string; result: AnalysisResult; durationMs: number }
  | { v: 1; type: 'error'; runId: string; error: SerializedError }
  | RegisterRequest;

/** Host → worker. */
export type HostMessage = StartMessage | CancelMessage | RegisterResponse;

/** An error that crossed the worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  /** `AnalysisError.code` when the plugin threw one. */
  code?: string;
  stack?: string;
}

/** Turns anything thrown into a {@link SerializedError}. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      name: e.name,
      message: e.message,
      code: typeof code === 'string' ? code : undefined,
      stack: e.stack,
    };
  }
  return { name: 'Error', message: typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e)) };
}

/** Whether a value is a message of this protocol version. */
export function isProtocolMessage(m: unknown): m is WorkerMessage | HostMessage {
  return (
    typeof m === 'object' &&
    m !== null &&
    (m as { v?: unknown }).v === PLUGIN_PROTOCOL_VERSION &&
    typeof (m as { type?: unknown }).type === 'string'
  );
}

/** The distinct ArrayBuffers under the typed arrays of an input (volumes) or a result (labelmaps, maps), to transfer. */
export function transferablesOf(value: AnalysisInput | AnalysisResult): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | undefined) => {
    if (a && a.buffer instanceof ArrayBuffer) set.add(a.buffer);
  };
  if ('series' in value) {
    for (const s of Object.values(value.series)) add(s?.volume.data);
  } else {
    for (const l of value.labelmaps ?? []) add(l.data);
    for (const m of value.maps ?? []) add(m.volume.data);
  }
  return [...set];
}
