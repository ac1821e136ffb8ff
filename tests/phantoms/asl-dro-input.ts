/**
 * Loads the ASLDRO ASL-BIDS set (../shared/data/asl-dro-asldro-A) as a plugin {@link AnalysisInput} with the core
 * NIfTI reader, plus its ground-truth tissue labels. Returns undefined when the shared data is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnalysisInput, Volume } from '@qiview/sdk';
import { readNifti } from '../../core/common/nifti/read-nifti';

/** Folder of the DRO set. */
export const DRO_DIR = path.resolve(process.cwd(), '../shared/data/asl-dro-asldro-A');

/** Whether the DRO set is present. */
export function hasDro(): boolean {
  return existsSync(path.join(DRO_DIR, 'asl', '001_asl.nii.gz'));
}

/** The DRO as plugin input, its ground-truth seg_label volume and expected values. */
export function loadDro(): { input: AnalysisInput; seg: Volume; expected: Record<string, any> } {
  const asl = readNifti(new Uint8Array(readFileSync(path.join(DRO_DIR, 'asl', '001_asl.nii.gz'))), {
    modality: 'MR',
  });
  const sidecar = JSON.parse(readFileSync(path.join(DRO_DIR, 'asl', '001_asl.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const ctx = readFileSync(path.join(DRO_DIR, 'asl', '001_aslcontext.tsv'), 'utf8');
  const seg = readNifti(
    new Uint8Array(readFileSync(path.join(DRO_DIR, 'ground_truth', '002_ground_truth_seg_label.nii.gz'))),
  );
  const expected = JSON.parse(readFileSync(path.join(DRO_DIR, 'expected_values.json'), 'utf8')) as Record<
    string,
    any
  >;
  return {
    input: {
      series: {
        asl: { role: 'asl', volume: asl, dicom: {}, sidecar, attachments: { '001_aslcontext.tsv': ctx } },
      },
      parameters: {},
    },
    seg,
    expected,
  };
}
