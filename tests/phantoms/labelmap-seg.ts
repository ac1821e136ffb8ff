/**
 * A DICOM label-map Segmentation (SegmentationType LABELMAP, DICOM Sup 243): one enhanced multi-frame object, one
 * 8-bit frame per slice (bottom to top) whose pixel values are segment numbers, on the grid of a given volume. Used as
 * the ASL plugin's `roi` input (Node validation tests and the workstation e2e).
 *
 * @packageDocumentation
 */
import type { Volume } from '@qiview/sdk';
import { TS, writePart10, type WriteElement } from './ct-part10-writer';

const fmt = (v: number): string => Number(v.toFixed(6)).toString();

/** Identifiers of the written SEG (defaults: a study of its own, patient PHANTOM-ASL). */
export interface LabelmapSegIds {
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
  patientId?: string;
  seriesDescription?: string;
  seriesNumber?: number;
}

/** An enhanced multi-frame LABELMAP SEG of an integer label volume on `v`'s grid. */
export function labelmapSeg(v: Volume, labels: Uint8Array, ids: LabelmapSegIds = {}): Uint8Array {
  const [nx, ny, nz] = v.geometry.dimensions;
  if (labels.length !== nx * ny * nz)
    throw new Error(`labels have ${labels.length} voxels, the grid ${nx * ny * nz}`);
  const g = v.geometry;
  const d = g.direction;
  const studyUid = ids.studyUid ?? '1.2.826.0.1.3680043.10.3.1';
  const seriesUid = ids.seriesUid ?? `${studyUid}.9`;
  const perFrame: WriteElement[][] = [];
  for (let k = 0; k < nz; k++) {
    const ipp = [0, 1, 2].map((a) => g.origin[a]! + k * g.spacing[2] * d[6 + a]!);
    perFrame.push([
      { tag: 0x00209111, vr: 'SQ', value: [[{ tag: 0x00209057, vr: 'UL', value: k + 1 }]] },
      { tag: 0x00209113, vr: 'SQ', value: [[{ tag: 0x00200032, vr: 'DS', value: ipp.map(fmt).join('\\') }]] },
    ]);
  }
  const el: WriteElement[] = [
    { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.66.7' },
    { tag: 0x00080018, vr: 'UI', value: ids.sopInstanceUid ?? `${seriesUid}.1` },
    { tag: 0x00080060, vr: 'CS', value: 'SEG' },
    { tag: 0x0008103e, vr: 'LO', value: ids.seriesDescription ?? 'user regions' },
    { tag: 0x00100020, vr: 'LO', value: ids.patientId ?? 'PHANTOM-ASL' },
    { tag: 0x0020000d, vr: 'UI', value: studyUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    ...(ids.seriesNumber !== undefined
      ? [{ tag: 0x00200011, vr: 'IS', value: String(ids.seriesNumber) } as WriteElement]
      : []),
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(nz) },
    { tag: 0x00280010, vr: 'US', value: ny },
    { tag: 0x00280011, vr: 'US', value: nx },
    { tag: 0x00280100, vr: 'US', value: 8 },
    { tag: 0x00280101, vr: 'US', value: 8 },
    { tag: 0x00280102, vr: 'US', value: 7 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00620001, vr: 'CS', value: 'LABELMAP' },
    {
      tag: 0x52009229,
      vr: 'SQ',
      value: [
        [
          {
            tag: 0x00289110,
            vr: 'SQ',
            value: [
              [
                { tag: 0x00180050, vr: 'DS', value: fmt(g.spacing[2]) },
                { tag: 0x00280030, vr: 'DS', value: `${fmt(g.spacing[1])}\\${fmt(g.spacing[0])}` },
              ],
            ],
          },
          {
            tag: 0x00209116,
            vr: 'SQ',
            value: [[{ tag: 0x00200037, vr: 'DS', value: d.slice(0, 6).map(fmt).join('\\') }]],
          },
        ],
      ],
    },
    { tag: 0x52009230, vr: 'SQ', value: perFrame },
    { tag: 0x7fe00010, vr: 'OB', value: labels },
  ];
  return writePart10(el, { transferSyntaxUid: TS.explicitLE });
}
