import { describe, expect, it } from 'vitest';
import * as nifti from 'nifti-reader-js';
import type { AnalysisResult } from '@qiview/sdk';
import { voxelToWorld } from '@qiview/sdk';
import { writeResultJson, parseResultJson } from '../../core/common/results/result-json';
import {
  resultRow,
  writeCsv,
  readCsv,
  csvColumns,
  parseCsv,
  csvField,
} from '../../core/common/results/result-csv';
import { writeNifti } from '../../core/common/results/write-nifti';
import { bidsDerivativeFiles } from '../../core/common/results/bids-derivative';
import { provenanceFromManifest, type ResultProvenance } from '../../core/common/results/provenance';
import {
  phantomLabelmap,
  phantomMeasurements,
  phantomParametricMap,
  PHANTOM_SERIES_UID,
  PHANTOM_STUDY_UID,
} from './results-phantom';

const SHA = 'a'.repeat(64);
function provenance(): ResultProvenance {
  return provenanceFromManifest(
    {
      id: 'org.qiview.phantom',
      version: '1.2.3',
      models: [{ id: 'seg', file: 'models/seg.onnx', sha256: SHA, opset: 17, inputs: [], outputs: [] }],
    },
    { ct: PHANTOM_SERIES_UID },
    { timestamp: new Date('2026-01-02T03:04:05Z'), modelVersions: { seg: '0.1.0' } },
  );
}
function result(): AnalysisResult {
  return {
    labelmaps: [phantomLabelmap()],
    maps: [phantomParametricMap()],
    measurements: phantomMeasurements(),
    findings: ['Sphere found, "quoted", with a comma'],
    qc: { status: 'warn', reasons: ['low SNR', 'motion'], metrics: { snr: 12.5, fd_mean_mm: 0.25 } },
    parameters: [
      { key: 'threshold', name: 'Threshold', value: 150, unit: 'HU', source: 'default', detail: 'manifest' },
    ],
    plots: [
      {
        id: 'h',
        title: 'Histogram',
        kind: 'histogram',
        xLabel: 'HU',
        yLabel: 'n',
        x: [0, 1, 2],
        series: [{ name: 'all', y: [1, NaN, 3] }],
      },
    ],
  };
}

describe('result JSON', () => {
  it('keeps everything except voxel arrays, with provenance, and round-trips non-finite numbers', () => {
    const text = writeResultJson(result(), provenance());
    expect(text.length).toBeLessThan(20000); // no voxel arrays (the labelmap alone has 4320 voxels)
    const doc = parseResultJson(text);
    expect(doc.provenance.pluginId).toBe('org.qiview.phantom');
    expect(doc.provenance.models[0]).toEqual({
      id: 'seg',
      version: '0.1.0',
      sha256: SHA,
      file: 'models/seg.onnx',
    });
    expect(doc.provenance.inputSeries).toEqual({ ct: PHANTOM_SERIES_UID });
    expect(doc.provenance.sdkVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(doc.provenance.timestamp).toBe('2026-01-02T03:04:05.000Z');
    const ms = phantomMeasurements();
    doc.result.measurements.forEach((m, i) => expect(Object.is(m.value, ms[i].value), m.key).toBe(true));
    expect(doc.result.labelmaps[0]).not.toHaveProperty('data');
    expect(doc.result.labelmaps[0].voxelCounts['7']).toBe(144);
    expect(doc.result.maps[0]).not.toHaveProperty('volume');
    expect(doc.result.maps[0].unit).toBe('ml/100g/min');
    expect(doc.result.plots![0].series[0].y[1]).toBeNaN();
    expect(doc.result.qc).toEqual(result().qc);
    expect(() => parseResultJson('{"format":"other"}')).toThrow(/Qiview result/);
    expect(() => parseResultJson('not json')).toThrow(/not valid JSON/);
  });
});

describe('summary CSV', () => {
  const rows = [
    resultRow({
      study: { studyInstanceUid: PHANTOM_STUDY_UID, patientId: 'PH,001', studyDate: '20260101' },
      status: 'done',
      result: result(),
      provenance: provenance(),
    }),
    resultRow({
      study: { studyInstanceUid: '1.2.3' },
      status: 'failed',
      error: 'corrupt file: "x.dcm"\nline 2',
    }),
  ];

  it('writes RFC 4180 with a stable column order and reads back the exact values', () => {
    const text = writeCsv(rows, { measurementKeys: ['box_volume_ml', 'sphere_volume_ml'] });
    expect(text.endsWith('\r\n')).toBe(true);
    const header = parseCsv(text)[0];
    expect(header.slice(0, 8)).toEqual([
      'study_instance_uid',
      'patient_id',
      'accession_number',
      'study_date',
      'status',
      'error',
      'box_volume_ml',
      'sphere_volume_ml',
    ]);
    expect(header.slice(-8)).toEqual([
      'qc_status',
      'qc_reasons',
      'plugin_id',
      'plugin_version',
      'models',
      'sdk_version',
      'input_series_uids',
      'timestamp',
    ]);
    // Same columns whatever the row order.
    expect(csvColumns([...rows].reverse(), ['box_volume_ml', 'sphere_volume_ml'])).toEqual(header);
    const back = readCsv(text);
    expect(back.length).toBe(2);
    for (const m of phantomMeasurements())
      expect(Object.is(Number(back[0][m.key]), m.value), m.key).toBe(true);
    expect(back[0].patient_id).toBe('PH,001');
    expect(back[0].qc_snr).toBe('12.5');
    expect(back[0].models).toBe('seg@0.1.0:aaaaaaaaaaaa');
    expect(back[1].error).toBe('corrupt file: "x.dcm"\nline 2');
    expect(back[1].box_volume_ml).toBe('');
  });

  it('quotes per RFC 4180 and defuses formula cells', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField(-3.5)).toBe('-3.5');
    expect(csvField(NaN)).toBe('NaN');
    expect(() =>
      resultRow({
        study: { studyInstanceUid: '1' },
        status: 'done',
        result: { ...result(), measurements: [{ key: 'status', name: 's', value: 1, unit: '1' }] },
      }),
    ).toThrow(/clashes/);
  });
});

describe('NIfTI-1 + BIDS derivative', () => {
  const map = phantomParametricMap();

  it('writes a NIfTI-1 read by nifti-reader-js with the exact voxels and an LPS→RAS affine', () => {
    const bytes = writeNifti(map.volume);
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expect(nifti.isCompressed(buf)).toBe(true);
    const raw = nifti.decompress(buf) as ArrayBuffer;
    expect(nifti.isNIFTI1(raw)).toBe(true);
    const h = nifti.readHeader(raw);
    expect(h.dims.slice(0, 4)).toEqual([3, 24, 20, 9]);
    expect(h.datatypeCode).toBe(16);
    const data = new Float32Array(nifti.readImage(h, raw));
    let diff = 0;
    for (let i = 0; i < data.length; i++) if (!Object.is(data[i], map.volume.data[i])) diff++;
    expect(diff).toBe(0);
    const g = map.volume.geometry;
    const q = (h as any).getQformMat() as number[][];
    for (const [i, j, k] of [
      [0, 0, 0],
      [23, 0, 0],
      [5, 19, 8],
    ]) {
      const lps = voxelToWorld(g, i, j, k);
      const ras = [-lps[0], -lps[1], lps[2]];
      for (let r = 0; r < 3; r++) {
        const s = h.affine[r][0] * i + h.affine[r][1] * j + h.affine[r][2] * k + h.affine[r][3];
        const qv = q[r][0] * i + q[r][1] * j + q[r][2] * k + q[r][3];
        expect(Math.abs(s - ras[r])).toBeLessThan(1e-4);
        expect(Math.abs(qv - ras[r])).toBeLessThan(1e-4);
      }
    }
  });

  it('names BIDS derivative files and writes the sidecar with units and provenance', () => {
    const files = bidsDerivativeFiles(
      map,
      { subject: 'ph-01', session: '1', desc: 'qiview', suffix: 'cbf' },
      provenance(),
    );
    expect(files.map((f) => f.path)).toEqual([
      'sub-ph01/ses-1/perf/sub-ph01_ses-1_desc-qiview_cbf.nii.gz',
      'sub-ph01/ses-1/perf/sub-ph01_ses-1_desc-qiview_cbf.json',
      'dataset_description.json',
    ]);
    const side = JSON.parse(files[1].data as string);
    expect(side.Units).toBe('ml/100g/min');
    expect(side.Provenance.models[0].sha256).toBe(SHA);
    const dd = JSON.parse(files[2].data as string);
    expect(dd.DatasetType).toBe('derivative');
    expect(dd.GeneratedBy[0]).toMatchObject({ Name: 'org.qiview.phantom', Version: '1.2.3' });
  });
});

describe('public entry points', () => {
  it('@qiview/core/common/results and /deidentify export the writers, readers and profile', async () => {
    const results = await import('@qiview/core/common/results');
    const deid = await import('@qiview/core/common/deidentify');
    for (const f of [
      'writeSeg',
      'readSeg',
      'writeSr',
      'readSr',
      'writeParametricMap',
      'readParametricMap',
      'writeResultJson',
      'resultRow',
      'writeCsv',
      'writeNifti',
      'bidsDerivativeFiles',
      'exportFiles',
      'readResultFile',
    ]) {
      expect(typeof (results as Record<string, unknown>)[f], f).toBe('function');
    }
    expect(typeof deid.deidentifyFile).toBe('function');
    expect(deid.BASIC_PROFILE.PatientName).toBe('Z');
  });
});
