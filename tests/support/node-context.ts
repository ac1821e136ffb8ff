/**
 * A real {@link AnalysisContext} for tests and validation runs in Node: WASM kernels from wasm/build, ONNX sessions
 * through onnxruntime-node from files on disk, progress and logs recorded for assertions. The plugin host
 * (core/node/plugin-host) builds the production context; this one lets plugin tests run without a worker.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AnalysisContext, ModelSession, Severity, Tensor } from '@qiview/sdk';
import { loadKernels } from '../../wasm/node/load-kernels';

export interface TestContext extends AnalysisContext {
  progressLog: Array<{ fraction: number; message?: string }>;
  logs: Array<{ severity: Severity; message: string }>;
  controller: AbortController;
}

/** Creates a test context. `models` maps a manifest model id to an .onnx path (and optional sha256 to check). */
export async function createTestContext(
  options: { models?: Record<string, { path: string; sha256?: string }>; locale?: string } = {},
): Promise<TestContext> {
  const kernels = await loadKernels();
  const controller = new AbortController();
  const progressLog: TestContext['progressLog'] = [];
  const logs: TestContext['logs'] = [];
  return {
    kernels,
    controller,
    progressLog,
    logs,
    locale: options.locale ?? 'en',
    signal: controller.signal,
    progress(fraction, message) {
      progressLog.push({ fraction, message });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new Error('cancelled');
    },
    log(severity, message) {
      logs.push({ severity, message });
    },
    async model(id: string): Promise<ModelSession> {
      const spec = options.models?.[id];
      if (!spec) throw new Error(`model "${id}" not provided to the test context`);
      const bytes = readFileSync(spec.path);
      if (spec.sha256) {
        const got = createHash('sha256').update(bytes).digest('hex');
        if (got !== spec.sha256) throw new Error(`model "${id}" sha256 mismatch: ${got}`);
      }
      const ort = await import('onnxruntime-web');
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(bytes);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(feeds: Record<string, Tensor>) {
          const f: Record<string, InstanceType<typeof ort.Tensor>> = {};
          for (const [k, t] of Object.entries(feeds)) f[k] = new ort.Tensor(t.type, t.data, t.dims);
          const out = await session.run(f);
          const r: Record<string, Tensor> = {};
          for (const [k, t] of Object.entries(out)) {
            r[k] = { type: t.type as Tensor['type'], data: t.data as Tensor['data'], dims: [...t.dims] };
          }
          return r;
        },
        release: () => session.release(),
      };
    },
  };
}
