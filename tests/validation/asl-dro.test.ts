/**
 * ASLDRO acceptance: white-paper single-PLD CBF medians in pure GM and WM (ground-truth seg_label exactly 1 / 2)
 * within 2 % of expected_values.json (the analytic white-paper value the GKM-simulated signal implies).
 * Skips when ../shared/data is absent.
 */
import { describe, expect, it } from 'vitest';
import { runAsl } from '../../plugins/asl-perfusion';
import { hasDro, loadDro } from '../phantoms/asl-dro-input';
import { createTestContext } from '../support/node-context';
import { median } from '../support/median';

describe.skipIf(!hasDro())('ASL on ASLDRO (asl-dro-asldro-A)', () => {
  it('median pure-GM and pure-WM CBF within 2 % of expected_values.json', async () => {
    const { input, seg, expected } = loadDro();
    const ctx = await createTestContext();
    const run = await runAsl(input, ctx);
    expect(run.ordering.m0Frames).toEqual([0]);
    expect(run.ordering.pairs.length).toBe(10);
    const gm: number[] = [],
      wm: number[] = [];
    for (let v = 0; v < run.cbf.length; v++) {
      const s = Number(seg.data[v]);
      if (!run.tissue.brain[v]) continue;
      if (Math.abs(s - 1) < 0.01) gm.push(run.cbf[v]!);
      else if (Math.abs(s - 2) < 0.01) wm.push(run.cbf[v]!);
    }
    const gmMed = median(gm),
      wmMed = median(wm);
    const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
    const eWm = expected.white_matter.expected_whitepaper_cbf_analytic as number;
    console.log(
      JSON.stringify({ gmMed, wmMed, eGm, eWm, nGm: gm.length, nWm: wm.length, qc: run.result.qc }),
    );
    expect(gm.length).toBeGreaterThan(0.9 * (expected.grey_matter.n_pure_voxels as number));
    expect(Math.abs(gmMed - eGm) / eGm).toBeLessThan(0.02);
    expect(Math.abs(wmMed - eWm) / eWm).toBeLessThan(0.02);
    // every parameter that entered the result has a provenance row
    const keys = run.result.parameters!.map((p) => p.key);
    for (const k of [
      'pld',
      'labelDuration',
      'labelingEfficiency',
      'bloodT1',
      'lambda',
      'bsEfficiency',
      'm0Tr',
    ])
      expect(keys).toContain(k);
    expect(run.result.parameters!.find((p) => p.key === 'pld')!.source).toBe('sidecar');
    expect(run.result.parameters!.find((p) => p.key === 'm0Tr')).toMatchObject({
      value: 10,
      source: 'sidecar',
    });
    expect(run.result.maps.find((m) => m.id === 'cbf')!.volume.unit).toBe('ml/100g/min');
    const bias = run.result.measurements.find((m) => m.key === 'self_check_bias')!.value;
    expect(Math.abs(bias)).toBeLessThan(1);
  });
});
