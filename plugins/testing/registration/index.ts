/**
 * Test plugin: proves `context.registration` works inside the worker. Registers a synthetic Gaussian blob onto a
 * copy shifted by 6 mm along x and returns the recovered translation.
 */
import { AnalysisError, definePlugin, type Volume } from '@qiview/sdk';

function blob(shiftMm: number): Volume {
  const [nx, ny, nz] = [32, 32, 16];
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const x = i * 2 - 32 - shiftMm;
        const y = j * 2 - 30;
        const z = k * 3 - 22;
        data[i + nx * (j + ny * k)] = 1000 * Math.exp(-(x * x + y * y * 0.7 + z * z * 0.5) / 128);
      }
  return {
    geometry: {
      dimensions: [nx, ny, nz],
      spacing: [2, 2, 3],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    data,
    frames: 1,
    unit: '1',
    metadata: { modality: 'OT' },
    warnings: [],
  };
}

export default definePlugin({
  async run(_input, context) {
    if (!context.registration) throw new AnalysisError('no-registration', 'the host offered no registration');
    const r = await context.registration.register(blob(0), blob(6), { kind: 'rigid', maxIterations: 200 });
    const t = r.transform.parameters.slice(3, 6);
    return {
      labelmaps: [],
      maps: [],
      measurements: t.map((v, i) => ({ key: `t${'xyz'[i]}_mm`, name: `t${'xyz'[i]}`, value: v, unit: 'mm' })),
      findings: [r.transform.kind],
    };
  },
});
