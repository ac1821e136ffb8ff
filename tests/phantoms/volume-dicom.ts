/**
 * Writes a generated Int16 HU volume (e.g. {@link chestPhantom}) as a DICOM CT series, one explicit-VR little-endian
 * file per slice, signed pixels (RescaleIntercept 0), geometry from the volume's origin, spacing and direction, so the
 * batch CLI and the importers read back exactly the phantom's voxels on its grid.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Volume } from '@qiview/sdk';
import { TS, writePart10, type WriteElement } from './ct-part10-writer';

/** Identifiers and acquisition attributes of the written series. */
export interface VolumeSeriesOptions {
  studyUid: string;
  seriesUid: string;
  patientId?: string;
  patientName?: string;
  studyDate?: string;
  seriesDescription?: string;
  bodyPart?: string;
  kernel?: string;
}

/** Writes `volume` (Int16 HU, one frame) into `dir` as one file per slice; returns the file paths. */
export async function writeVolumeSeries(
  dir: string,
  volume: Volume & { data: Int16Array },
  o: VolumeSeriesOptions,
): Promise<string[]> {
  const { dimensions: dims, spacing, origin, direction: d } = volume.geometry;
  const [nx, ny, nz] = dims;
  await mkdir(dir, { recursive: true });
  const fmt = (v: number) => Number(v.toFixed(6)).toString();
  const paths: string[] = [];
  for (let k = 0; k < nz; k++) {
    const ipp = [0, 1, 2].map((a) => origin[a] + k * spacing[2] * d[6 + a]);
    const slice = volume.data.subarray(k * nx * ny, (k + 1) * nx * ny);
    const pixels = new Uint8Array(slice.buffer.slice(slice.byteOffset, slice.byteOffset + slice.byteLength));
    const el: WriteElement[] = [
      { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\AXIAL' },
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: 0x00080018, vr: 'UI', value: `${o.seriesUid}.${k + 1}` },
      { tag: 0x00080020, vr: 'DA', value: o.studyDate ?? '20250101' },
      { tag: 0x00080030, vr: 'TM', value: '090000' },
      { tag: 0x00080060, vr: 'CS', value: 'CT' },
      { tag: 0x00080070, vr: 'LO', value: 'Qiview Phantoms' },
      { tag: 0x00081030, vr: 'LO', value: 'Chest phantom study' },
      { tag: 0x0008103e, vr: 'LO', value: o.seriesDescription ?? 'Chest phantom' },
      { tag: 0x00100010, vr: 'PN', value: o.patientName ?? 'Phantom^Chest' },
      { tag: 0x00100020, vr: 'LO', value: o.patientId ?? 'PHANTOM-CHEST' },
      { tag: 0x00180015, vr: 'CS', value: o.bodyPart ?? 'CHEST' },
      { tag: 0x00180050, vr: 'DS', value: fmt(spacing[2]) },
      { tag: 0x00180060, vr: 'DS', value: '120' },
      { tag: 0x00181210, vr: 'SH', value: o.kernel ?? 'STANDARD' },
      { tag: 0x0020000d, vr: 'UI', value: o.studyUid },
      { tag: 0x0020000e, vr: 'UI', value: o.seriesUid },
      { tag: 0x00200011, vr: 'IS', value: '1' },
      { tag: 0x00200013, vr: 'IS', value: String(k + 1) },
      { tag: 0x00200032, vr: 'DS', value: ipp.map(fmt).join('\\') },
      { tag: 0x00200037, vr: 'DS', value: [...d.slice(0, 6)].map(fmt).join('\\') },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: ny },
      { tag: 0x00280011, vr: 'US', value: nx },
      { tag: 0x00280030, vr: 'DS', value: `${fmt(spacing[1])}\\${fmt(spacing[0])}` },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 16 },
      { tag: 0x00280102, vr: 'US', value: 15 },
      { tag: 0x00280103, vr: 'US', value: 1 },
      { tag: 0x00281050, vr: 'DS', value: '-600' },
      { tag: 0x00281051, vr: 'DS', value: '1500' },
      { tag: 0x00281052, vr: 'DS', value: '0' },
      { tag: 0x00281053, vr: 'DS', value: '1' },
      { tag: 0x7fe00010, vr: 'OW', value: pixels },
    ];
    const p = path.join(dir, `CT${String(k + 1).padStart(4, '0')}.dcm`);
    await writeFile(p, writePart10(el, { transferSyntaxUid: TS.explicitLE }));
    paths.push(p);
  }
  return paths;
}
