/**
 * Writes the ASLDRO set (../shared/data/asl-dro-asldro-A) as a classic MR DICOM study, the way a scanner without
 * ASL tags would: a 4D "pCASL" series (the 20 control/label volumes, one file per slice and time point,
 * TemporalPositionIdentifier per volume, no label/control tags, no PLD) and a separate "M0" series (volume 0,
 * TR 10 s). Values are stored as uint16 with one RescaleSlope per series, so real-world values survive to about
 * 1/60000 of the series maximum. Used to run the ASL plugin through `qiview batch`.
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Volume } from '@qiview/sdk';
import { TS, writePart10, type WriteElement } from './ct-part10-writer';
import { loadDro } from './asl-dro-input';
import { labelmapSeg } from './labelmap-seg';
import { makeMultiPldPhantom, type MultiPldPhantom } from './asl-multi-pld';

/** UIDs and identifiers of the written study. */
export interface AslDicomStudy {
  studyUid: string;
  aslSeriesUid: string;
  m0SeriesUid: string;
  /** Files written. */
  files: string[];
}

const fmt = (v: number): string => Number(v.toFixed(6)).toString();

/**
 * One classic MR series of chosen frames of `vol` (one file per slice and frame, TemporalPositionIdentifier per frame,
 * uint16 with one RescaleSlope for the series).
 */
export function seriesFiles(
  vol: Volume,
  frames: number[],
  o: {
    studyUid: string;
    seriesUid: string;
    seriesNumber: number;
    description: string;
    trMs: number;
    patientId: string;
  },
): Array<{ name: string; bytes: Uint8Array }> {
  const [nx, ny, nz] = vol.geometry.dimensions;
  const n = nx * ny * nz;
  let max = 0;
  for (const f of frames) for (let i = 0; i < n; i++) max = Math.max(max, Number(vol.data[f * n + i]));
  const slope = max > 0 ? max / 60000 : 1;
  const g = vol.geometry;
  const d = g.direction;
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  frames.forEach((f, t) => {
    for (let k = 0; k < nz; k++) {
      const pixels = new Uint8Array(nx * ny * 2);
      const dv = new DataView(pixels.buffer);
      for (let p = 0; p < nx * ny; p++) {
        const v = Number(vol.data[f * n + k * nx * ny + p]);
        dv.setUint16(2 * p, Math.max(0, Math.min(65535, Math.round(v / slope))), true);
      }
      const ipp = [0, 1, 2].map((a) => g.origin[a]! + k * g.spacing[2] * d[6 + a]!);
      const inst = t * nz + k + 1;
      const el: WriteElement[] = [
        { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\M\\ND' },
        { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.4' },
        { tag: 0x00080018, vr: 'UI', value: `${o.seriesUid}.${inst}` },
        { tag: 0x00080020, vr: 'DA', value: '20240301' },
        { tag: 0x00080030, vr: 'TM', value: '093000' },
        { tag: 0x00080060, vr: 'CS', value: 'MR' },
        { tag: 0x00080070, vr: 'LO', value: 'Qiview Phantoms' },
        { tag: 0x00081030, vr: 'LO', value: 'ASL phantom study' },
        { tag: 0x0008103e, vr: 'LO', value: o.description },
        { tag: 0x00100010, vr: 'PN', value: 'Phantom^ASL' },
        { tag: 0x00100020, vr: 'LO', value: o.patientId },
        { tag: 0x00180050, vr: 'DS', value: fmt(g.spacing[2]) },
        { tag: 0x00180080, vr: 'DS', value: String(o.trMs) },
        { tag: 0x00180081, vr: 'DS', value: '10' },
        { tag: 0x00180087, vr: 'DS', value: '3' },
        { tag: 0x0020000d, vr: 'UI', value: o.studyUid },
        { tag: 0x0020000e, vr: 'UI', value: o.seriesUid },
        { tag: 0x00200011, vr: 'IS', value: String(o.seriesNumber) },
        { tag: 0x00200012, vr: 'IS', value: '1' },
        { tag: 0x00200013, vr: 'IS', value: String(inst) },
        { tag: 0x00200032, vr: 'DS', value: ipp.map(fmt).join('\\') },
        { tag: 0x00200037, vr: 'DS', value: d.slice(0, 6).map(fmt).join('\\') },
        { tag: 0x00200100, vr: 'IS', value: String(t + 1) },
        { tag: 0x00280002, vr: 'US', value: 1 },
        { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
        { tag: 0x00280010, vr: 'US', value: ny },
        { tag: 0x00280011, vr: 'US', value: nx },
        { tag: 0x00280030, vr: 'DS', value: `${fmt(g.spacing[1])}\\${fmt(g.spacing[0])}` },
        { tag: 0x00280100, vr: 'US', value: 16 },
        { tag: 0x00280101, vr: 'US', value: 16 },
        { tag: 0x00280102, vr: 'US', value: 15 },
        { tag: 0x00280103, vr: 'US', value: 0 },
        { tag: 0x00281052, vr: 'DS', value: '0' },
        { tag: 0x00281053, vr: 'DS', value: slope.toPrecision(10) },
        { tag: 0x7fe00010, vr: 'OW', value: pixels },
      ];
      out.push({
        name: `IM${String(inst).padStart(5, '0')}.dcm`,
        bytes: writePart10(el, { transferSyntaxUid: TS.explicitLE }),
      });
    }
  });
  return out;
}

/**
 * Writes the DRO study into `dir`, both series in that one folder (`asl-IM*.dcm`, `m0-IM*.dcm`: `qiview batch`
 * takes each folder that holds files as one study). Throws when the shared data is absent (check {@link hasDro}).
 */
export function writeDroDicomStudy(
  dir: string,
  o: { studyUid?: string; patientId?: string; withSeg?: boolean } = {},
): AslDicomStudy & { segSeriesUid?: string } {
  const { input, seg } = loadDro();
  const vol = input.series.asl!.volume;
  const studyUid = o.studyUid ?? '1.2.826.0.1.3680043.10.2.1';
  const aslSeriesUid = `${studyUid}.1`;
  const m0SeriesUid = `${studyUid}.2`;
  const patientId = o.patientId ?? 'PHANTOM-ASL';
  const files: string[] = [];
  const write = (sub: string, list: Array<{ name: string; bytes: Uint8Array }>) => {
    mkdirSync(dir, { recursive: true });
    for (const f of list) {
      const p = path.join(dir, `${sub}-${f.name}`);
      writeFileSync(p, f.bytes);
      files.push(p);
    }
  };
  const pairs = Array.from({ length: vol.frames - 1 }, (_, i) => i + 1);
  write(
    'asl',
    seriesFiles(vol, pairs, {
      studyUid,
      seriesUid: aslSeriesUid,
      seriesNumber: 5,
      description: 'pCASL DRO',
      trMs: 5000,
      patientId,
    }),
  );
  write(
    'm0',
    seriesFiles(vol, [0], {
      studyUid,
      seriesUid: m0SeriesUid,
      seriesNumber: 6,
      description: 'M0 DRO',
      trMs: 10000,
      patientId,
    }),
  );
  if (!o.withSeg) return { studyUid, aslSeriesUid, m0SeriesUid, files };
  // the ground truth's pure GM (1) / pure WM (2) voxels as a LABELMAP SEG of the same study, on the ASL grid
  const segSeriesUid = `${studyUid}.9`;
  const labels = Uint8Array.from(seg.data as ArrayLike<number>, (s) =>
    Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0,
  );
  const p = path.join(dir, 'seg-truth.dcm');
  writeFileSync(
    p,
    labelmapSeg(seg, labels, {
      studyUid,
      seriesUid: segSeriesUid,
      patientId,
      seriesDescription: 'DRO truth regions',
      seriesNumber: 90,
    }),
  );
  files.push(p);
  return { studyUid, aslSeriesUid, m0SeriesUid, files, segSeriesUid };
}

/** Label values of the phantom truth written as the study's LABELMAP SEG. */
export const PHANTOM_ROI = { gm: 1, wm: 2 } as const;

/** The generated single-PLD phantom study: {@link AslDicomStudy} plus the phantom and its truth. */
export interface AslPhantomDicomStudy extends AslDicomStudy {
  phantom: MultiPldPhantom;
  /** T1-weighted series UID (when written). */
  t1SeriesUid?: string;
  /** LABELMAP SEG series UID (when written). */
  segSeriesUid?: string;
}

/**
 * Writes a generated single-PLD pCASL phantom (tests/phantoms/asl-multi-pld.ts: PLD 1.8 s, label duration 1.8 s,
 * GM 60 / WM 20 ml/100g/min, both arriving before the PLD, so the white-paper model is exact) as one MR DICOM study in
 * `dir`, without ASL tags (PLD and label duration must be given): a 4D "pCASL phantom" series (control/label
 * pairs), an "M0 phantom" series, optionally a "t1_mprage phantom" series (WM > GM > CSF, twice as fine in-plane,
 * `t1SliceFactor` slices per ASL slice, optionally displaced by `t1ShiftMm`) and a LABELMAP SEG of the truth (1 pure GM, 2 pure WM) on the ASL grid.
 */
export function writeAslPhantomDicomStudy(
  dir: string,
  o: {
    studyUid?: string;
    patientId?: string;
    withT1w?: boolean;
    t1SliceFactor?: number;
    withSeg?: boolean;
    repeats?: number;
    /**
     * Moves the T1-weighted series' stated position (ImagePositionPatient) by this many mm, its voxels unchanged: the
     * head seen on the T1 is then that far from where it is on M0 in patient coordinates, as after a patient move
     * between the scans, so only a registration puts its tissue classes back on the ASL voxels.
     */
    t1ShiftMm?: [number, number, number];
    /** Appended to each SeriesDescription (tells apart two phantom studies in one library). */
    descriptionSuffix?: string;
  } = {},
): AslPhantomDicomStudy {
  const phantom = makeMultiPldPhantom({
    plds: [1.8],
    labelDuration: 1.8,
    repeats: o.repeats ?? 8,
    withT1w: o.withT1w,
    t1SliceFactor: o.t1SliceFactor ?? 2,
  });
  const studyUid = o.studyUid ?? '1.2.826.0.1.3680043.10.2.7';
  const patientId = o.patientId ?? 'PHANTOM-ASL-GEN';
  const files: string[] = [];
  mkdirSync(dir, { recursive: true });
  const write = (sub: string, list: Array<{ name: string; bytes: Uint8Array }>) => {
    for (const f of list) {
      const p = path.join(dir, `${sub}-${f.name}`);
      writeFileSync(p, f.bytes);
      files.push(p);
    }
  };
  const asl = phantom.input.series.asl!.volume;
  const sfx = o.descriptionSuffix ?? '';
  const common = { studyUid, patientId };
  write(
    'asl',
    seriesFiles(
      asl,
      Array.from({ length: asl.frames }, (_, i) => i),
      {
        ...common,
        seriesUid: `${studyUid}.1`,
        seriesNumber: 5,
        description: `pCASL phantom${sfx}`,
        trMs: 5000,
      },
    ),
  );
  write(
    'm0',
    seriesFiles(phantom.input.series.m0!.volume, [0], {
      ...common,
      seriesUid: `${studyUid}.2`,
      seriesNumber: 6,
      description: `M0 phantom${sfx}`,
      trMs: 10000,
    }),
  );
  const out: AslPhantomDicomStudy = {
    studyUid,
    aslSeriesUid: `${studyUid}.1`,
    m0SeriesUid: `${studyUid}.2`,
    files,
    phantom,
  };
  const t1Volume = phantom.input.series.t1?.volume;
  const shift = o.t1ShiftMm ?? [0, 0, 0];
  const t1 = t1Volume && {
    ...t1Volume,
    geometry: {
      ...t1Volume.geometry,
      origin: t1Volume.geometry.origin.map((x, a) => x + shift[a]!) as [number, number, number],
    },
  };
  if (t1) {
    out.t1SeriesUid = `${studyUid}.3`;
    write(
      't1',
      seriesFiles(t1, [0], {
        ...common,
        seriesUid: out.t1SeriesUid,
        seriesNumber: 3,
        description: `t1_mprage phantom${sfx}`,
        trMs: 2300,
      }),
    );
  }
  if (o.withSeg) {
    out.segSeriesUid = `${studyUid}.9`;
    const labels = Uint8Array.from(phantom.truth, (t) =>
      t === 1 ? PHANTOM_ROI.gm : t === 2 ? PHANTOM_ROI.wm : 0,
    );
    const p = path.join(dir, 'seg-truth.dcm');
    writeFileSync(
      p,
      labelmapSeg(asl, labels, {
        studyUid,
        seriesUid: out.segSeriesUid,
        patientId,
        seriesDescription: 'phantom truth regions',
        seriesNumber: 90,
      }),
    );
    files.push(p);
  }
  return out;
}

export { hasDro } from './asl-dro-input';
