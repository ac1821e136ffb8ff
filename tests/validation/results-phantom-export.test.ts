/**
 * End-to-end results export on a phantom with known values: a labelmap (sphere r=5 voxels, 6×6×4 box) on a CT
 * phantom whose HU are known per region is measured, exported to DICOM SEG + SR + CSV through the same
 * `exportFiles` the workstation and batch use, read back, re-measured on the read-back SEG, and compared exactly.
 * A third-party SEG (pydicom's liver_1frame.dcm) is read when ../shared/data is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, Labelmap, Measurement } from '@qiview/sdk';
import { exportFiles } from '../../core/common/results/export-files';
import { readSeg } from '../../core/common/results/read-seg';
import { readSr } from '../../core/common/results/read-sr';
import { readCsv } from '../../core/common/results/result-csv';
import { readDataset } from '../../core/common/results/dcmjs';
import { pixelBytes } from '../../core/common/results/read-seg';
import { phantomLabelmap, phantomSource, phantomInstances } from './results-phantom';

const HU: Record<number, number> = { 0: -1000, 2: 50, 7: 100 };

/** Known values from the phantom's definition (not from the code under test). */
function knownSphereCount(): number {
  let n = 0;
  for (let k = 0; k < 9; k++)
    for (let j = 0; j < 20; j++)
      for (let i = 0; i < 24; i++) if ((i - 8) ** 2 + (j - 9) ** 2 + ((k - 4) * 2) ** 2 <= 25) n++;
  return n;
}
const VOXEL_ML = (0.8 * 0.9 * 2.5) / 1000;

/** Measures volume and mean HU per segment of a labelmap on the CT phantom. */
function measure(lm: Labelmap): Measurement[] {
  const out: Measurement[] = [];
  for (const s of lm.segments) {
    let n = 0,
      sum = 0;
    for (let i = 0; i < lm.data.length; i++) {
      if (lm.data[i] !== s.label) continue;
      n++;
      sum += HU[s.label];
    }
    const region = { labelmapId: lm.id, label: s.label, name: s.name };
    out.push({
      key: `seg${s.label}_volume_ml`,
      name: `${s.name} volume`,
      value: n * VOXEL_ML,
      unit: 'ml',
      region,
    });
    out.push({
      key: `seg${s.label}_mean_hu`,
      name: `${s.name} mean`,
      value: n ? sum / n : NaN,
      unit: 'HU',
      region,
      derivation: { value: '373098007', scheme: 'SCT', meaning: 'Mean' },
    });
  }
  return out;
}

describe('phantom results export: SEG + SR + CSV read back match known values exactly', () => {
  const lm = phantomLabelmap();
  const measurements = measure(lm);
  const result: AnalysisResult = { labelmaps: [lm], maps: [], measurements, findings: [] };
  const provenance = {
    pluginId: 'org.qiview.phantom',
    pluginVersion: '0.0.1',
    models: [],
    inputSeries: { ct: String(phantomSource().SeriesInstanceUID) },
    sdkVersion: '0.1.0',
    timestamp: '2026-01-01T00:00:00.000Z',
  };
  const ctx = { result, provenance, source: phantomSource(), referencedInstances: phantomInstances(9) };

  it('measured values equal the phantom definition', () => {
    const byKey = Object.fromEntries(measurements.map((m) => [m.key, m.value]));
    expect(byKey.seg7_volume_ml).toBe(144 * VOXEL_ML);
    expect(byKey.seg2_volume_ml).toBe(knownSphereCount() * VOXEL_ML);
    expect(knownSphereCount()).toBe(277); // also counted independently in Python
    expect(byKey.seg7_mean_hu).toBe(100);
    expect(byKey.seg2_mean_hu).toBe(50);
  });

  it('SEG read back re-measures to the same values; SR and CSV carry them exactly', () => {
    const [seg] = exportFiles('seg', ctx);
    const [sr] = exportFiles('sr', ctx);
    const [csv] = exportFiles('csv', ctx);
    const lmBack = readSeg(seg.data as Uint8Array, lm.geometry);
    const again = measure({ ...lmBack, id: lm.id });
    const srBack = readSr(sr.data as Uint8Array).measurements;
    const csvBack = readCsv(csv.data as string);
    expect(csvBack.length).toBe(1);
    for (const m of measurements) {
      const a = again.find((x) => x.key === m.key)!;
      const s = srBack.find((x) => x.key === m.key)!;
      expect(a.value, `${m.key} re-measured`).toBe(m.value);
      expect(s.value, `${m.key} SR`).toBe(m.value);
      expect(s.unit).toBe(m.unit);
      expect(s.region).toEqual(m.region);
      expect(Number(csvBack[0][m.key]), `${m.key} CSV`).toBe(m.value);
    }
    expect(csvBack[0].plugin_id).toBe('org.qiview.phantom');
    expect(csvBack[0].study_instance_uid).toBe(phantomSource().StudyInstanceUID);
    // SR references the source images
    const srDs = readDataset(sr.data as Uint8Array);
    expect(
      srDs.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence
        .length,
    ).toBe(9);
  });
});

const LIVER = '../shared/data/dicom-conformance/pydicom-debian/liver_1frame.dcm';
describe.skipIf(!existsSync(LIVER))('third-party SEG (pydicom liver_1frame.dcm)', () => {
  it('reads the Liver segment with the same voxel count as its set bits', () => {
    const bytes = new Uint8Array(readFileSync(LIVER));
    const lm = readSeg(bytes);
    expect(lm.geometry.dimensions).toEqual([512, 512, 1]);
    expect(lm.segments.map((s) => s.name)).toEqual(['Liver']);
    expect(lm.geometry.spacing[0]).toBeCloseTo(0.810547, 5);
    const px = pixelBytes(readDataset(bytes).PixelData);
    let bits = 0;
    for (let b = 0; b < 512 * 512; b++) if (px[b >> 3] & (1 << (b & 7))) bits++;
    let voxels = 0;
    for (const v of lm.data) if (v === 1) voxels++;
    expect(bits).toBeGreaterThan(1000);
    expect(voxels).toBe(bits);
  });
});

describe('re-opening exported results', () => {
  it('recognises SEG, SR, PM, JSON and CSV and merges them into one result', async () => {
    const { readResultFile, resultFromFiles } = await import('../../core/common/results/read-result-file');
    const { phantomParametricMap } = await import('./results-phantom');
    const lm = phantomLabelmap();
    const result: AnalysisResult = {
      labelmaps: [lm],
      maps: [phantomParametricMap()],
      measurements: measure(lm),
      findings: ['ok'],
      qc: { status: 'pass', reasons: [] },
    };
    const provenance = {
      pluginId: 'p',
      pluginVersion: '1.0.0',
      models: [],
      inputSeries: {},
      sdkVersion: '0.1.0',
      timestamp: 't',
    };
    const ctx = { result, provenance, source: phantomSource() };
    const files = (['seg', 'sr', 'pm', 'json', 'csv'] as const).flatMap((k) => exportFiles(k, ctx));
    const loaded = files.map((f) =>
      readResultFile(
        f.filename,
        typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data,
        lm.geometry,
      ),
    );
    expect(loaded.map((l) => l.kind)).toEqual(['seg', 'sr', 'pm', 'json', 'csv']);
    const merged = resultFromFiles(loaded);
    expect(Array.from(merged.labelmaps[0].data)).toEqual(Array.from(lm.data));
    expect(merged.measurements.map((m) => m.value)).toEqual(result.measurements.map((m) => m.value));
    expect(Array.from(merged.maps[0].volume.data)).toEqual(Array.from(result.maps[0].volume.data));
    expect(merged.qc).toEqual(result.qc);
    expect(() => readResultFile('x.bin', new Uint8Array([1, 2, 3]))).toThrow(/^x\.bin: not a DICOM/);
  });
});
