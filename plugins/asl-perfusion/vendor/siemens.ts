/**
 * Siemens ASL parameters from the CSA headers: (0029,1010) CSA image header (binary "SV10" format: slice times of a
 * mosaic) and (0029,1020) CSA series header, whose MrPhoenixProtocol element holds the ASCCONV protocol text with the
 * sequence's special-card values (sWipMemBlock.adFree[]). The adFree index meanings of the UCLA/Danny Wang
 * ep2d_pcasl sequence follow dcm2niix (nii_dicom_batch.cpp, "ASL specific tags - 2D pCASL"): [1] label offset mm,
 * [2] PLD µs, [3] number of RF blocks, [4] RF gap µs, [10] mean Gz ×10 mT/m, [11] phase adjust %.
 *
 * Private tags arrive as `dicom['x00291010']` etc., base64 for binary values (host readAttributes convention).
 *
 * @packageDocumentation
 */

/** Duration of one RF block of the ep2d_pcasl labelling train, s (ExploreASL / dcm2niix: 18.5 ms per block). */
export const PCASL_RF_BLOCK_S = 0.0185;

/** One CSA element: name and its string items. */
export interface CsaElement {
  name: string;
  vr: string;
  items: string[];
}

/** The ASL parameters decoded from a Siemens series, in dcm2niix reference-JSON names and units. */
export interface SiemensAsl {
  PulseSequenceDetails?: string;
  ArterialSpinLabelingType?: string;
  LabelOffset?: number;
  PostLabelDelay?: number;
  NumRFBlocks?: number;
  RFGap?: number;
  MeanGzx10?: number;
  PhiAdjust?: number;
  /** NumRFBlocks × {@link PCASL_RF_BLOCK_S}. */
  LabelingDuration?: number;
  BackgroundSuppressionNumberPulses?: number;
  /** Slice acquisition times in s relative to the first slice (MosaicRefAcqTimes). */
  SliceTiming?: number[];
}

function bytesOf(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  try {
    const bin = atob(v);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

function cstr(b: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len && i < b.length; i++) {
    if (b[i] === 0) break;
    s += String.fromCharCode(b[i]!);
  }
  return s;
}

/** Parses a CSA2 ("SV10") header into elements. Returns [] for anything else (never throws). */
export function parseCsa(bytes: Uint8Array): CsaElement[] {
  if (bytes.length < 16 || cstr(bytes, 0, 4) !== 'SV10') return [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(8, true);
  if (n > 1000) return [];
  let p = 16;
  const out: CsaElement[] = [];
  for (let t = 0; t < n; t++) {
    if (p + 84 > bytes.length) break;
    const name = cstr(bytes, p, 64);
    const vr = cstr(bytes, p + 68, 4);
    const nItems = dv.getInt32(p + 76, true);
    p += 84;
    const items: string[] = [];
    for (let i = 0; i < nItems; i++) {
      if (p + 16 > bytes.length) break;
      const len = dv.getInt32(p + 4, true);
      p += 16;
      if (len < 0 || p + len > bytes.length) return out;
      if (len > 0) items.push(cstr(bytes, p, len).trim());
      p += Math.ceil(len / 4) * 4;
    }
    out.push({ name, vr, items });
  }
  return out;
}

/** Parses the ASCCONV block of a MrPhoenixProtocol text into key → raw value. */
export function parseAscconv(text: string): Map<string, string> {
  const m = new Map<string, string>();
  const begin = text.indexOf('### ASCCONV BEGIN');
  const end = text.indexOf('### ASCCONV END', begin);
  const body = begin >= 0 ? text.slice(begin, end > begin ? end : undefined) : text;
  for (const line of body.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let val = line.slice(eq + 1).trim();
    const hash = val.indexOf('#');
    if (hash >= 0 && !val.startsWith('"')) val = val.slice(0, hash).trim();
    if (/^[\w.[\]]+$/.test(key)) m.set(key, val.replace(/^"+|"+$/g, ''));
  }
  return m;
}

function ascNum(m: Map<string, string>, key: string): number | undefined {
  const v = m.get(key) ?? m.get(key.replace('sWipMemBlock', 'sWiPMemBlock'));
  if (v === undefined) return undefined;
  const x = v.startsWith('0x') ? parseInt(v, 16) : Number(v);
  return Number.isFinite(x) ? x : undefined;
}

/**
 * Decodes the Siemens ASL parameters of a series from its `dicom` attributes. Returns undefined when there is no
 * readable CSA series header.
 */
export function siemensAslParameters(dicom: Record<string, unknown>): SiemensAsl | undefined {
  const series = bytesOf(dicom.x00291020);
  if (!series) return undefined;
  const elems = parseCsa(series);
  const phoenix = elems.find((e) => e.name === 'MrPhoenixProtocol')?.items.join('') ?? '';
  if (!phoenix) return undefined;
  const asc = parseAscconv(phoenix);
  const seq = asc.get('tSequenceFileName') ?? '';
  const out: SiemensAsl = { PulseSequenceDetails: seq };
  const free = (i: number): number | undefined => ascNum(asc, `sWipMemBlock.adFree[${i}]`);
  if (/ep2d_pcasl/i.test(seq)) {
    out.ArterialSpinLabelingType = 'PCASL';
    out.LabelOffset = free(1);
    const pld = free(2);
    out.PostLabelDelay = pld === undefined ? undefined : pld / 1e6;
    out.NumRFBlocks = free(3);
    const gap = free(4);
    out.RFGap = gap === undefined ? undefined : gap / 1e6;
    out.MeanGzx10 = free(10);
    out.PhiAdjust = free(11);
    if (out.NumRFBlocks !== undefined) out.LabelingDuration = out.NumRFBlocks * PCASL_RF_BLOCK_S;
  } else if (/tgse_pcasl/i.test(seq)) {
    out.ArterialSpinLabelingType = 'PCASL';
    const gap = free(4);
    out.RFGap = gap === undefined ? undefined : gap / 1e6;
    out.MeanGzx10 = free(10);
  } else if (/pasl|pfair|tgse_pasl/i.test(seq)) {
    out.ArterialSpinLabelingType = 'PASL';
  }
  // Slice timing of a mosaic from the image header.
  const image = bytesOf(dicom.x00291010);
  if (image) {
    const times = parseCsa(image)
      .find((e) => e.name === 'MosaicRefAcqTimes')
      ?.items.map(Number);
    if (times && times.length > 0 && times.every(Number.isFinite)) {
      const t0 = Math.min(...times);
      out.SliceTiming = times.map((t) => Math.round((t - t0) * 10) / 10000);
    }
  }
  return out;
}
