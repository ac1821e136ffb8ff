/**
 * Generated CT series of known HU, written as DICOM files (one per slice) in a chosen transfer syntax, for loader
 * tests and the load benchmark.
 *
 * Content (LPS mm, the cylinder axis along the volume's k axis through the centre of the field of view):
 * - air −1000 HU outside a body cylinder of radius `0.4 × min(FOV)` at 40 HU;
 * - an insert cylinder of 300 HU, radius `0.08 × min(FOV)`, centred `0.2 × FOV` along +i (patient left for the default
 *   axial orientation): an orientation landmark;
 * - stored values = HU + 1024 (RescaleIntercept −1024, slope 1, unsigned 16 bit), or signed with `signed: true`.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TS, writePart10, type WriteElement } from './ct-part10-writer';

/** Transfer syntaxes the phantom can be written in. */
export type CtTransferSyntax =
  | 'explicitLE'
  | 'implicitLE'
  | 'explicitBE'
  | 'rle'
  | 'jpegLS'
  | 'htj2k'
  | 'raw'
  | 'jpegBaseline'
  | 'deflatedLE';

/** Options of {@link ctSeriesFiles}. */
export interface CtSeriesOptions {
  /** [columns, rows, slices]; default [64, 64, 16]. */
  dims?: [number, number, number];
  /** [column spacing (i), row spacing (j), slice spacing (k)] in mm; default [0.8, 0.8, 2]. */
  spacing?: [number, number, number];
  /** LPS origin of voxel (0,0,0); default centred on 0. */
  origin?: [number, number, number];
  /** Row and column direction cosines (ImageOrientationPatient); default axial [1,0,0, 0,1,0]. */
  orientation?: [number, number, number, number, number, number];
  /** Transfer syntax; 'raw' = explicit LE without preamble/meta. Default explicitLE. */
  transferSyntax?: CtTransferSyntax;
  /** Store signed pixel values (PixelRepresentation 1, intercept 0). Default false (unsigned, intercept −1024). */
  signed?: boolean;
  /** Per-slice k positions override (mm along the normal), e.g. to create uneven spacing. */
  slicePositions?: number[];
  /** Omit ImagePositionPatient/ImageOrientationPatient (missing-geometry series). */
  noGeometry?: boolean;
  /** Study / series UIDs (defaults fixed). */
  studyUid?: string;
  seriesUid?: string;
  /** Shuffle instance numbers and file names (so only geometry gives the right order). Default true. */
  shuffle?: boolean;
  /** Prefix of the SOP Instance UIDs (default: the series UID), e.g. to write several phases of a 4D series. */
  sopUidPrefix?: string;
  /** Patient ID (default 'PHANTOM-CT'). */
  patientId?: string;
  /** StudyDate (default '20240102'). */
  studyDate?: string;
  /** Modality (default 'CT'; e.g. 'MR' for a study a CT plugin must not pick). */
  modality?: string;
  /** Extra elements added to every instance. */
  extra?: WriteElement[];
}

/** HU of the phantom at an in-plane position relative to the FOV centre, FOV size `fov` (mm). */
export function phantomHu(x: number, y: number, fov: number): number {
  const rBody = 0.4 * fov;
  const rIns = 0.08 * fov;
  const dx = x - 0.2 * fov;
  if (dx * dx + y * y <= rIns * rIns) return 300;
  if (x * x + y * y <= rBody * rBody) return 40;
  return -1000;
}

/** Resolved geometry of a phantom (what a correct reader must reproduce). */
export interface CtSeriesGeometry {
  dims: [number, number, number];
  spacing: [number, number, number];
  origin: [number, number, number];
  /** [row cosine, column cosine, normal] row-major. */
  direction: [number, number, number, number, number, number, number, number, number];
  /** k position of each slice, in order. */
  positions: number[];
}

/** Geometry a phantom with these options has. */
export function ctSeriesGeometry(o: CtSeriesOptions = {}): CtSeriesGeometry {
  const dims = o.dims ?? [64, 64, 16];
  const spacing = o.spacing ?? [0.8, 0.8, 2];
  const ori = o.orientation ?? [1, 0, 0, 0, 1, 0];
  const r = ori.slice(0, 3),
    c = ori.slice(3, 6);
  const n = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const half = [
    ((dims[0] - 1) * spacing[0]) / 2,
    ((dims[1] - 1) * spacing[1]) / 2,
    ((dims[2] - 1) * spacing[2]) / 2,
  ];
  const origin =
    o.origin ??
    ([0, 1, 2].map((a) => -(half[0] * r[a] + half[1] * c[a] + half[2] * n[a])) as [number, number, number]);
  const positions = o.slicePositions ?? Array.from({ length: dims[2] }, (_, k) => k * spacing[2]);
  return {
    dims,
    spacing,
    origin,
    direction: [r[0], r[1], r[2], c[0], c[1], c[2], n[0], n[1], n[2]],
    positions,
  };
}

/** Expected HU volume (i fastest) of a phantom, for comparisons. */
export function ctSeriesExpectedHu(o: CtSeriesOptions = {}): Int16Array {
  const g = ctSeriesGeometry(o);
  const [nx, ny, nz] = g.dims;
  const fov = Math.min(nx * g.spacing[0], ny * g.spacing[1]);
  const slice = new Int16Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = (j - (ny - 1) / 2) * g.spacing[1];
    for (let i = 0; i < nx; i++) slice[i + nx * j] = phantomHu((i - (nx - 1) / 2) * g.spacing[0], y, fov);
  }
  const out = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) out.set(slice, k * nx * ny);
  return out;
}

/** PackBits-encodes one byte plane (DICOM RLE segment, PS3.5 G.3.1). */
export function packBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 2) {
      out.push(257 - run, src[i]);
      i += run;
      continue;
    }
    let lit = 1;
    while (
      i + lit < src.length &&
      lit < 128 &&
      !(i + lit + 1 < src.length && src[i + lit] === src[i + lit + 1])
    )
      lit++;
    out.push(lit - 1);
    for (let q = 0; q < lit; q++) out.push(src[i + q]);
    i += lit;
  }
  if (out.length % 2) out.push(0x80); // pad to even with a no-op
  return Uint8Array.from(out);
}

/** DICOM RLE frame of 16-bit little-endian samples (two segments: high bytes, then low bytes). */
export function rleEncode16(pixels: Uint8Array): Uint8Array {
  const n = pixels.length / 2;
  const hi = new Uint8Array(n),
    lo = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    lo[p] = pixels[2 * p];
    hi[p] = pixels[2 * p + 1];
  }
  const s1 = packBits(hi),
    s2 = packBits(lo);
  const out = new Uint8Array(64 + s1.length + s2.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 2, true);
  dv.setUint32(4, 64, true);
  dv.setUint32(8, 64 + s1.length, true);
  out.set(s1, 64);
  out.set(s2, 64 + s1.length);
  return out;
}

interface Encoder {
  encode(pixels: Uint8Array, w: number, h: number, signed: boolean): Uint8Array;
}

async function jpegLsEncoder(): Promise<Encoder> {
  const m: any = await (await import('@cornerstonejs/codec-charls/wasmjs' as string)).default();
  return {
    encode(pixels, w, h, signed) {
      const enc = new m.JpegLSEncoder();
      const buf = enc.getDecodedBuffer({
        width: w,
        height: h,
        bitsPerSample: 16,
        componentCount: 1,
        isSigned: signed,
      });
      buf.set(pixels);
      enc.setNearLossless(0);
      enc.encode();
      const out = Uint8Array.from(enc.getEncodedBuffer());
      enc.delete?.();
      return out;
    },
  };
}

async function htj2kEncoder(): Promise<Encoder> {
  const m: any = await (await import('@cornerstonejs/codec-openjph/wasmjs' as string)).default();
  return {
    encode(pixels, w, h, signed) {
      const enc = new m.HTJ2KEncoder();
      const buf = enc.getDecodedBuffer({
        width: w,
        height: h,
        bitsPerSample: 16,
        componentCount: 1,
        isSigned: signed,
        isUsingColorTransform: false,
      });
      buf.set(pixels);
      enc.setQuality(true, 0);
      enc.encode();
      const out = Uint8Array.from(enc.getEncodedBuffer());
      enc.delete?.();
      return out;
    },
  };
}

async function jpegBaselineEncoder(): Promise<Encoder> {
  const m: any = await (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' as string)).default();
  return {
    encode(pixels, w, h) {
      const enc = new m.JPEGEncoder();
      const buf = enc.getDecodedBuffer({
        width: w,
        height: h,
        bitsPerSample: 8,
        componentCount: 1,
        isSigned: false,
      });
      buf.set(pixels);
      enc.setQuality(100);
      enc.encode();
      const out = Uint8Array.from(enc.getEncodedBuffer());
      enc.delete?.();
      return out;
    },
  };
}

/** One generated file. */
export interface GeneratedFile {
  name: string;
  bytes: Uint8Array;
}

/** Generates the instances of a phantom CT series in memory. */
export async function ctSeriesFiles(o: CtSeriesOptions = {}): Promise<GeneratedFile[]> {
  const g = ctSeriesGeometry(o);
  const [nx, ny, nz] = g.dims;
  const signed = o.signed ?? false;
  const tsName = o.transferSyntax ?? 'explicitLE';
  const UIDS: Record<CtTransferSyntax, string> = {
    explicitLE: TS.explicitLE,
    implicitLE: TS.implicitLE,
    explicitBE: TS.explicitBE,
    rle: TS.rle,
    raw: TS.explicitLE,
    jpegLS: TS.jpegLS,
    htj2k: TS.htj2kLossless,
    jpegBaseline: '1.2.840.10008.1.2.4.50',
    deflatedLE: TS.deflatedLE,
  };
  const tsUid = UIDS[tsName];
  const encoders: Partial<Record<CtTransferSyntax, () => Promise<Encoder>>> = {
    jpegLS: jpegLsEncoder,
    htj2k: htj2kEncoder,
    jpegBaseline: jpegBaselineEncoder,
  };
  const encoder = await encoders[tsName]?.();
  const hu = ctSeriesExpectedHu({ ...o, dims: [nx, ny, 1] });
  const eight = tsName === 'jpegBaseline';
  const pixels = new Uint8Array(nx * ny * (eight ? 1 : 2));
  const pdv = new DataView(pixels.buffer);
  for (let p = 0; p < nx * ny; p++) {
    if (eight) pixels[p] = Math.min(255, Math.round((hu[p] + 1024) / 8));
    else if (signed) pdv.setInt16(2 * p, hu[p], true);
    else pdv.setUint16(2 * p, hu[p] + 1024, true);
  }
  const encoded = encoder
    ? encoder.encode(pixels, nx, ny, signed)
    : tsName === 'rle'
      ? rleEncode16(pixels)
      : undefined;
  const studyUid = o.studyUid ?? '1.2.826.0.1.3680043.10.1.1';
  const seriesUid = o.seriesUid ?? `${studyUid}.${tsName.length}${nx}${nz}`;
  const order = Array.from({ length: nz }, (_, k) => k);
  if (o.shuffle !== false) {
    // deterministic permutation: reverse odd/even interleave so neither names nor numbers follow position
    order.sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101) || a - b);
  }
  const files: GeneratedFile[] = [];
  for (let k = 0; k < nz; k++) {
    const d = g.direction;
    const t = g.positions[k];
    const ipp = [0, 1, 2].map((a) => g.origin[a] + t * d[6 + a]);
    const fmt = (v: number) => Number(v.toFixed(6)).toString();
    const el: WriteElement[] = [
      { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\AXIAL' },
      { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' },
      { tag: 0x00080018, vr: 'UI', value: `${o.sopUidPrefix ?? seriesUid}.${k + 1}` },
      { tag: 0x00080020, vr: 'DA', value: o.studyDate ?? '20240102' },
      { tag: 0x00080030, vr: 'TM', value: '101500' },
      { tag: 0x00080060, vr: 'CS', value: o.modality ?? 'CT' },
      { tag: 0x00080070, vr: 'LO', value: 'Qiview Phantoms' },
      { tag: 0x00081030, vr: 'LO', value: 'Phantom study' },
      { tag: 0x0008103e, vr: 'LO', value: `CT phantom ${tsName}` },
      { tag: 0x00100010, vr: 'PN', value: 'Phantom^CT' },
      { tag: 0x00100020, vr: 'LO', value: o.patientId ?? 'PHANTOM-CT' },
      { tag: 0x00180015, vr: 'CS', value: 'ABDOMEN' },
      { tag: 0x00180050, vr: 'DS', value: fmt(g.spacing[2]) },
      { tag: 0x00180060, vr: 'DS', value: '120' },
      { tag: 0x00181210, vr: 'SH', value: 'B30f' },
      { tag: 0x0020000d, vr: 'UI', value: studyUid },
      { tag: 0x0020000e, vr: 'UI', value: seriesUid },
      { tag: 0x00200011, vr: 'IS', value: '2' },
      { tag: 0x00200013, vr: 'IS', value: String(order[k] + 1) },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: ny },
      { tag: 0x00280011, vr: 'US', value: nx },
      { tag: 0x00280030, vr: 'DS', value: `${fmt(g.spacing[1])}\\${fmt(g.spacing[0])}` },
      { tag: 0x00280100, vr: 'US', value: eight ? 8 : 16 },
      { tag: 0x00280101, vr: 'US', value: eight ? 8 : 16 },
      { tag: 0x00280102, vr: 'US', value: eight ? 7 : 15 },
      { tag: 0x00280103, vr: 'US', value: signed && !eight ? 1 : 0 },
      { tag: 0x00281050, vr: 'DS', value: '40' },
      { tag: 0x00281051, vr: 'DS', value: '400' },
      { tag: 0x00281052, vr: 'DS', value: signed && !eight ? '0' : '-1024' },
      { tag: 0x00281053, vr: 'DS', value: eight ? '8' : '1' },
      {
        tag: 0x7fe00010,
        vr: encoded ? 'OB' : 'OW',
        value: encoded ? { fragments: [encoded] } : pixels,
      },
      ...(o.extra ?? []),
    ];
    if (!o.noGeometry) {
      el.push({ tag: 0x00200032, vr: 'DS', value: ipp.map(fmt).join('\\') });
      el.push({ tag: 0x00200037, vr: 'DS', value: g.direction.slice(0, 6).map(fmt).join('\\') });
    }
    files.push({
      name: `IM${String(order[k] + 1).padStart(4, '0')}.dcm`,
      bytes: writePart10(el, { transferSyntaxUid: tsUid, part10: tsName !== 'raw' }),
    });
  }
  return files;
}

/** Writes a phantom series into `dir` (created if needed); returns the file paths. */
export async function writeCtSeries(dir: string, o: CtSeriesOptions = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = await ctSeriesFiles(o);
  const paths: string[] = [];
  for (const f of files) {
    const p = path.join(dir, f.name);
    await writeFile(p, f.bytes);
    paths.push(p);
  }
  return paths;
}
