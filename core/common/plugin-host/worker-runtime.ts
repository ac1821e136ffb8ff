/**
 * The worker side of the plugin protocol, environment-neutral: the Node and browser worker entries give it an
 * {@link WorkerEnvironment} (how to import the bundle, read bytes, open ONNX sessions) and a message port.
 */
import type { AnalysisContext, AnalysisPlugin, Kernels, ModelSession, RegistrationApi } from '@qiview/sdk';
import { createKernels } from '../../../wasm/kernels';
import {
  PLUGIN_PROTOCOL_VERSION,
  serializeError,
  transferablesOf,
  type HostMessage,
  type RegisterResponse,
  type StartMessage,
  type WorkerMessage,
} from './protocol';
import { sha256Hex } from './sha256';

/** What a worker entry provides. */
export interface WorkerEnvironment {
  /** Imports the plugin bundle and returns its module namespace. */
  importPlugin(url: string): Promise<{ default?: unknown }>;
  /** Reads bytes at a URL (model or kernels file). */
  readBytes(url: string): Promise<Uint8Array>;
  /** Opens an ONNX session from model bytes (hash already checked). */
  openSession(bytes: Uint8Array): Promise<ModelSession>;
  /** Registration API, when this environment has one. */
  registration?: () => Promise<RegistrationApi | undefined>;
}

/** The worker's message port. */
export interface WorkerPort {
  post(message: WorkerMessage, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: unknown) => void): void;
}

class CancelledError extends Error {
  readonly code = 'cancelled';
  constructor(reason: string) {
    super(`cancelled: ${reason}`);
    this.name = 'CancelledError';
  }
}

/** Wires the protocol on `port`: runs one plugin per start message. */
export function serveWorker(port: WorkerPort, env: WorkerEnvironment): void {
  const controllers = new Map<string, AbortController>();
  let kernels: Promise<Kernels> | undefined;
  const pending = new Map<number, (r: RegisterResponse) => void>();
  let nextRequest = 1;
  /** The registration API that asks the host (see {@link StartMessage.hostRegistration}). */
  const hostRegistration = (runId: string): RegistrationApi => ({
    register(fixed, moving, options) {
      const requestId = nextRequest++;
      // copies: the plugin keeps its volumes; the copies' buffers are transferred to the host
      const f = { ...fixed, data: fixed.data.slice() };
      const mv = { ...moving, data: moving.data.slice() };
      return new Promise((resolve, reject) => {
        pending.set(requestId, (r) => {
          if (r.result) resolve(r.result);
          else
            reject(
              Object.assign(new Error(r.error?.message ?? 'registration failed in the host'), {
                name: r.error?.name ?? 'Error',
                code: r.error?.code,
              }),
            );
        });
        port.post(
          { v: 1, type: 'register', runId, requestId, fixed: f, moving: mv, options: { ...options } },
          [f.data.buffer as ArrayBuffer, mv.data.buffer as ArrayBuffer],
        );
      });
    },
  });
  port.onMessage((raw) => {
    const m = raw as HostMessage;
    if (typeof m !== 'object' || m === null || m.v !== PLUGIN_PROTOCOL_VERSION) {
      const runId = (m as { runId?: string } | null)?.runId ?? '?';
      port.post({
        v: 1,
        type: 'error',
        runId,
        error: {
          name: 'ProtocolError',
          message: `unsupported protocol message (want v${PLUGIN_PROTOCOL_VERSION})`,
        },
      });
      return;
    }
    if (m.type === 'registered') {
      const settle = pending.get(m.requestId);
      pending.delete(m.requestId);
      settle?.(m);
      return;
    }
    if (m.type === 'cancel') {
      controllers.get(m.runId)?.abort(new CancelledError(m.reason));
      return;
    }
    if (m.type === 'start') {
      const controller = new AbortController();
      controllers.set(m.runId, controller);
      kernels ??= env.readBytes(m.kernelsUrl).then((b) => createKernels(b.slice()));
      void run(m, controller, kernels).finally(() => controllers.delete(m.runId));
    }
  });

  async function run(
    m: StartMessage,
    controller: AbortController,
    kernelsP: Promise<Kernels>,
  ): Promise<void> {
    const t0 = performance.now();
    try {
      const mod = await env.importPlugin(m.pluginUrl);
      const plugin = mod.default as AnalysisPlugin | undefined;
      if (!plugin || typeof plugin.run !== 'function') {
        throw new Error(`plugin bundle ${m.pluginUrl} has no default export with a run() function`);
      }
      const declared = new Map(m.manifest.models.map((d) => [d.id, d]));
      const granted = m.manifest.permissions;
      const context: AnalysisContext = {
        kernels: await kernelsP,
        locale: m.locale,
        signal: controller.signal,
        progress(fraction, message) {
          const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
          port.post({ v: 1, type: 'progress', runId: m.runId, fraction: f, message });
        },
        log(severity, message) {
          port.post({ v: 1, type: 'log', runId: m.runId, severity, message: String(message) });
        },
        throwIfCancelled() {
          if (controller.signal.aborted) throw controller.signal.reason ?? new CancelledError('cancelled');
        },
        async model(id) {
          if (!granted.includes('models'))
            throw new Error('the manifest does not request the "models" permission');
          const decl = declared.get(id);
          const loc = m.models[id];
          if (!decl || !loc) throw new Error(`model "${id}" is not declared in the manifest`);
          const bytes = await env.readBytes(loc.url);
          const got = await sha256Hex(bytes);
          if (got !== decl.sha256) {
            throw Object.assign(
              new Error(`model "${id}" refused: sha256 ${got} does not match the manifest's ${decl.sha256}`),
              { code: 'model-hash-mismatch' },
            );
          }
          return env.openSession(bytes);
        },
        registration: !granted.includes('registration')
          ? undefined
          : m.hostRegistration
            ? hostRegistration(m.runId)
            : env.registration
              ? await env.registration()
              : undefined,
      };
      const result = await plugin.run(m.input, context);
      port.post(
        { v: 1, type: 'result', runId: m.runId, result, durationMs: performance.now() - t0 },
        result && typeof result === 'object' ? transferablesOf(result) : [],
      );
    } catch (e) {
      port.post({ v: 1, type: 'error', runId: m.runId, error: serializeError(e) });
    }
  }
}
