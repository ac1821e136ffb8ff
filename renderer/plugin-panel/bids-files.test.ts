/**
 * BIDS companions kept with picked NIfTI files: the sidecar and `<stem>_*.tsv` tables are claimed (not parsed as
 * images), read and recorded under the NIfTI's kept-file id with suffix, subject and the 4D shape from the gzip header;
 * a sidecar that is not JSON is recorded as an error, not dropped; unrelated .json/.tsv files stay for the parser.
 */
import { describe, expect, it } from 'vitest';
import { writeNifti } from '@qiview/core/common/results';
import { bidsContextOf, claimBidsCompanions, sameBidsSet } from './bids-files';

const volume4d = () =>
  writeNifti({
    geometry: {
      dimensions: [4, 3, 2],
      spacing: [1, 1, 2],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    },
    data: new Float32Array(4 * 3 * 2 * 5),
    frames: 5,
    unit: 'arbitrary',
    metadata: { modality: 'MR' },
    warnings: [],
  });

const file = (name: string, body: string | Uint8Array) => ({
  id: `id-${name}`,
  name,
  file: new Blob([body as BlobPart]),
});

describe('claimBidsCompanions', () => {
  it('keeps sidecar and tables with their NIfTI and leaves the rest to the parser', async () => {
    const files = [
      file('d/sub-a_asl.nii.gz', volume4d()),
      file('d/sub-a_asl.json', '{"PostLabelingDelay":1.8,"Modality":"MR","SeriesDescription":"pcasl"}'),
      file('d/sub-a_aslcontext.tsv', 'volume_type\ncontrol\nlabel\n'),
      file('d/sub-a_m0scan.nii.gz', volume4d()),
      file('d/sub-a_m0scan.json', '{not json'),
      file('d/notes.json', '{}'),
      file('d/participants.tsv', 'participant_id\n'),
      file('d/0001.dcm', 'x'),
    ];
    const rest = await claimBidsCompanions(files);
    expect(rest.map((f) => f.name)).toEqual([
      'd/sub-a_asl.nii.gz',
      'd/sub-a_m0scan.nii.gz',
      'd/notes.json',
      'd/participants.tsv',
      'd/0001.dcm',
    ]);
    const asl = bidsContextOf('id-d/sub-a_asl.nii.gz')!;
    expect(asl).toMatchObject({
      suffix: 'asl',
      subject: 'a',
      dir: 'd',
      sidecar: { PostLabelingDelay: 1.8 },
      attachments: { 'sub-a_aslcontext.tsv': 'volume_type\ncontrol\nlabel\n' },
      shape: { slices: 2, frames: 5 },
    });
    const m0 = bidsContextOf('id-d/sub-a_m0scan.nii.gz')!;
    expect(m0.sidecar).toBeUndefined();
    expect(m0.sidecarError).toMatch(/^sub-a_m0scan\.json is not valid JSON/);
    // the shared aslcontext belongs to the stem, so the m0scan gets it too (as qiview batch does)
    expect(Object.keys(m0.attachments ?? {})).toEqual(['sub-a_aslcontext.tsv']);
    expect(sameBidsSet(asl, m0)).toBe(true);
    expect(bidsContextOf('id-d/0001.dcm')).toBeUndefined();
  });
});
