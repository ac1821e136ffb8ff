/**
 * User ROIs on the ASLDRO set: the optional `roi` input (an integer label map, names from a BIDS dseg.tsv) gives mean
 * and median CBF per region. ROI 1 = pure GM, ROI 2 = pure WM of the ground-truth seg_label: their medians must equal
 * the plugin's own CBF map medians over those voxels and lie within 2 % of the DRO's white-paper values
 * (expected_values.json). The same ROIs on a 2× finer, half-voxel-shifted grid give the same numbers (nearest
 * neighbour at ASL voxel centres). Refusals: 4D map, non-integer labels, no region in the field of view; a region
 * outside the brain mask is reported in the log and gets no number. Skips when ../shared/data is absent.
 */
import type { AnalysisInput, Direction, InputSeries, Vec3, Volume } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import { runAsl } from '../../plugins/asl-perfusion';
import { hasDro, loadDro } from '../phantoms/asl-dro-input';
import { createTestContext } from '../support/node-context';
import { median } from '../support/median';

const DSEG = 'index\tname\n1\tpure GM\n2\tpure WM\n';

function roiSeries(volume: Volume, attachments?: Record<string, string>): InputSeries {
  return { role: 'roi', volume, dicom: {}, ...(attachments ? { attachments } : {}) };
}

/** The integer ROI: 1 where seg_label is exactly 1 (pure GM), 2 where exactly 2 (pure WM). */
function pureRoi(seg: Volume): Volume {
  const data = new Uint8Array(seg.data.length);
  for (let v = 0; v < data.length; v++) {
    const s = Number(seg.data[v]);
    data[v] = Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0;
  }
  return { ...seg, data, frames: 1, unit: '1', warnings: [] };
}

/** The same ROI on a grid with half the spacing, origin shifted by a quarter of an ASL voxel (2×2×2 blocks). */
function finerRoi(roi: Volume): Volume {
  const [nx, ny, nz] = roi.geometry.dimensions;
  const [sx, sy, sz] = roi.geometry.spacing;
  const d = roi.geometry.direction;
  const origin = [0, 1, 2].map(
    (a) => roi.geometry.origin[a]! - (sx / 4) * d[a]! - (sy / 4) * d[3 + a]! - (sz / 4) * d[6 + a]!,
  ) as Vec3;
  const fx = 2 * nx,
    fy = 2 * ny,
    fz = 2 * nz;
  const data = new Uint8Array(fx * fy * fz);
  for (let k = 0; k < fz; k++)
    for (let j = 0; j < fy; j++)
      for (let i = 0; i < fx; i++)
        data[i + fx * (j + fy * k)] = Number(roi.data[(i >> 1) + nx * ((j >> 1) + ny * (k >> 1))]);
  return {
    ...roi,
    data,
    geometry: {
      dimensions: [fx, fy, fz],
      spacing: [sx / 2, sy / 2, sz / 2],
      origin,
      direction: [...d] as Direction,
    },
  };
}

describe.skipIf(!hasDro())('ASL user ROIs on ASLDRO', () => {
  it('mean/median CBF per ROI equal the CBF map over the ROI and match the DRO white-paper values', async () => {
    const { input, seg, expected } = loadDro();
    const roi = pureRoi(seg);
    const run = await runAsl(
      {
        ...input,
        series: { ...input.series, roi: roiSeries(roi, { 'sub-dro_dseg.tsv': DSEG }) },
      } as AnalysisInput,
      await createTestContext(),
    );
    const byKey = Object.fromEntries(run.result.measurements.map((m) => [m.key, m]));
    const own = (label: number) => {
      const a: number[] = [];
      for (let v = 0; v < run.cbf.length; v++)
        if (roi.data[v] === label && run.tissue.brain[v]) a.push(run.cbf[v]!);
      return a;
    };
    const gm = own(1),
      wm = own(2);
    const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
    const eWm = expected.white_matter.expected_whitepaper_cbf_analytic as number;
    console.log(
      JSON.stringify({
        roi1: [byKey.cbf_roi1_mean!.value, byKey.cbf_roi1_median!.value, byKey.roi1_voxels!.value],
        roi2: [byKey.cbf_roi2_mean!.value, byKey.cbf_roi2_median!.value, byKey.roi2_voxels!.value],
        eGm,
        eWm,
      }),
    );
    expect(byKey.cbf_roi1_median!.value).toBeCloseTo(median(gm), 5);
    expect(byKey.cbf_roi2_median!.value).toBeCloseTo(median(wm), 5);
    expect(byKey.cbf_roi1_mean!.value).toBeCloseTo(gm.reduce((a, b) => a + b, 0) / gm.length, 4);
    expect(byKey.roi1_voxels!.value).toBe(gm.length);
    expect(Math.abs(byKey.cbf_roi1_median!.value - eGm) / eGm).toBeLessThan(0.02);
    expect(Math.abs(byKey.cbf_roi2_median!.value - eWm) / eWm).toBeLessThan(0.02);
    expect(byKey.cbf_roi1_median!.region).toEqual({ labelmapId: 'roi', label: 1, name: 'pure GM' });
    expect(byKey.cbf_roi2_mean!.name).toBe('Mean CBF, pure WM');
    const lm = run.result.labelmaps.find((l) => l.id === 'roi')!;
    expect(lm.segments.map((s) => [s.label, s.name])).toEqual([
      [1, 'pure GM'],
      [2, 'pure WM'],
    ]);
    expect(run.result.parameters!.find((p) => p.key === 'roi')).toMatchObject({
      source: 'user',
      detail: 'label map on the ASL grid',
    });

    // the same regions on a finer, shifted grid: identical labels on the ASL grid, identical numbers
    const fine = await runAsl(
      { ...input, series: { ...input.series, roi: roiSeries(finerRoi(roi)) } } as AnalysisInput,
      await createTestContext(),
    );
    expect(Array.from(fine.roi!.labels)).toEqual(Array.from(roi.data));
    const fk = Object.fromEntries(fine.result.measurements.map((m) => [m.key, m.value]));
    expect(fk.cbf_roi1_median).toBeCloseTo(byKey.cbf_roi1_median!.value, 6);
    expect(fk.cbf_roi2_mean).toBeCloseTo(byKey.cbf_roi2_mean!.value, 6);
    expect(fine.result.measurements.find((m) => m.key === 'cbf_roi1_mean')!.region!.name).toBe('ROI 1');
    expect(fine.roi!.detail).toMatch(/nearest neighbour/);
  }, 60_000);

  it('refuses what is not a 3D integer label map in the field of view; a region outside the brain gets no number', async () => {
    const { input, seg } = loadDro();
    const roi = pureRoi(seg);
    const opts = { motionCorrection: false, selfCheck: false };
    const run = async (v: Volume) => {
      const ctx = await createTestContext();
      const r = await runAsl(
        { series: { ...input.series, roi: roiSeries(v) }, parameters: opts } as AnalysisInput,
        ctx,
      );
      return { r, ctx };
    };
    const n = roi.data.length;
    const twoFrames = new Uint8Array(2 * n);
    twoFrames.set(roi.data as Uint8Array);
    await expect(run({ ...roi, data: twoFrames, frames: 2 })).rejects.toMatchObject({
      code: 'bad-roi',
      message: expect.stringMatching(/2 frames; a 3D label map/),
    });
    await expect(
      run({ ...roi, data: Float32Array.from(seg.data as ArrayLike<number>) }),
    ).rejects.toMatchObject({
      code: 'bad-roi',
      message: expect.stringMatching(/not a label map: voxel value/),
    });
    const far = { ...roi, geometry: { ...roi.geometry, origin: [5000, 5000, 5000] as Vec3 } };
    await expect(run(far)).rejects.toMatchObject({
      code: 'bad-roi',
      message: expect.stringMatching(/no region/),
    });
    // label 7 on one corner voxel (background): logged, no measurement; the other regions still reported
    const corner = Uint8Array.from(roi.data as Uint8Array);
    corner[0] = 7;
    const { r, ctx } = await run({ ...roi, data: corner });
    expect(r.roi!.regions.find((x) => x.label === 7)).toMatchObject({ n: 0, nTotal: 1 });
    expect(r.result.measurements.some((m) => m.key.startsWith('cbf_roi7'))).toBe(false);
    expect(r.result.measurements.some((m) => m.key === 'cbf_roi1_median')).toBe(true);
    expect(
      ctx.logs.some((l) => l.severity === 'warning' && /Region 7 .*outside the brain mask/.test(l.message)),
    ).toBe(true);
  }, 60_000);
});
