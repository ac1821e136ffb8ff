/**
 * BIDS derivative output for parametric maps: `sub-<s>[/ses-<t>]/<datatype>/sub-<s>[_ses-<t>]_desc-<d>_<suffix>.nii.gz`
 * with a JSON sidecar (units, quantity, source series, provenance) and the derivative `dataset_description.json`
 * (BIDS 1.9 "Derivatives": DatasetType "derivative", GeneratedBy).
 *
 * @packageDocumentation
 */
import type { ParametricMap } from '@qiview/sdk';
import type { ResultProvenance } from './provenance';
import { writeNifti } from './write-nifti';

/** BIDS entities of the output. */
export interface BidsEntities {
  subject: string;
  session?: string;
  /** `desc-` label, e.g. `'qiview'`; default the map id. */
  desc?: string;
  /** File suffix, e.g. `'cbf'`; default the map id. */
  suffix?: string;
  /** Folder, e.g. `'perf'` (ASL) or `'anat'`. Default `'perf'`. */
  datatype?: string;
}

/** A file to write, relative to the derivative dataset root. */
export interface OutputFile {
  path: string;
  data: Uint8Array | string;
}

/** A BIDS label: letters and digits only. Throws when nothing remains. */
export function bidsLabel(s: string): string {
  const out = s.replace(/[^A-Za-z0-9]/g, '');
  if (!out) throw new Error(`"${s}" has no letters or digits to make a BIDS label`);
  return out;
}

/** The derivative dataset description for a provenance. */
export function datasetDescription(p: ResultProvenance): string {
  return (
    JSON.stringify(
      {
        Name: `${p.pluginId} derivatives`,
        BIDSVersion: '1.9.0',
        DatasetType: 'derivative',
        GeneratedBy: [
          { Name: p.pluginId, Version: p.pluginVersion, Description: `Qiview plugin (SDK ${p.sdkVersion})` },
        ],
      },
      null,
      2,
    ) + '\n'
  );
}

/** The NIfTI + sidecar files for a parametric map (and the dataset description). */
export function bidsDerivativeFiles(
  map: ParametricMap,
  entities: BidsEntities,
  provenance: ResultProvenance,
): OutputFile[] {
  const sub = bidsLabel(entities.subject);
  const ses = entities.session ? bidsLabel(entities.session) : undefined;
  const desc = bidsLabel(entities.desc ?? map.id);
  const suffix = bidsLabel(entities.suffix ?? map.id);
  const dir = [`sub-${sub}`, ses ? `ses-${ses}` : '', entities.datatype ?? 'perf'].filter(Boolean).join('/');
  const stem = [`sub-${sub}`, ses ? `ses-${ses}` : '', `desc-${desc}`, suffix].filter(Boolean).join('_');
  const sidecar: Record<string, unknown> = {
    Description: map.name,
    Units: map.volume.unit,
    SourceSeriesInstanceUID: map.referencedSeriesUid ?? null,
    GeneratedBy: { Name: provenance.pluginId, Version: provenance.pluginVersion },
    Provenance: provenance,
  };
  if (map.quantity) sidecar.Quantity = map.quantity;
  if (map.display) sidecar.Display = map.display;
  return [
    {
      path: `${dir}/${stem}.nii.gz`,
      data: writeNifti(map.volume, { description: `${map.name} [${map.volume.unit}]` }),
    },
    { path: `${dir}/${stem}.json`, data: JSON.stringify(sidecar, null, 2) + '\n' },
    { path: 'dataset_description.json', data: datasetDescription(provenance) },
  ];
}
