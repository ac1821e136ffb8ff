/**
 * Multi-PLD acceptance on a generated phantom (general kinetic model, known CBF/ATT, noise): median GM CBF within
 * 5 % and median GM ATT within 0.1 s of the truth; WM (SNR ≈ 1.6 per PLD, where ATT is barely determined) within
 * 15 % / 0.15 s; on both phantoms (GM ATT on a sampled PLD, and between PLD samples) no pile-up of ATT estimates on
 * the sampled PLDs, and reported CBF/ATT SDs that match the actual scatter of the GM estimates; simulated motion is
 * detected (FD) and corrected. Runs without shared data.
 */
import { describe, expect, it } from 'vitest';
import { runAsl, type AslRun } from '../../plugins/asl-perfusion';
import { makeMultiPldPhantom } from '../phantoms/asl-multi-pld';
import { createTestContext } from '../support/node-context';
import { median } from '../support/median';

const PHANTOM_PLDS = [0.5, 1, 1.5, 2, 2.5];

/**
 * Over the phantom's `label` voxels inside the brain mask: medians of CBF and ATT; the share of ATT estimates within
 * ±5 ms of a sampled PLD (`nearPld`) and, for comparison, the mean share in the ±5 ms windows centred 25 ms below and
 * above each PLD (`besidePld`); the RMS error of the estimates against the truth, the RMS of the reported SD maps,
 * and the share of voxels whose truth lies within ±1.96 reported SDs (`…Coverage`).
 */
function tissueStats(
  run: AslRun,
  truth: Uint8Array,
  label: number,
  want: { cbf: number; att: number },
): Record<
  'n' | 'cbf' | 'att' | 'nearPld' | 'besidePld' | `${'att' | 'cbf'}${'Rmse' | 'SdRms' | 'Coverage'}`,
  number
> {
  const map = (id: string): ArrayLike<number> => run.result.maps.find((m) => m.id === id)!.volume.data;
  const cbfSd = map('cbf-sd'),
    attSd = map('att-sd');
  const cbf: number[] = [],
    att: number[] = [];
  let near = 0,
    beside = 0,
    attErr = 0,
    attVar = 0,
    attIn = 0,
    cbfErr = 0,
    cbfVar = 0,
    cbfIn = 0;
  const within = (a: number, c: number): boolean => Math.abs(a - c) <= 0.005;
  for (let v = 0; v < run.cbf.length; v++) {
    if (!run.tissue.brain[v] || truth[v] !== label) continue;
    const a = run.att![v]!,
      f = run.cbf[v]!;
    cbf.push(f);
    att.push(a);
    if (PHANTOM_PLDS.some((t) => within(a, t))) near++;
    for (const d of [-0.025, 0.025]) if (PHANTOM_PLDS.some((t) => within(a, t + d))) beside += 0.5;
    attErr += (a - want.att) ** 2;
    attVar += attSd[v]! ** 2;
    if (Math.abs(a - want.att) <= 1.96 * attSd[v]!) attIn++;
    cbfErr += (f - want.cbf) ** 2;
    cbfVar += cbfSd[v]! ** 2;
    if (Math.abs(f - want.cbf) <= 1.96 * cbfSd[v]!) cbfIn++;
  }
  const n = att.length;
  const r = (x: number): number => +x.toFixed(4);
  return {
    n,
    cbf: r(median(cbf)),
    att: r(median(att)),
    nearPld: r(near / n),
    besidePld: r(beside / n),
    attRmse: r(Math.sqrt(attErr / n)),
    attSdRms: r(Math.sqrt(attVar / n)),
    attCoverage: r(attIn / n),
    cbfRmse: r(Math.sqrt(cbfErr / n)),
    cbfSdRms: r(Math.sqrt(cbfVar / n)),
    cbfCoverage: r(cbfIn / n),
  };
}

/**
 * No pile-up on the PLDs: the single-T1 model has a kink at ATT = PLD_i (for PLD_i ≥ ATT the sample does not depend
 * on ATT), and the former least-squares fit (grid search + Levenberg-Marquardt) put 15 % (ATT 1.0 s) and 11 % (ATT
 * 1.07 s) of GM voxels exactly on a sampled PLD, 16 % / 12 % within ±5 ms against 1.5 % / 1.3 % in the windows beside
 * them: bands in the ATT map, spikes in its histogram. The posterior mean puts 3.0 % / 2.2 % within ±5 ms, as many
 * as beside (2.9 % / 2.7 %): what any continuous estimator with a GM scatter of ≈ 0.17 s gives there.
 * Calibration: the RMS of the reported SDs over GM is 1.11-1.16 × the RMS error of the estimates (the truth is the
 * same in every GM voxel), and ±1.96 SD covers the truth in 95-96 % of GM voxels.
 */
function expectNoPileUpAndCalibratedSds(s: ReturnType<typeof tissueStats>): void {
  expect(s.nearPld).toBeLessThan(0.04);
  expect(s.nearPld).toBeLessThan(1.5 * s.besidePld);
  for (const [sd, err, cov] of [
    [s.attSdRms, s.attRmse, s.attCoverage],
    [s.cbfSdRms, s.cbfRmse, s.cbfCoverage],
  ] as const) {
    expect(sd / err).toBeGreaterThan(1 / 1.33);
    expect(sd / err).toBeLessThan(1.33);
    expect(cov).toBeGreaterThan(0.9);
    expect(cov).toBeLessThan(0.99);
  }
}

describe('ASL multi-PLD phantom', () => {
  it('recovers GM CBF within 5 % and ATT within 0.1 s, without ATT pile-up on the PLDs and with calibrated SDs', async () => {
    const ph = makeMultiPldPhantom();
    const run = await runAsl(ph.input, await createTestContext());
    expect(run.att).toBeDefined();
    const gm = tissueStats(run, ph.truth, 1, { cbf: 60, att: 1.0 }),
      wm = tissueStats(run, ph.truth, 2, { cbf: 20, att: 1.5 });
    console.log(JSON.stringify({ gm, wm }));
    expect(gm.n).toBeGreaterThan(1000);
    expect(Math.abs(gm.cbf - 60) / 60).toBeLessThan(0.05);
    expect(Math.abs(gm.att - 1.0)).toBeLessThan(0.1);
    expect(Math.abs(wm.cbf - 20) / 20).toBeLessThan(0.15);
    expect(Math.abs(wm.att - 1.5)).toBeLessThan(0.15);
    expectNoPileUpAndCalibratedSds(gm);
    expect(run.result.maps.map((m) => m.id)).toEqual(
      expect.arrayContaining(['cbf', 'att', 'att-sd', 'cbf-sd']),
    );
    expect(run.result.findings.join(' ')).toMatch(/transit time/);
  });

  it('truth off the PLD samples and the ATT grid (GM ATT 1.07 s, WM 1.43 s): same accuracy, no pile-up, calibrated SDs', async () => {
    const ph = makeMultiPldPhantom({ gm: { cbf: 60, att: 1.07 }, wm: { cbf: 20, att: 1.43 } });
    const run = await runAsl(ph.input, await createTestContext());
    const gm = tissueStats(run, ph.truth, 1, { cbf: 60, att: 1.07 }),
      wm = tissueStats(run, ph.truth, 2, { cbf: 20, att: 1.43 });
    console.log(JSON.stringify({ gm, wm }));
    expect(Math.abs(gm.cbf - 60) / 60).toBeLessThan(0.05);
    expect(Math.abs(gm.att - 1.07)).toBeLessThan(0.1);
    expect(Math.abs(wm.cbf - 20) / 20).toBeLessThan(0.15);
    expect(Math.abs(wm.att - 1.43)).toBeLessThan(0.15);
    expectNoPileUpAndCalibratedSds(gm);
  });

  it('detects a simulated 3 mm shift (framewise displacement) and still recovers GM CBF within 5 %', async () => {
    const ph = makeMultiPldPhantom({ shift: { frames: [6, 7], mm: [3, 0, 0] } });
    const run = await runAsl(ph.input, await createTestContext());
    console.log(JSON.stringify({ fd: run.fd.map((x) => +x.toFixed(2)) }));
    expect(run.fd[6]).toBeGreaterThan(2);
    expect(run.fd[6]).toBeLessThan(4);
    expect(run.fd[3]).toBeLessThan(0.5);
    const cbf: number[] = [];
    for (let v = 0; v < run.cbf.length; v++)
      if (run.tissue.brain[v] && ph.truth[v] === 1) cbf.push(run.cbf[v]!);
    expect(Math.abs(median(cbf) - 60) / 60).toBeLessThan(0.05);
  });

  it('writes findings in zh-CN', async () => {
    const ph = makeMultiPldPhantom({ dims: [32, 32, 8] });
    const run = await runAsl(ph.input, await createTestContext({ locale: 'zh-CN' }));
    expect(run.result.findings[0]).toMatch(/灰质平均脑血流量/);
  });
});

describe('ASL ordering without aslcontext', () => {
  it('detects control-first alternation from the mean signal (no background suppression)', async () => {
    const ph = makeMultiPldPhantom({ dims: [32, 32, 8], plds: [1.8], repeats: 4 });
    const a = ph.input.series.asl!;
    const expected = a.attachments!['sub-01_aslcontext.tsv']!.trim().split('\n').slice(1);
    a.attachments = {};
    a.sidecar!.PostLabelingDelay = 1.8;
    const run = await runAsl(ph.input, await createTestContext());
    expect(run.ordering.source).toMatch(/^derived/);
    expect(run.ordering.types).toEqual(expected);
  });
});

describe('ASL tissue from a T1-weighted series', () => {
  it('segments GM/WM from T1w on another grid (Dice ≥ 0.8) and reports GM CBF within 5 %', async () => {
    const ph = makeMultiPldPhantom({
      plds: [1.8],
      repeats: 4,
      withT1w: true,
      gm: { cbf: 60, att: 1.0 },
      wm: { cbf: 20, att: 1.2 },
    });
    const run = await runAsl(ph.input, await createTestContext());
    expect(run.tissue.source).toBe('t1w');
    let inter = 0,
      a = 0,
      b = 0,
      wInter = 0,
      wa = 0,
      wb = 0;
    for (let v = 0; v < ph.truth.length; v++) {
      const g = run.tissue.pgm[v]! >= 0.7,
        t = ph.truth[v] === 1;
      const w = run.tissue.pwm[v]! >= 0.7,
        tw = ph.truth[v] === 2;
      if (g && t) inter++;
      if (g) a++;
      if (t) b++;
      if (w && tw) wInter++;
      if (w) wa++;
      if (tw) wb++;
    }
    const dice = (2 * inter) / (a + b),
      diceWm = (2 * wInter) / (wa + wb);
    const gm = run.result.measurements.find((m) => m.key === 'cbf_gm_median')!.value;
    console.log(JSON.stringify({ dice, diceWm, gm, qc: run.result.qc!.status }));
    expect(dice).toBeGreaterThanOrEqual(0.8);
    expect(diceWm).toBeGreaterThanOrEqual(0.8);
    // single PLD 1.8 s > ATT: white-paper CBF equals the GKM truth when tissue T1 = blood T1 (phantom assumption)
    expect(Math.abs(gm - 60) / 60).toBeLessThan(0.05);
    expect(run.result.labelmaps[0]!.name).toBe('Tissue');
  });
});
