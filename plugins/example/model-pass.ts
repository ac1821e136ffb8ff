import { AnalysisError, type AnalysisContext } from '@qiview/sdk';

/**
 * Sends `values` through the plugin's `identity` ONNX model (declared in manifest.json, sha256 checked by the
 * host) and returns the model output. The example uses it to prove the ONNX path end to end: a real model would
 * take image patches and return probabilities the same way.
 */
export async function passThroughModel(context: AnalysisContext, values: number[]): Promise<number[]> {
  const session = await context.model('identity');
  try {
    const x = Float32Array.from(values);
    const out = await session.run({ x: { type: 'float32', data: x, dims: [1, x.length] } });
    const y = out[session.outputNames[0]!];
    if (!y || y.data.length !== x.length) {
      throw new AnalysisError(
        'model-output',
        `identity model returned ${y?.data.length ?? 0} values, expected ${x.length}`,
      );
    }
    return Array.from(y.data as Float32Array);
  } finally {
    await session.release();
  }
}
