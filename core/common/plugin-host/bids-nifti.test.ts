import { describe, expect, it } from 'vitest';
import type { Volume } from '@qiview/sdk';
import { adoptSidecar, bidsCompanions, bidsNiftiName, parseSidecar, sidecarAttributes } from './bids-nifti';

describe('BIDS NIfTI context', () => {
  it('splits names into stem, suffix and subject', () => {
    expect(bidsNiftiName('ds/sub-01/perf/sub-01_asl.nii.gz')).toEqual({
      stem: 'sub-01',
      suffix: 'asl',
      subject: '01',
    });
    expect(bidsNiftiName('001_asl.nii')).toEqual({ stem: '001', suffix: 'asl' });
    expect(bidsNiftiName('ct.nii.gz')).toEqual({});
  });
  it('finds the sidecar and the tables of the same stem in the same folder only', () => {
    const names = [
      'd/sub-x_asl.json',
      'd/sub-x_aslcontext.tsv',
      'd/sub-x_m0scan.json',
      'd/sub-y_aslcontext.tsv',
      'other/sub-x_aslcontext.tsv',
      'd/participants.tsv',
    ];
    expect(bidsCompanions('d/sub-x_asl.nii.gz', names)).toEqual({
      sidecar: 'd/sub-x_asl.json',
      tables: ['d/sub-x_aslcontext.tsv'],
    });
    expect(bidsCompanions('d/sub-x_m0scan.nii.gz', names).sidecar).toBe('d/sub-x_m0scan.json');
    expect(bidsCompanions('ct.nii.gz', ['ct.json', 'ct_x.tsv'])).toEqual({ sidecar: 'ct.json', tables: [] });
  });
  it('parses sidecars, refusing non-JSON with the file name', () => {
    expect(parseSidecar('{"PostLabelingDelay":1.8}', 'a/x.json')).toEqual({ PostLabelingDelay: 1.8 });
    expect((parseSidecar('{oops', 'a/x.json') as Error).message).toMatch(/^x\.json is not valid JSON/);
    expect((parseSidecar('[1]', 'x.json') as Error).message).toBe('x.json is not a JSON object');
  });
  it('takes string fields as attributes and adopts the modality (CT in HU)', () => {
    expect(
      sidecarAttributes({ Modality: 'CT', EchoTime: 0.01, SeriesDescription: 'x', 'bad key': 'y' }),
    ).toEqual({
      Modality: 'CT',
      SeriesDescription: 'x',
    });
    const v = { unit: 'arbitrary', metadata: { modality: 'OT' } } as unknown as Volume;
    adoptSidecar(v, { Modality: ' ct ' });
    expect([v.metadata.modality, v.unit]).toEqual(['CT', 'HU']);
  });
});
