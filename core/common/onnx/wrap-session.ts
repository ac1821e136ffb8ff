/**
 * Adapts an onnxruntime (node or web) InferenceSession to the SDK's {@link ModelSession}, so no onnxruntime type
 * crosses into plugin code. Structural types only: core/common imports neither runtime.
 */
import type { ModelSession, Tensor } from '@qiview/sdk';

/** The parts of an onnxruntime tensor this adapter uses. */
export interface OrtTensorLike {
  type: string;
  data: unknown;
  dims: readonly number[];
}

/** The parts of an onnxruntime module this adapter uses. */
export interface OrtLike {
  Tensor: new (type: Tensor['type'], data: Tensor['data'], dims: readonly number[]) => OrtTensorLike;
}

/** The parts of an InferenceSession this adapter uses. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

const TYPES = new Set(['float32', 'int32', 'int64', 'uint8', 'bool']);

/** Wraps `session` (created with `ort`) as a {@link ModelSession}. */
export function wrapSession(ort: OrtLike, session: OrtSessionLike): ModelSession {
  return {
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    async run(feeds) {
      const f: Record<string, OrtTensorLike> = {};
      for (const [k, t] of Object.entries(feeds)) f[k] = new ort.Tensor(t.type, t.data, t.dims);
      const out = await session.run(f);
      const r: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(out)) {
        if (!TYPES.has(t.type)) throw new Error(`model output "${k}" has unsupported tensor type ${t.type}`);
        r[k] = { type: t.type as Tensor['type'], data: t.data as Tensor['data'], dims: [...t.dims] };
      }
      return r;
    },
    release: () => session.release(),
  };
}
