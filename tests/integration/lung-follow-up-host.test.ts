/**
 * Follow-up through the real Node plugin host: the built lung fibrosis bundle in a worker thread, given the current
 * chest phantom as role `ct` and a healthy prior (tilted 8°, turned 5°, shifted; or 30 mm further along the table) as
 * role `prior`, with the host's
 * itk-wasm elastix registration (permission `registration`). Proves the prior reaches the plugin through the SDK input,
 * the worker offers elastix and its matrix, and the per-zone Δ with the MCID flag comes back through the protocol.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisInput, Vec3 } from '@qiview/sdk';
import { runPlugin } from '../../core/node/plugin-host';
import { chestPhantom } from '../phantoms/chest-phantom';
import { moveRigidly } from '../phantoms/rigid-move';
import { applyAffine } from '../../core/common/itk/affine-point';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pluginDir = path.join(root, 'dist-plugins', 'org.qiview.lung-fibrosis');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'tools/build-plugins.mjs'), '--only', 'lung-fibrosis'], {
    cwd: root,
    stdio: 'pipe',
  });
}, 120_000);

/** Prior moves: tilted and turned; and a table 30 mm further in z (elastix alone locks onto a neighbouring rib). */
const MOVES = [
  { tiltDeg: 8, turnDeg: 5, shift: [7, -5, 4] as Vec3 },
  { tiltDeg: 2, turnDeg: 4, shift: [6, -4, 30] as Vec3 },
];

describe.each(MOVES)('lung fibrosis follow-up in the Node plugin host (prior moved %o)', (move) => {
  it('gets the prior as a second series, registers it with elastix in the worker and flags the lower rind', async () => {
    const current = chestPhantom();
    const prior = chestPhantom({ healthy: true, seed: 11 });
    moveRigidly(prior.volume, move);
    const truthExtent = current.expected.fibrosisPct;
    const dicom = (study: string, date: string) => ({
      Modality: 'CT',
      StudyInstanceUID: study,
      StudyDate: date,
    });
    const input: AnalysisInput = {
      series: {
        ct: { role: 'ct', volume: current.volume, dicom: dicom('1.2.826.0.1.3680043.10.7.2', '20250301') },
        prior: {
          role: 'prior',
          volume: prior.volume,
          dicom: dicom('1.2.826.0.1.3680043.10.7.1', '20240301'),
        },
      },
      parameters: {},
    };
    const r = await runPlugin({ pluginDir, input, transferInput: true });
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    const param = (k: string) => r.result.parameters?.find((p) => p.key === k)?.value;
    const m = Object.fromEntries(r.result.measurements.map((x) => [x.key, x.value]));
    console.log(
      `host follow-up: ${(r.durationMs / 1000).toFixed(1)} s, ${String(param('registration'))}; overlap ${m.prior_lung_overlap_dice!.toFixed(4)}; Δ lungs ${m.lungs_fibrosis_extent_delta!.toFixed(2)} (truth ${truthExtent.toFixed(2)}), lower rind ${m.lower_rind_fibrosis_extent_delta!.toFixed(2)}`,
    );
    expect(param('registration')).toMatch(/elastix rigid/);
    expect(param('zone_correspondence')).toMatch(/carried/);
    expect(m.prior_lung_overlap_dice).toBeGreaterThan(0.95);
    expect(Math.abs(m.lungs_fibrosis_extent_delta! - truthExtent)).toBeLessThan(0.7);
    expect(m.lower_rind_fibrosis_progression).toBe(1);
    expect(m.lower_core_fibrosis_progression).toBe(1);
    for (const k of ['upper_core', 'upper_rind', 'middle_core', 'middle_rind'])
      expect(m[`${k}_fibrosis_progression`], k).toBe(0);
    expect(r.result.maps.map((x) => x.id)).toEqual(['density-change']);
    expect(r.result.plots?.map((p) => p.id)).toContain('zone-change');
    // SDK 0.1.1: the registration travels in the result (validated by the host against the manifest's roles) and
    // maps current points onto the prior as the true move does: R·x + shift
    expect(r.result.registrations).toHaveLength(1);
    const reg = r.result.registrations![0]!;
    expect([reg.fixedRole, reg.movingRole, reg.method]).toEqual(['ct', 'prior', 'elastix rigid (itk-wasm)']);
    let worst = 0;
    for (const x of [
      [0, 0, 0],
      [80, -60, 90],
      [-100, 50, -90],
    ] as Vec3[]) {
      const truth = moveRigidly(
        {
          ...current.volume,
          geometry: { ...current.volume.geometry, origin: x, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
        },
        move,
      ).geometry.origin;
      const got = applyAffine(reg.matrix, x);
      worst = Math.max(worst, Math.hypot(got[0] - truth[0], got[1] - truth[1], got[2] - truth[2]));
    }
    console.log(`registration in the result: worst point error ${worst.toFixed(2)} mm`);
    expect(worst).toBeLessThan(1.5);
  }, 300_000);
});
