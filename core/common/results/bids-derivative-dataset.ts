/**
 * The BIDS derivative dataset of a result's parametric maps: one set of files for all maps, shared by the export and
 * the batch outputs.
 *
 * @packageDocumentation
 */
import type { ParametricMap } from '@qiview/sdk';
import { bidsDerivativeFiles, type OutputFile } from './bids-derivative';
import type { ResultProvenance } from './provenance';

/**
 * NIfTI + JSON sidecar of every map (`sub-<subject>/perf/sub-<subject>_desc-qiview_<map id>.nii.gz`) and one
 * `dataset_description.json`: each path once, the first map's file kept.
 */
export function bidsDerivativeDataset(
  maps: readonly ParametricMap[],
  subject: string,
  provenance: ResultProvenance,
): OutputFile[] {
  const seen = new Set<string>();
  const out: OutputFile[] = [];
  for (const m of maps)
    for (const f of bidsDerivativeFiles(m, { subject, desc: 'qiview', suffix: m.id }, provenance)) {
      if (seen.has(f.path)) continue;
      seen.add(f.path);
      out.push(f);
    }
  return out;
}
