/**
 * Multi-PLD acceptance on a generated phantom (general kinetic model, known CBF/ATT, noise): median GM CBF within
 * 5 % and median GM ATT within 0.1 s of the truth; WM (SNR ≈ 1.6 per PLD, so the non-linear fit is biased) within
 * 15 % / 0.15 s; simulated motion is detected (FD) and
 * corrected. Runs without shared data.
 */
import { describe, expect, it } from 'vitest';
import { runAsl } from '../../plugins/asl-perfusion';
import { makeMultiPldPhantom } from '../phantoms/asl-multi-pld';
import { createTestContext } from '../support/node-context';
import { median } from '../support/median';

describe('ASL multi-PLD phantom', () => {
  it('recovers GM CBF within 5 % and ATT within 0.1 s', async () => {
    const ph = makeMultiPldPhantom();
    const run = await runAsl(ph.input, await createTestContext());
    expect(run.att).toBeDefined();
    const cbf: number[] = [],
      att: number[] = [],
      wcbf: number[] = [],
      watt: number[] = [];
    for (let v = 0; v < run.cbf.length; v++) {
      if (!run.tissue.brain[v]) continue;
      if (ph.truth[v] === 1) {
        cbf.push(run.cbf[v]!);
        att.push(run.att![v]!);
      } else if (ph.truth[v] === 2) {
        wcbf.push(run.cbf[v]!);
        watt.push(run.att![v]!);
      }
    }
    const r = {
      gmCbf: median(cbf),
      gmAtt: median(att),
      wmCbf: median(wcbf),
      wmAtt: median(watt),
      n: cbf.length,
    };
    console.log(JSON.stringify(r));
    expect(cbf.length).toBeGreaterThan(1000);
    expect(Math.abs(r.gmCbf - 60) / 60).toBeLessThan(0.05);
    expect(Math.abs(r.gmAtt - 1.0)).toBeLessThan(0.1);
    expect(Math.abs(r.wmCbf - 20) / 20).toBeLessThan(0.15);
    expect(Math.abs(r.wmAtt - 1.5)).toBeLessThan(0.15);
    expect(run.result.maps.map((m) => m.id)).toEqual(
      expect.arrayContaining(['cbf', 'att', 'att-sd', 'cbf-sd']),
    );
    expect(run.result.findings.join(' ')).toMatch(/transit time/);
  });

  it('truth off the PLD samples and the ATT search grid (GM ATT 1.07 s, WM 1.43 s): same accuracy', async () => {
    // GM ATT 1.0 s equals a sampled PLD: the model has a kink there (bolus arrival at that PLD) and ~15 % of GM
    // voxels end exactly on it, which flatters the default phantom. With ATT 1.07 s, 5-11 % still end on a PLD
    // value (a least-squares cusp of the piecewise model), but the GM medians stay within the acceptance.
    const ph = makeMultiPldPhantom({ gm: { cbf: 60, att: 1.07 }, wm: { cbf: 20, att: 1.43 } });
    const run = await runAsl(ph.input, await createTestContext());
    const cbf: number[] = [],
      att: number[] = [];
    let pinned = 0;
    for (let v = 0; v < run.cbf.length; v++)
      if (run.tissue.brain[v] && ph.truth[v] === 1) {
        cbf.push(run.cbf[v]!);
        att.push(run.att![v]!);
        if ([0.5, 1, 1.5, 2, 2.5].some((t) => Math.abs(run.att![v]! - t) < 1e-6)) pinned++;
      }
    const r = { gmCbf: median(cbf), gmAtt: median(att), pinnedAtPld: pinned / att.length };
    console.log(JSON.stringify(r));
    expect(Math.abs(r.gmCbf - 60) / 60).toBeLessThan(0.05);
    expect(Math.abs(r.gmAtt - 1.07)).toBeLessThan(0.1);
    expect(r.pinnedAtPld).toBeLessThan(0.15);
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
