/**
 * Which ASL volume is what (control, label, M0, ΔM, CBF), and how they pair. Sources in order of trust:
 * ASL-BIDS `aslcontext.tsv`, per-frame vendor tags (Philips (2005,1429) MRImageLabelType via frameInfo, or a
 * frameInfo `volume_type`), the user's `labelOrder`, then detection from the signal (control volumes are brighter than
 * label volumes because labelled blood lowers the tissue magnetisation; volumes much brighter than the rest are M0).
 *
 * @packageDocumentation
 */
import { AnalysisError, type InputSeries } from '@qiview/sdk';
import { philipsLabelType } from './vendor/philips';

/** Volume types of ASL-BIDS aslcontext.tsv. */
export type VolumeType = 'control' | 'label' | 'm0scan' | 'deltam' | 'cbf' | 'noise' | 'discard';

/** The ordering of an ASL series. */
export interface AslOrdering {
  types: VolumeType[];
  /** Where the ordering came from (shown with the parameters). */
  source: string;
  /** Pairs as [controlFrame, labelFrame]. */
  pairs: Array<[number, number]>;
  /** Frames with M0 (m0scan) inside the ASL series. */
  m0Frames: number[];
  /** Frames that already are ΔM (GE, scanner-computed). */
  deltaMFrames: number[];
}

const KNOWN: ReadonlySet<string> = new Set([
  'control',
  'label',
  'm0scan',
  'deltam',
  'cbf',
  'noise',
  'discard',
]);

/** Parses an aslcontext.tsv text (header `volume_type`). Throws `bad-aslcontext` on unknown entries. */
export function parseAslContext(text: string): VolumeType[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const header = lines.shift()?.split('\t') ?? [];
  const col = header.indexOf('volume_type');
  if (col < 0) throw new AnalysisError('bad-aslcontext', 'aslcontext.tsv has no "volume_type" column.');
  return lines.map((l, i) => {
    const v = (l.split('\t')[col] ?? '').toLowerCase();
    if (!KNOWN.has(v))
      throw new AnalysisError('bad-aslcontext', `aslcontext.tsv row ${i + 1}: unknown volume type "${v}".`);
    return v as VolumeType;
  });
}

function frameMeans(series: InputSeries): number[] {
  const v = series.volume;
  const n = v.geometry.dimensions[0] * v.geometry.dimensions[1] * v.geometry.dimensions[2];
  const out: number[] = [];
  for (let f = 0; f < v.frames; f++) {
    let s = 0;
    for (let i = f * n; i < (f + 1) * n; i++) s += v.data[i]!;
    out.push(s / n);
  }
  return out;
}

/** Pairs control and label frames in acquisition order; throws `unpaired-label-control` when they don't pair. */
export function pairFrames(types: readonly VolumeType[]): Array<[number, number]> {
  const c: number[] = [],
    l: number[] = [];
  types.forEach((t, i) => (t === 'control' ? c.push(i) : t === 'label' ? l.push(i) : undefined));
  if (c.length !== l.length) {
    throw new AnalysisError(
      'unpaired-label-control',
      `${c.length} control and ${l.length} label volumes cannot be paired; check the series (missing or extra volumes) or aslcontext.tsv.`,
    );
  }
  return c.map((ci, k) => [ci, l[k]!]);
}

/**
 * Finds the ordering of the `asl` series. `labelOrder` is the user parameter ('auto', 'control-first',
 * 'label-first'). Throws {@link AnalysisError} `unpaired-label-control` when the counts do not pair and
 * `bad-aslcontext` when aslcontext.tsv does not match the number of volumes.
 */
export function findOrdering(series: InputSeries, labelOrder: string = 'auto'): AslOrdering {
  const frames = series.volume.frames;
  let types: VolumeType[] | undefined;
  let source = '';
  const ctxKey = Object.keys(series.attachments ?? {}).find((k) => /aslcontext\.tsv$/i.test(k));
  if (ctxKey) {
    types = parseAslContext(series.attachments![ctxKey]!);
    source = `sidecar (${ctxKey})`;
    if (types.length !== frames) {
      throw new AnalysisError(
        'bad-aslcontext',
        `aslcontext.tsv lists ${types.length} volumes but the series has ${frames}.`,
      );
    }
  }
  const info = series.volume.metadata.frameInfo;
  if (!types && info && info.length === frames) {
    const vt = info.map((fi) => {
      const p = philipsLabelType(fi);
      if (p) return p;
      const t = typeof fi.volume_type === 'string' ? fi.volume_type.toLowerCase() : undefined;
      return t && KNOWN.has(t) ? (t as VolumeType) : undefined;
    });
    if (vt.every((t) => t !== undefined)) {
      types = vt as VolumeType[];
      source = info.some((fi) => philipsLabelType(fi))
        ? 'header (Philips (2005,1429) MRImageLabelType)'
        : 'header (per-frame volume type)';
    }
  }
  if (!types) {
    const means = frameMeans(series);
    const sorted = [...means].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // M0 volumes (no labelling, usually no background suppression, long TR) are much brighter.
    const isM0 = means.map((m) => m > 1.5 * median);
    const rest = means.map((_, i) => i).filter((i) => !isM0[i]);
    if (rest.length % 2 !== 0) {
      throw new AnalysisError(
        'unpaired-label-control',
        `${rest.length} non-M0 volumes cannot form control/label pairs and no aslcontext.tsv or vendor tag says which is which.`,
      );
    }
    let controlFirst: boolean;
    if (labelOrder === 'control-first' || labelOrder === 'label-first') {
      controlFirst = labelOrder === 'control-first';
      source = 'user (labelOrder)';
    } else {
      let votes = 0;
      for (let k = 0; k + 1 < rest.length; k += 2) votes += means[rest[k]!]! > means[rest[k + 1]!]! ? 1 : -1;
      controlFirst = votes >= 0;
      source = `derived (alternating, ${controlFirst ? 'control' : 'label'} first by mean signal: ${Math.abs(votes)} of ${rest.length / 2} pairs agree)`;
    }
    types = means.map(() => 'discard' as VolumeType);
    rest.forEach((f, k) => (types![f] = (k % 2 === 0) === controlFirst ? 'control' : 'label'));
    isM0.forEach((m, i) => (m ? (types![i] = 'm0scan') : undefined));
  }
  if (source.startsWith('header')) {
    // Vendor-tagged series may start with a pair acquired without background suppression (Philips 3D pCASL: the
    // first dynamic is ~2.5× brighter): such a pair is an M0 estimate, not perfusion.
    const means = frameMeans(series);
    const cl = types
      .flatMap((t, i) => (t === 'control' || t === 'label' ? [means[i]!] : []))
      .sort((a, b) => a - b);
    const median = cl[Math.floor(cl.length / 2)] ?? 0;
    const bright = types.map((t, i) => (t === 'control' || t === 'label') && means[i]! > 1.5 * median);
    const nc = types.filter((t, i) => bright[i] && t === 'control').length;
    const nl = types.filter((t, i) => bright[i] && t === 'label').length;
    if (nc > 0 && nc === nl) {
      types = types.map((t, i) => (bright[i] ? 'm0scan' : t));
      source += `; ${nc} unsuppressed control/label pair(s) used as M0`;
    }
  }
  const pairs = pairFrames(types);
  return {
    types,
    source,
    pairs,
    m0Frames: types.flatMap((t, i) => (t === 'm0scan' ? [i] : [])),
    deltaMFrames: types.flatMap((t, i) => (t === 'deltam' ? [i] : [])),
  };
}
