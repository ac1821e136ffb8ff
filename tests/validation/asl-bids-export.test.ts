/**
 * BIDS-derivative export of the ASL maps (the workstation's "BIDS NIfTI" export, core/common/results/export-files)
 * round-trips: on the multi-PLD phantom (known CBF 60 / ATT 1.0 s in GM), every map (CBF, CBF SD, ATT, ATT SD) is
 * written as sub-<PatientID>_desc-qiview_<map>.nii.gz + .json and read back with the core NIfTI reader: same grid
 * (LPS origin/direction/spacing), voxel values identical to the result's float32 maps, GM medians still 60 / 1.0 s
 * within the acceptance (5 %, 0.1 s); the sidecars carry units, quantity and provenance; dataset_description.json once.
 */
import type { Volume } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { exportFiles, exportUnavailable, provenanceFromManifest } from '../../core/common/results';
import { runAsl } from '../../plugins/asl-perfusion';
import manifest from '../../plugins/asl-perfusion/manifest.json';
import { makeMultiPldPhantom } from '../phantoms/asl-multi-pld';
import { createTestContext } from '../support/node-context';
import { median } from '../support/median';

describe('ASL maps as BIDS derivative NIfTI + JSON', () => {
  it('CBF/ATT maps round-trip through the BIDS export with the same grid and values', async () => {
    const ph = makeMultiPldPhantom();
    const run = await runAsl(ph.input, await createTestContext());
    const provenance = provenanceFromManifest(
      { id: manifest.id, version: manifest.version, models: [] },
      { asl: 'phantom' },
      { parameters: {} },
    );
    const ctx = { result: run.result, provenance, source: { PatientID: 'ASL-01' } };
    expect(exportUnavailable('bids', ctx)).toBeNull();
    expect(exportUnavailable('bids', { result: run.result })).toMatch(/provenance/);
    const files = exportFiles('bids', ctx);
    const names = files.map((f) => f.filename).sort();
    expect(names).toEqual([
      'dataset_description.json',
      'sub-ASL01_desc-qiview_att.json',
      'sub-ASL01_desc-qiview_att.nii.gz',
      'sub-ASL01_desc-qiview_attsd.json',
      'sub-ASL01_desc-qiview_attsd.nii.gz',
      'sub-ASL01_desc-qiview_cbf.json',
      'sub-ASL01_desc-qiview_cbf.nii.gz',
      'sub-ASL01_desc-qiview_cbfsd.json',
      'sub-ASL01_desc-qiview_cbfsd.nii.gz',
    ]);
    const file = (n: string) => files.find((f) => f.filename === n)!.data;
    const grid = run.result.maps[0]!.volume.geometry;
    const back: Record<string, Volume> = {};
    for (const m of run.result.maps) {
      const id = m.id.replace(/-/g, '');
      const v = readNifti(file(`sub-ASL01_desc-qiview_${id}.nii.gz`) as Uint8Array);
      expect(v.frames).toBe(1);
      expect(v.geometry.dimensions).toEqual(grid.dimensions);
      v.geometry.spacing.forEach((s, a) => expect(s).toBeCloseTo(grid.spacing[a]!, 5));
      v.geometry.origin.forEach((o, a) => expect(o).toBeCloseTo(grid.origin[a]!, 4));
      v.geometry.direction.forEach((d, a) => expect(d).toBeCloseTo(grid.direction[a]!, 6));
      expect(Array.from(v.data)).toEqual(Array.from(m.volume.data));
      const side = JSON.parse(file(`sub-ASL01_desc-qiview_${id}.json`) as string) as Record<string, any>;
      expect(side.Units).toBe(m.volume.unit);
      expect(side.Description).toBe(m.name);
      expect(side.GeneratedBy).toEqual({ Name: manifest.id, Version: manifest.version });
      back[m.id] = v;
    }
    expect(JSON.parse(file('sub-ASL01_desc-qiview_cbf.json') as string).Quantity.value).toBe('CBF');
    expect(JSON.parse(file('sub-ASL01_desc-qiview_att.json') as string).Units).toBe('s');
    expect(JSON.parse(file('dataset_description.json') as string).DatasetType).toBe('derivative');
    // the acceptance numbers, from the files read back
    const cbf: number[] = [],
      att: number[] = [];
    for (let v = 0; v < ph.truth.length; v++)
      if (ph.truth[v] === 1 && run.tissue.brain[v]) {
        cbf.push(Number(back.cbf!.data[v]));
        att.push(Number(back.att!.data[v]));
      }
    console.log(JSON.stringify({ gmCbf: median(cbf), gmAtt: median(att), n: cbf.length }));
    expect(Math.abs(median(cbf) - 60) / 60).toBeLessThan(0.05);
    expect(Math.abs(median(att) - 1.0)).toBeLessThan(0.1);
  }, 60_000);
});
