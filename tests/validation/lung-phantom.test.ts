/**
 * Lung fibrosis plugin on the project's chest phantom (exact truth): lung Dice ≥ 0.97 per lung including dense
 * subpleural fibrosis and honeycombing, HAA %, LAA-950 % and fibrosis extent within 0.5 percentage points of the truth,
 * each texture class ≥ 90 % voxel accuracy, airways excluded; follow-up against a healthy prior; bad input refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AnalysisError,
  parseManifest,
  type AnalysisInput,
  type AnalysisResult,
  type Volume,
} from '@qiview/sdk';
import { readFileSync } from 'node:fs';
import plugin from '../../plugins/lung-fibrosis/index';
import { chestPhantom, TEXTURE, type ChestPhantom } from '../phantoms/chest-phantom';
import { dice } from '../support/dice';
import { createTestContext } from '../support/node-context';

const input = (volume: Volume, extra: Partial<AnalysisInput> = {}): AnalysisInput => ({
  series: { ct: { role: 'ct', volume, dicom: { Modality: volume.metadata.modality } } },
  parameters: {},
  ...extra,
});

const value = (r: AnalysisResult, key: string) => {
  const m = r.measurements.find((x) => x.key === key);
  if (!m) throw new Error(`no measurement ${key}`);
  return m.value;
};

describe('lung fibrosis plugin on the chest phantom', () => {
  let ph: ChestPhantom;
  let result: AnalysisResult;
  beforeAll(async () => {
    ph = chestPhantom();
    const ctx = await createTestContext();
    result = await plugin.run(input(ph.volume), ctx);
  }, 120_000);

  it('segments both lungs with Dice ≥ 0.97 including the dense subpleural regions, airways excluded', () => {
    const lungs = result.labelmaps.find((l) => l.id === 'lungs')!;
    const dr = dice(lungs.data, 1, ph.truth.lungs, 1);
    const dl = dice(lungs.data, 2, ph.truth.lungs, 2);
    console.log(`phantom Dice right ${dr.toFixed(4)} left ${dl.toFixed(4)}`);
    expect(dr).toBeGreaterThanOrEqual(0.97);
    expect(dl).toBeGreaterThanOrEqual(0.97);
    // dense truth (reticular + honeycombing) kept inside
    let dense = 0,
      kept = 0,
      airway = 0,
      airwayIn = 0,
      lumen = 0,
      lumenIn = 0;
    for (let q = 0; q < lungs.data.length; q++) {
      const t = ph.truth.texture[q];
      if (t === TEXTURE.reticular || t === TEXTURE.honeycombing) {
        dense++;
        if (lungs.data[q]) kept++;
      }
      if (ph.truth.airway[q]) {
        airway++;
        if (lungs.data[q]) airwayIn++;
        if (ph.volume.data[q] < -900) {
          lumen++;
          if (lungs.data[q]) lumenIn++;
        }
      }
    }
    console.log(
      `dense kept ${(kept / dense).toFixed(4)}, airway (lumen + wall) in lung mask ${(airwayIn / airway).toFixed(4)}, lumen ${(lumenIn / lumen).toFixed(4)}`,
    );
    expect(kept / dense).toBeGreaterThanOrEqual(0.95);
    expect(lumenIn / lumen).toBeLessThan(0.02);
    expect(airwayIn / airway).toBeLessThan(0.1);
  });

  it('measures HAA %, LAA-950 % and fibrosis extent within 0.5 percentage points of the truth', () => {
    const haa = value(result, 'lungs_haa'),
      laa = value(result, 'lungs_laa950'),
      fib = value(result, 'lungs_fibrosis_extent');
    const e = ph.expected;
    console.log(
      `HAA ${haa.toFixed(2)} (truth ${e.haaPct.toFixed(2)}), LAA ${laa.toFixed(2)} (${e.laa950Pct.toFixed(2)}), fibrosis ${fib.toFixed(2)} (${e.fibrosisPct.toFixed(2)})`,
    );
    expect(Math.abs(haa - e.haaPct)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(laa - e.laa950Pct)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(fib - e.fibrosisPct)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(value(result, 'right_volume') - e.volumeMl.right) / e.volumeMl.right).toBeLessThan(0.03);
  });

  it('classifies each texture class with ≥ 90 % voxel accuracy', () => {
    const tex = result.labelmaps.find((l) => l.id === 'texture')!;
    for (const t of Object.values(TEXTURE)) {
      let n = 0,
        ok = 0;
      for (let q = 0; q < tex.data.length; q++)
        if (ph.truth.texture[q] === t) {
          n++;
          if (tex.data[q] === t) ok++;
        }
      console.log(`texture ${t}: accuracy ${(ok / n).toFixed(4)} of ${n}`);
      expect(ok / n).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('puts the fibrosis in the lower rind and reports zones, units, plots and bilingual findings', async () => {
    expect(value(result, 'lower_rind_fibrosis_extent')).toBeGreaterThan(
      value(result, 'upper_core_fibrosis_extent') + 10,
    );
    expect(value(result, 'upper_laa950')).toBeGreaterThan(value(result, 'lower_laa950'));
    expect(result.labelmaps.map((l) => l.id)).toEqual(['lungs', 'zones', 'texture']);
    const zones = result.labelmaps[1];
    expect(new Set(zones.data).size).toBe(7);
    for (const m of result.measurements) expect(['ml', 'HU', '%', '1']).toContain(m.unit);
    expect(result.plots?.map((p) => p.kind)).toEqual(['histogram', 'bar']);
    expect(result.findings.join(' ')).toMatch(/Fibrosis extent \d+\.\d % .*(minimal|limited|extensive)/);
    expect(result.parameters?.find((p) => p.key === 'severity_thresholds')?.value).toEqual([5, 20]);
    const ph2 = chestPhantom({ dims: [112, 84, 75], spacing: [3.2, 3.2, 3.2] });
    const zh = await plugin.run(input(ph2.volume), await createTestContext({ locale: 'zh-CN' }));
    expect(zh.findings.join('')).toMatch(/纤维化范围/);
    // 3.2 mm slices: analysed, with a thickness warning
    expect(zh.qc?.status).toBe('warn');
    expect(zh.qc?.reasons.join(' ')).toMatch(/Slice thickness 3\.20 mm/);
  }, 60_000);

  it('compares with a prior CT: Δ fibrosis extent per zone with the MCID flag and a change map', async () => {
    const prior = chestPhantom({ healthy: true, seed: 11 });
    prior.volume.geometry.origin = [
      prior.volume.geometry.origin[0] + 6,
      prior.volume.geometry.origin[1] - 4,
      prior.volume.geometry.origin[2],
    ];
    const ctx = await createTestContext();
    const r = await plugin.run(input(ph.volume, { priors: [input(prior.volume)] }), ctx);
    const delta = value(r, 'lungs_fibrosis_extent_delta');
    console.log(`Δ fibrosis extent ${delta.toFixed(2)} pp (truth ${ph.expected.fibrosisPct.toFixed(2)})`);
    expect(Math.abs(delta - ph.expected.fibrosisPct)).toBeLessThan(0.7);
    expect(value(r, 'lower_rind_fibrosis_progression')).toBe(1);
    expect(value(r, 'upper_core_fibrosis_progression')).toBe(0);
    expect(r.maps[0].id).toBe('density-change');
    expect(r.parameters?.find((p) => p.key === 'registration')?.value).toMatch(/centroid/);
    // the translation fallback recovers the 6/−4 mm shift: normal lung changes little
    const lungs = r.labelmaps[0].data,
      tex = r.labelmaps[2].data,
      ch = r.maps[0].volume.data;
    let s = 0,
      c = 0;
    for (let q = 0; q < ch.length; q++)
      if (lungs[q] && tex[q] === TEXTURE.normal && ph.truth.texture[q] === TEXTURE.normal) {
        s += Math.abs(ch[q]);
        c++;
      }
    console.log(`mean |ΔHU| in normal lung ${(s / c).toFixed(1)}`);
    expect(s / c).toBeLessThan(60);
    expect(r.findings.join(' ')).toMatch(/Since the prior CT: fibrosis extent \+\d/);
  }, 120_000);
});

describe('lung fibrosis plugin on a fine (0.8 mm) grid', () => {
  // 4 mm slices keep the test small; they alias the 6 mm septal lattice, so the extent tolerance here is 1 pp (the
  // 0.5 pp acceptance is on the 1.6 mm phantom above) and the plugin must warn about the thickness.
  it('segments on the 2× coarser grid, refines the boundary, Dice ≥ 0.97, extent within 1 pp at 4 mm slices', async () => {
    const ph = chestPhantom({ dims: [448, 336, 60], spacing: [0.8, 0.8, 4], seed: 3 });
    const r = await plugin.run(input(ph.volume), await createTestContext());
    const lungs = r.labelmaps[0].data;
    const dr = dice(lungs, 1, ph.truth.lungs, 1),
      dl = dice(lungs, 2, ph.truth.lungs, 2);
    const fib = value(r, 'lungs_fibrosis_extent');
    console.log(
      `0.8 mm phantom: Dice right ${dr.toFixed(4)} left ${dl.toFixed(4)}, fibrosis ${fib.toFixed(2)} (truth ${ph.expected.fibrosisPct.toFixed(2)})`,
    );
    expect(r.qc?.reasons.join(' ')).toMatch(/segmented at 1\.60 × 1\.60 mm in-plane/);
    expect(dr).toBeGreaterThanOrEqual(0.97);
    expect(dl).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(fib - ph.expected.fibrosisPct)).toBeLessThanOrEqual(1);
    expect(r.qc?.reasons.join(' ')).toMatch(/Slice thickness 4\.00 mm/);
  }, 120_000);
});

describe('lung fibrosis plugin: bad input', () => {
  const small = () => chestPhantom({ dims: [112, 84, 75], spacing: [3.2, 3.2, 3.2] }).volume;
  it('refuses a single slice, a non-CT series, too thick slices and a CT without lungs', async () => {
    const ctx = await createTestContext();
    const v = small();
    const [nx, ny] = v.geometry.dimensions;
    const one: Volume = {
      ...v,
      geometry: { ...v.geometry, dimensions: [nx, ny, 1] },
      data: v.data.slice(30 * nx * ny, 31 * nx * ny),
    };
    await expect(plugin.run(input(one), ctx)).rejects.toMatchObject({ code: 'too-few-slices' });
    const mr: Volume = { ...v, unit: 'arbitrary', metadata: { ...v.metadata, modality: 'MR' } };
    await expect(plugin.run(input(mr), ctx)).rejects.toMatchObject({ code: 'wrong-modality' });
    const thick: Volume = { ...v, geometry: { ...v.geometry, spacing: [3.2, 3.2, 6] } };
    await expect(plugin.run(input(thick), ctx)).rejects.toMatchObject({ code: 'slices-too-thick' });
    const abdomen: Volume = { ...v, data: v.data.map((x) => (x < -700 && x > -990 ? 40 : x)) as Int16Array };
    const err = await plugin.run(input(abdomen), ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisError);
    expect((err as AnalysisError).code).toBe('no-lungs');
  });

  it('warns on uneven spacing reported by the loader and on a sharp kernel with contrast', async () => {
    const v = small();
    v.warnings = ['Uneven slice spacing (gap of 6.4 mm at slice 30)'];
    const ctx = await createTestContext();
    const r = await plugin.run(
      {
        series: {
          ct: {
            role: 'ct',
            volume: v,
            dicom: { Modality: 'CT', ConvolutionKernel: 'B70f', ContrastBolusAgent: 'Iomeron' },
          },
        },
        parameters: {},
      },
      ctx,
    );
    const reasons = r.qc!.reasons.join(' | ');
    expect(reasons).toMatch(/Uneven slice spacing/);
    expect(reasons).toMatch(/Sharp reconstruction kernel "B70f"/);
    expect(reasons).toMatch(/Contrast-enhanced/);
  }, 60_000);

  it('has a valid manifest', () => {
    const m = parseManifest(
      JSON.parse(readFileSync(new URL('../../plugins/lung-fibrosis/manifest.json', import.meta.url), 'utf8')),
    );
    expect(m.ok).toBe(true);
  });
});
