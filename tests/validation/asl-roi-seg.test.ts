/**
 * A DICOM label-map Segmentation (SegmentationType LABELMAP, DICOM Sup 243: one 8-bit frame per slice whose pixel
 * values are segment numbers) as the ASL plugin's `roi` input through the host's reader: the manifest selects it,
 * the host loader turns it into a label volume on the right grid, and the plugin's ROI values equal those from the
 * same labels given directly. Built from the DRO ground truth (1 = pure GM, 2 = pure WM). Skips without shared data.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseManifest, type AnalysisInput } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import { groupInstances } from '../../core/common/dicom/group-instances';
import { readAttributes } from '../../core/common/dicom/read-attributes';
import { selectSeries } from '../../core/common/plugin-host';
import { loadSeriesVolume } from '../../core/node/import/load-series-volume';
import { scanPaths } from '../../core/node/import/scan-paths';
import { runAsl } from '../../plugins/asl-perfusion';
import manifestJson from '../../plugins/asl-perfusion/manifest.json';
import { labelmapSeg } from '../phantoms/labelmap-seg';
import { hasDro, loadDro } from '../phantoms/asl-dro-input';
import { createTestContext } from '../support/node-context';

describe.skipIf(!hasDro())('ASL roi input from a DICOM LABELMAP SEG', () => {
  it('is selected, loads as labels on the ASL grid and gives the same ROI values as the labels themselves', async () => {
    const { input, seg } = loadDro();
    const labels = Uint8Array.from(seg.data as ArrayLike<number>, (s) =>
      Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'asl-roi-seg-'));
    try {
      writeFileSync(path.join(dir, 'seg.dcm'), labelmapSeg(seg, labels));
      const { parsed } = await scanPaths([dir]);
      const g = groupInstances(parsed);
      expect(g.series).toHaveLength(1);
      const inst = g.instances[g.series[0]!.seriesInstanceUid]!;
      const attrs = readAttributes(new Uint8Array(readFileSync(path.join(dir, 'seg.dcm')))) as Record<
        string,
        unknown
      >;
      const m = parseManifest(manifestJson);
      if (!m.ok) throw new Error(m.errors.join('; '));
      const sel = selectSeries({ inputs: m.manifest.inputs.filter((i) => i.role === 'roi') }, [
        {
          id: 'seg',
          attributes: { Modality: 'SEG', ...attrs },
          slices: seg.geometry.dimensions[2],
          frames: 1,
        },
      ]);
      expect(sel.ok && sel.roles.roi).toBe('seg');
      const volume = await loadSeriesVolume(inst);
      expect(volume.frames).toBe(1);
      expect(volume.geometry.dimensions).toEqual(seg.geometry.dimensions);
      const ctx = await createTestContext();
      const opts = { motionCorrection: false, selfCheck: false };
      const viaSeg = await runAsl(
        {
          series: { ...input.series, roi: { role: 'roi', volume, dicom: attrs } },
          parameters: opts,
        } as AnalysisInput,
        ctx,
      );
      const direct = await runAsl(
        {
          series: {
            ...input.series,
            roi: { role: 'roi', volume: { ...seg, data: labels, frames: 1 }, dicom: {} },
          },
          parameters: opts,
        } as AnalysisInput,
        ctx,
      );
      expect(Array.from(viaSeg.roi!.labels)).toEqual(Array.from(labels));
      const a = Object.fromEntries(viaSeg.result.measurements.map((x) => [x.key, x.value]));
      const b = Object.fromEntries(direct.result.measurements.map((x) => [x.key, x.value]));
      expect(a.cbf_roi1_median).toBe(b.cbf_roi1_median);
      expect(a.cbf_roi2_mean).toBe(b.cbf_roi2_mean);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
