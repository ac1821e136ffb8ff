/**
 * Lung fibrosis follow-up on phantom pairs where registration matters: the prior is the chest phantom tilted 8° about
 * the left-right axis, turned 5° about the craniocaudal axis and shifted (7, −5, 4) mm — the voxels stay the same and
 * only the DICOM-style geometry (origin, direction) moves, so the truth is exact. Registration is the real itk-wasm
 * elastix (core/node/itk, as the Node plugin host offers it).
 *
 * - same disease in both (another noise seed): Δ fibrosis extent per zone ≈ 0 and every zone "stable";
 * - healthy prior: Δ per zone = the current extent per zone (prior ≈ 0 in every zone), the MCID (4 pp) flags the zones
 *   whose truth extent is above it, and none of the others.
 * The translation-only fallback and the old "each CT in its own zones" comparison are measured for contrast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisContext, AnalysisInput, AnalysisResult, Vec3, Volume } from '@qiview/sdk';
import plugin, { analyseLungs } from '../../plugins/lung-fibrosis/index';
import { compareExtent, DEFAULT_MCID_PCT } from '../../plugins/lung-fibrosis/follow-up';
import type { RegionStats } from '../../plugins/lung-fibrosis/quantify';
import { ZONES } from '../../plugins/lung-fibrosis/zones';
import { createRegistration } from '../../core/node/itk/registration';
import { chestPhantom, TEXTURE, type ChestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { phantomTruth } from '../support/lung-truth';
import { createTestContext } from '../support/node-context';

/** The prior's move: tilted 8° about the left-right axis, turned 5° about the craniocaudal axis, shifted. */
const MOVE = { tiltDeg: 8, turnDeg: 5, shift: [7, -5, 4] as Vec3 };
const moved = (ph: ChestPhantom): ChestPhantom => {
  moveRigidly(ph.volume, MOVE);
  return ph;
};

const input = (volume: Volume, study: string): AnalysisInput => ({
  series: { ct: { role: 'ct', volume, dicom: { Modality: 'CT', StudyInstanceUID: study } } },
  parameters: {},
});
const withPrior = (cur: Volume, prior: Volume): AnalysisInput => ({
  ...input(cur, '1.2.3.2'),
  priors: [input(prior, '1.2.3.1')],
});
const value = (r: AnalysisResult, key: string) => {
  const m = r.measurements.find((x) => x.key === key);
  if (!m) throw new Error(`no measurement ${key}`);
  return m.value;
};
const ZONE_KEYS: string[] = ZONES.map((z) => z.key);

let current: ChestPhantom;
let truthZones: Map<string, RegionStats>;
let elastixCtx: AnalysisContext;

beforeAll(async () => {
  current = chestPhantom();
  const plain = await createTestContext();
  elastixCtx = { ...plain, registration: createRegistration() };
  truthZones = new Map(phantomTruth(current, plain.kernels).stats.map((s) => [s.key, s]));
}, 120_000);

describe('lung fibrosis follow-up with a rotated prior (itk-wasm elastix)', () => {
  it('same disease in a tilted, turned and shifted prior: Δ extent ≈ 0 in every zone, all stable', async () => {
    const prior = moved(chestPhantom({ seed: 11 }));
    const r = await plugin.run(withPrior(current.volume, prior.volume), elastixCtx);
    expect(r.parameters?.find((p) => p.key === 'registration')?.value).toMatch(/elastix rigid/);
    expect(r.parameters?.find((p) => p.key === 'zone_correspondence')?.value).toMatch(/carried/);
    const overlap = value(r, 'prior_lung_overlap_dice');
    const deltas = ['lungs', 'right', 'left', ...ZONE_KEYS].map(
      (k) => [k, value(r, `${k}_fibrosis_extent_delta`), value(r, `${k}_fibrosis_progression`)] as const,
    );
    console.log(
      `elastix, same disease: lung overlap Dice ${overlap.toFixed(4)}; Δ ${deltas.map(([k, d]) => `${k} ${d.toFixed(2)}`).join(', ')}`,
    );
    expect(overlap).toBeGreaterThan(0.95);
    for (const [k, d, flag] of deltas) {
      expect(Math.abs(d), k).toBeLessThan(1);
      expect(flag, k).toBe(0);
    }
    // the change map of the same anatomy is noise only (two independent σ 25 HU noises: mean |Δ| ≈ 28 HU)
    const lungs = r.labelmaps[0]!.data,
      ch = r.maps[0]!.volume.data;
    let s = 0,
      c = 0;
    for (let q = 0; q < ch.length; q++)
      if (lungs[q] && current.truth.texture[q] === TEXTURE.normal) {
        s += Math.abs(ch[q]!);
        c++;
      }
    console.log(`elastix: mean |ΔHU| in normal lung ${(s / c).toFixed(1)}`);
    expect(s / c).toBeLessThan(40);

    // Contrast 1: the old comparison (each CT in its own height thirds and rind) reads the tilt as change.
    const pa = await analyseLungs(prior.volume, elastixCtx);
    const ca = await analyseLungs(current.volume, elastixCtx);
    const own = compareExtent(ca.stats, pa.stats, DEFAULT_MCID_PCT).filter((x) => ZONE_KEYS.includes(x.key));
    console.log(
      `own zones (no correspondence): Δ ${own.map((x) => `${x.key} ${x.deltaPct.toFixed(2)}`).join(', ')}`,
    );
    expect(Math.max(...own.map((x) => Math.abs(x.deltaPct)))).toBeGreaterThan(2);
    // Contrast 2: the translation-only fallback (no elastix) cannot undo the rotation.
    const fb = await plugin.run(withPrior(current.volume, prior.volume), await createTestContext());
    expect(fb.parameters?.find((p) => p.key === 'registration')?.value).toMatch(/centroid/);
    const fbCh = fb.maps[0]!.volume.data;
    let fs = 0;
    for (let q = 0; q < fbCh.length; q++)
      if (lungs[q] && current.truth.texture[q] === TEXTURE.normal) fs += Math.abs(fbCh[q]!);
    const fbDeltas = ZONE_KEYS.map((k) => Math.abs(value(fb, `${k}_fibrosis_extent_delta`)));
    console.log(
      `translation fallback: overlap ${value(fb, 'prior_lung_overlap_dice').toFixed(4)}, mean |ΔHU| ${(fs / c).toFixed(1)}, max |Δ zone| ${Math.max(...fbDeltas).toFixed(2)}`,
    );
    expect(fs / c).toBeGreaterThan(s / c + 10);
    expect(value(fb, 'prior_lung_overlap_dice')).toBeLessThan(overlap);
  }, 300_000);

  it('healthy tilted prior: Δ per zone = the current extent, MCID flags exactly the zones above 4 pp', async () => {
    const prior = moved(chestPhantom({ healthy: true, seed: 11 }));
    const r = await plugin.run(withPrior(current.volume, prior.volume), elastixCtx);
    expect(r.parameters?.find((p) => p.key === 'registration')?.value).toMatch(/elastix rigid/);
    expect(r.parameters?.find((p) => p.key === 'mcid_pct')?.value).toBe(DEFAULT_MCID_PCT);
    const lines: string[] = [];
    for (const k of ['lungs', ...ZONE_KEYS]) {
      const delta = value(r, `${k}_fibrosis_extent_delta`);
      const cur = value(r, `${k}_fibrosis_extent`);
      const truth = truthZones.get(k)!.fibrosisPct;
      const flag = value(r, `${k}_fibrosis_progression`);
      lines.push(`${k} Δ ${delta.toFixed(2)} (truth ${truth.toFixed(2)}) flag ${flag}`);
      // the healthy prior carries (almost) no fibrosis into any zone
      expect(cur - delta, `${k} prior extent`).toBeLessThan(0.5);
      // against the truth (zones of the truth mask): see tests/integration/batch-lung.test.ts for the 1.5 pp
      expect(Math.abs(delta - truth), k).toBeLessThan(k === 'lungs' ? 0.7 : 1.5);
      if (k !== 'lungs') expect(flag, k).toBe(truth >= DEFAULT_MCID_PCT ? 1 : 0);
    }
    console.log(`elastix, healthy prior:\n${lines.join('\n')}`);
    expect(value(r, 'lower_rind_fibrosis_progression')).toBe(1);
    expect(value(r, 'upper_core_fibrosis_progression')).toBe(0);
    expect(r.findings.join(' ')).toMatch(/Since the prior CT: fibrosis extent \+\d/);
  }, 300_000);

  it('does not compare a second series of the same study as a prior', async () => {
    const small = chestPhantom({ dims: [112, 84, 75], spacing: [3.2, 3.2, 3.2] });
    const r = await plugin.run(
      { ...input(small.volume, '1.2.3.9'), priors: [input(small.volume, '1.2.3.9')] },
      await createTestContext(),
    );
    expect(r.measurements.some((m) => m.key.endsWith('_fibrosis_extent_delta'))).toBe(false);
    expect(r.qc?.reasons.join(' ')).toMatch(/Prior CT not compared: .*same study/);
  }, 120_000);

  it('does not compare a "prior" that is newer than the current CT (the sign of Δ would be reversed)', async () => {
    const small = chestPhantom({ dims: [112, 84, 75], spacing: [3.2, 3.2, 3.2] });
    const at = (study: string, date: string): AnalysisInput => ({
      series: {
        ct: {
          role: 'ct',
          volume: small.volume,
          dicom: { Modality: 'CT', StudyInstanceUID: study, StudyDate: date },
        },
      },
      parameters: {},
    });
    const r = await plugin.run(
      { ...at('1.2.3.20', '20240105'), priors: [at('1.2.3.21', '20250310')] },
      await createTestContext(),
    );
    expect(r.measurements.some((m) => m.key.endsWith('_fibrosis_extent_delta'))).toBe(false);
    expect(r.qc?.reasons.join(' ')).toMatch(
      /Prior CT not compared: the "prior" CT \(20250310\) is newer than the current CT \(20240105\)/,
    );
  }, 120_000);
});
