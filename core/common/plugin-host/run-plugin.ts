/**
 * Host side of a plugin run, environment-neutral: starts a worker (through a {@link PluginWorker} adapter that the
 * Node and browser runners provide), enforces the manifest's time limit, cancels, and turns every way a run can
 * end (result, thrown error, hang, crash, out of memory, invalid result) into a {@link RunOutcome}. Never throws for
 * a plugin's failure; the host process/page always survives.
 */
import type { AnalysisInput, AnalysisResult, Manifest, RegistrationApi, Severity } from '@qiview/sdk';
import { resolveParameters } from './parameters';
import {
  PLUGIN_PROTOCOL_VERSION,
  transferablesOf,
  type HostMessage,
  type ModelLocation,
  serializeError,
  type WorkerMessage,
} from './protocol';
import { validateResult } from './validate-result';

/** Why a run failed. */
export type FailureReason =
  'invalid-input' | 'error' | 'timeout' | 'cancelled' | 'crash' | 'out-of-memory' | 'invalid-result';

/** A fatal worker event reported by the adapter (uncaught error, exit, OOM). */
export interface WorkerFailure {
  reason: 'crash' | 'out-of-memory';
  message: string;
}

/** One started worker, as the host sees it. */
export interface PluginWorker {
  post(message: HostMessage, transfer: ArrayBuffer[]): void;
  onMessage(handler: (message: unknown) => void): void;
  onFailure(handler: (failure: WorkerFailure) => void): void;
  terminate(): void | Promise<unknown>;
}

/**
 * The host's side of registration: the SDK's {@link RegistrationApi} (the plugin-facing signature is unchanged) plus
 * an optional abort signal that {@link runPluginInWorker} passes and aborts when the run ends for any reason (cancel,
 * timeout, crash, result) while this registration is still in flight. An implementation that can stop its work
 * (the browser's itk-wasm pipeline worker) should do so and reject with a cancellation error; one that cannot may
 * ignore the signal (its late answer is dropped). Any plain `RegistrationApi` is a valid `HostRegistrationApi`.
 */
export interface HostRegistrationApi {
  register(
    fixed: Parameters<RegistrationApi['register']>[0],
    moving: Parameters<RegistrationApi['register']>[1],
    options: Parameters<RegistrationApi['register']>[2],
    signal?: AbortSignal,
  ): ReturnType<RegistrationApi['register']>;
}

/** The error a host registration rejects with when its run ended before it finished (`code` 'cancelled'). */
export class RegistrationCancelledError extends Error {
  readonly code = 'cancelled';
  constructor(message = 'registration cancelled: the plugin run ended') {
    super(message);
    this.name = 'RegistrationCancelledError';
  }
}

/** A log line recorded during a run. */
export interface RunLog {
  severity: Severity;
  message: string;
}

/** How a run ended. */
export type RunOutcome =
  | { ok: true; result: AnalysisResult; durationMs: number; logs: RunLog[] }
  | {
      ok: false;
      reason: FailureReason;
      message: string;
      /** `AnalysisError.code` when the plugin refused its input. */
      code?: string;
      durationMs: number;
      logs: RunLog[];
    };

/** Options shared by the Node and browser `runPlugin`. */
export interface RunPluginOptions {
  /** A validated manifest (see `parseManifest`). */
  manifest: Manifest;
  /** Volumes by role and user parameters (defaults filled and validated here). */
  input: AnalysisInput;
  locale?: string;
  /** Aborting cancels the run (reason 'cancelled'). */
  signal?: AbortSignal;
  onProgress?: (fraction: number, message?: string) => void;
  onLog?: (severity: Severity, message: string) => void;
  /** Overrides `manifest.limits.timeoutSeconds` (ms). */
  timeoutMs?: number;
  /** Transfer the input volumes' buffers to the worker (they become unusable here) instead of copying them. */
  transferInput?: boolean;
  /** How long a cancelled plugin may take to stop by itself before its worker is terminated (default 1000 ms). */
  cancelGraceMs?: number;
  /**
   * Registration run by the host for the plugin (browser: elastix on the page; Node: optional, the worker has its own),
   * answered over the protocol (`register` / `registered`); only used when the manifest grants `registration`.
   * Each call gets an abort signal that is aborted when the run ends while that registration is in flight.
   */
  registration?: HostRegistrationApi;
}

/** Everything the environment runner resolved for {@link runPluginInWorker}. */
export interface WorkerRunSpec extends RunPluginOptions {
  pluginUrl: string;
  kernelsUrl: string;
  models: Record<string, ModelLocation>;
}

let counter = 0;

function copyInput(input: AnalysisInput): AnalysisInput {
  const series: AnalysisInput['series'] = {};
  for (const [role, s] of Object.entries(input.series)) {
    series[role] = s ? { ...s, volume: { ...s.volume, data: s.volume.data.slice() } } : undefined;
  }
  return { ...input, series };
}

/** Runs one plugin in a fresh worker made by `createWorker`; the worker is always terminated at the end. */
export async function runPluginInWorker(
  createWorker: () => PluginWorker,
  spec: WorkerRunSpec,
): Promise<RunOutcome> {
  const t0 = performance.now();
  const logs: RunLog[] = [];
  const elapsed = () => performance.now() - t0;
  const fail = (reason: FailureReason, message: string, code?: string): RunOutcome => ({
    ok: false,
    reason,
    message,
    code,
    durationMs: elapsed(),
    logs,
  });

  const params = resolveParameters(spec.manifest, spec.input.parameters);
  if (!params.ok) return fail('invalid-input', params.errors.join('; '));
  const missing = spec.manifest.inputs
    .filter((i) => i.required && !spec.input.series[i.role])
    .map((i) => i.role);
  if (missing.length) return fail('invalid-input', `required input(s) missing: ${missing.join(', ')}`);
  if (spec.signal?.aborted) return fail('cancelled', 'cancelled before start');

  const base = spec.transferInput ? spec.input : copyInput(spec.input);
  const input: AnalysisInput = { ...base, parameters: params.parameters };
  const runId = `run-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const timeoutMs = spec.timeoutMs ?? spec.manifest.limits.timeoutSeconds * 1000;

  let worker: PluginWorker;
  try {
    worker = createWorker();
  } catch (e) {
    return fail('crash', `could not start the worker: ${e instanceof Error ? e.message : String(e)}`);
  }

  return new Promise<RunOutcome>((resolve) => {
    let done = false;
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    /** One controller per host registration still in flight; all aborted when the run ends. */
    const registrations = new Set<AbortController>();
    const finish = (outcome: RunOutcome) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      for (const c of registrations) c.abort(new RegistrationCancelledError());
      registrations.clear();
      spec.signal?.removeEventListener('abort', onAbort);
      void Promise.resolve(worker.terminate()).catch(() => undefined);
      resolve(outcome);
    };
    const onAbort = () => {
      const reason = 'cancelled by the user';
      try {
        worker.post({ v: PLUGIN_PROTOCOL_VERSION, type: 'cancel', runId, reason }, []);
      } catch {
        /* worker already gone */
      }
      timers.push(setTimeout(() => finish(fail('cancelled', reason)), spec.cancelGraceMs ?? 1000));
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(
        () =>
          finish(
            fail('timeout', `no result after ${(timeoutMs / 1000).toFixed(1)} s (limit); worker terminated`),
          ),
        timeoutMs,
      ),
    );
    worker.onFailure((f) => finish(fail(f.reason, f.message)));
    worker.onMessage((raw) => {
      const m = raw as WorkerMessage;
      if (typeof m !== 'object' || m === null || m.v !== PLUGIN_PROTOCOL_VERSION || m.runId !== runId) return;
      if (m.type === 'progress') spec.onProgress?.(m.fraction, m.message);
      else if (m.type === 'log') {
        logs.push({ severity: m.severity, message: m.message });
        spec.onLog?.(m.severity, m.message);
      } else if (m.type === 'error') {
        const cancelled = spec.signal?.aborted || m.error.code === 'cancelled';
        finish(fail(cancelled ? 'cancelled' : 'error', `${m.error.name}: ${m.error.message}`, m.error.code));
      } else if (m.type === 'register') {
        const reg = spec.registration;
        const answer = (r: {
          result?: Awaited<ReturnType<RegistrationApi['register']>>;
          error?: unknown;
        }) => {
          if (done) return;
          try {
            worker.post(
              {
                v: PLUGIN_PROTOCOL_VERSION,
                type: 'registered',
                runId,
                requestId: m.requestId,
                ...(r.result
                  ? { result: r.result }
                  : { error: serializeError(r.error ?? new Error('registration failed')) }),
              },
              r.result && r.result.resampled.data.buffer instanceof ArrayBuffer
                ? [r.result.resampled.data.buffer]
                : [],
            );
          } catch {
            /* worker already gone */
          }
        };
        if (!reg || !spec.manifest.permissions.includes('registration'))
          answer({ error: new Error('this host offers no registration to the plugin') });
        else {
          const tr = performance.now();
          const controller = new AbortController();
          registrations.add(controller);
          let pending: ReturnType<RegistrationApi['register']>;
          try {
            pending = reg.register(m.fixed, m.moving, m.options, controller.signal);
          } catch (e) {
            pending = Promise.reject(e);
          }
          pending
            .finally(() => registrations.delete(controller))
            .then(
              (result) => {
                const message = `host registration (${result.transform.kind}): ${Math.round(performance.now() - tr)} ms`;
                logs.push({ severity: 'info', message });
                spec.onLog?.('info', message);
                answer({ result });
              },
              (error: unknown) => answer({ error }),
            );
        }
      } else if (m.type === 'result') {
        const problems = validateResult(
          m.result,
          spec.manifest.inputs.map((i) => i.role),
        );
        finish(
          problems.length
            ? fail('invalid-result', problems.slice(0, 10).join('; '))
            : { ok: true, result: m.result, durationMs: elapsed(), logs },
        );
      }
    });
    try {
      worker.post(
        {
          v: PLUGIN_PROTOCOL_VERSION,
          type: 'start',
          runId,
          pluginUrl: spec.pluginUrl,
          manifest: spec.manifest,
          input,
          locale: spec.locale ?? 'en',
          models: spec.models,
          kernelsUrl: spec.kernelsUrl,
          hostRegistration: !!spec.registration && spec.manifest.permissions.includes('registration'),
        },
        transferablesOf(input),
      );
    } catch (e) {
      finish(
        fail(
          'crash',
          `could not send the input to the worker: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
  });
}
