import { describe, expect, it } from 'vitest';
import { createTestContext } from '../../tests/support/node-context';
import { EXAMPLE_PHANTOM_EXPECTED as E, makeExamplePhantom } from './phantom';
import plugin from './index';

const MODEL = { path: new URL('./models/identity.onnx', import.meta.url).pathname };

describe('example plugin (direct, no worker)', () => {
  it('finds the main blob with exact volume, mean and SD', async () => {
    const context = await createTestContext({ models: { identity: MODEL } });
    const volume = makeExamplePhantom();
    const r = await plugin.run(
      { series: { ct: { role: 'ct', volume, dicom: { Modality: 'CT' } } }, parameters: {} },
      context,
    );
    const m = Object.fromEntries(r.measurements.map((x) => [x.key, x.value]));
    expect(m.voxel_count).toBe(E.voxels);
    expect(m.volume_ml).toBeCloseTo(E.volumeMl, 10);
    expect(m.mean_hu).toBeCloseTo(E.meanHu, 9);
    expect(m.sd_hu).toBeCloseTo(E.sdHu, 9);
    expect(r.labelmaps[0]!.data.reduce((a, b) => a + b, 0)).toBe(E.voxels);
    expect(r.plots![0]!.series[0]!.y.reduce((a, b) => a + b, 0)).toBe(E.voxels);
    expect(context.progressLog.at(-1)?.fraction).toBe(1);
  });

  it('refuses a reversed HU range with a reason', async () => {
    const context = await createTestContext({ models: { identity: MODEL } });
    const volume = makeExamplePhantom();
    await expect(
      plugin.run(
        { series: { ct: { role: 'ct', volume, dicom: {} } }, parameters: { lowerHu: 500, upperHu: 100 } },
        context,
      ),
    ).rejects.toThrow(/lowerHu \(500\) must be below upperHu/);
  });
});
