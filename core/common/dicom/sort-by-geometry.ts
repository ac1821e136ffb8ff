/**
 * Orders the instances of a series in space (and in time for 4D series) from their geometry only: the projection
 * of ImagePositionPatient on the slice normal, never file names or instance numbers.
 *
 * @packageDocumentation
 */
import type { InstanceRecord } from './records';

/** Something that is, or carries, an {@link InstanceRecord}. */
export type HasInstance = InstanceRecord | { instance: InstanceRecord };

/** Result of {@link sortByGeometry}. */
export interface GeometrySort<T> {
  /** False when an instance lacks ImagePositionPatient/ImageOrientationPatient or orientations differ. */
  hasGeometry: boolean;
  /**
   * `frames[f][k]`: the instance of time frame f at slice k (k ascending along the normal). One frame for a 3D series;
   * without geometry: one frame ordered by InstanceNumber.
   */
  frames: T[][];
  /** Slice positions along the normal (mm), ascending, one per slice (empty without geometry). */
  positions: number[];
  /** Unit slice normal (row cosine × column cosine); undefined without geometry. */
  normal?: [number, number, number];
  /** Mean centre-to-centre slice distance (mm); undefined with fewer than 2 slices or no geometry. */
  spacing?: number;
  /** True when slice gaps differ by more than 5 % (+ 0.01 mm) from the median gap. */
  unevenSpacing: boolean;
  /** Instances dropped as duplicates (same SOP Instance UID, or surplus copies at one position). */
  duplicates: T[];
  /** Readable, non-fatal problems (shown to the user). */
  warnings: string[];
}

const rec = <T extends HasInstance>(t: T): InstanceRecord =>
  'instance' in t ? (t as { instance: InstanceRecord }).instance : (t as InstanceRecord);

function temporalCompare(a: InstanceRecord, b: InstanceRecord): number {
  const keys: Array<keyof InstanceRecord> = [
    'acquisitionNumber',
    'temporalPositionIdentifier',
    'instanceNumber',
  ];
  for (const k of keys) {
    const x = a[k] as number | undefined,
      y = b[k] as number | undefined;
    if (x !== undefined && y !== undefined && x !== y) return x - y;
  }
  return a.sopInstanceUid < b.sopInstanceUid ? -1 : a.sopInstanceUid > b.sopInstanceUid ? 1 : 0;
}

/** Slice normal of an ImageOrientationPatient (normalised cross product of row and column cosines). */
export function sliceNormal(iop: readonly number[]): [number, number, number] {
  const [r0, r1, r2, c0, c1, c2] = iop;
  const n: [number, number, number] = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const len = Math.hypot(n[0], n[1], n[2]) || 1;
  return [n[0] / len, n[1] / len, n[2] / len];
}

/**
 * Sorts the instances of one series by geometry.
 *
 * - 3D: slices ascending along the normal; `frames` has one entry.
 * - 4D: when every position holds the same number c > 1 of instances, `frames` has c entries, each a full 3D stack,
 *   in temporal order (AcquisitionNumber, then TemporalPositionIdentifier, then InstanceNumber).
 * - Same SOP Instance UID twice, or an uneven number of instances per position: extras are dropped into `duplicates`
 *   with a warning.
 * - Missing geometry or mixed orientations: `hasGeometry: false`, InstanceNumber order, warning "opens as a plain stack".
 */
export function sortByGeometry<T extends HasInstance>(items: readonly T[]): GeometrySort<T> {
  const warnings: string[] = [];
  const duplicates: T[] = [];
  const seen = new Set<string>();
  const unique: T[] = [];
  for (const it of items) {
    const uid = rec(it).sopInstanceUid;
    if (seen.has(uid)) duplicates.push(it);
    else {
      seen.add(uid);
      unique.push(it);
    }
  }
  if (duplicates.length)
    warnings.push(`${duplicates.length} duplicate instance(s) (same SOP Instance UID) ignored`);

  const plainStack = (why: string): GeometrySort<T> => {
    warnings.push(`${why}: opens as a plain stack`);
    const ordered = [...unique].sort((a, b) => {
      const x = rec(a).instanceNumber,
        y = rec(b).instanceNumber;
      if (x !== undefined && y !== undefined && x !== y) return x - y;
      return temporalCompare(rec(a), rec(b));
    });
    return {
      hasGeometry: false,
      frames: [ordered],
      positions: [],
      unevenSpacing: false,
      duplicates,
      warnings,
    };
  };

  if (unique.length === 0) {
    return { hasGeometry: false, frames: [[]], positions: [], unevenSpacing: false, duplicates, warnings };
  }
  const noGeo = unique.filter((t) => !rec(t).imagePositionPatient || !rec(t).imageOrientationPatient);
  if (noGeo.length) {
    return plainStack(
      `missing geometry (ImagePositionPatient/ImageOrientationPatient) in ${noGeo.length} of ${unique.length} images`,
    );
  }
  const iop0 = rec(unique[0]).imageOrientationPatient!;
  const mixed = unique.some((t) =>
    rec(t).imageOrientationPatient!.some((v, i) => Math.abs(v - iop0[i]) > 1e-3),
  );
  if (mixed) return plainStack('images with different orientations (ImageOrientationPatient) in one series');
  const normal = sliceNormal(iop0);
  const proj = (t: T) => {
    const p = rec(t).imagePositionPatient!;
    return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
  };

  // group by position (tolerance 1 µm-scale relative to spacing: 0.001 mm)
  const withPos = unique.map((t) => ({ t, d: proj(t) })).sort((a, b) => a.d - b.d);
  const groups: Array<{ d: number; items: T[] }> = [];
  for (const { t, d } of withPos) {
    const last = groups[groups.length - 1];
    if (last && Math.abs(d - last.d) < 1e-3) last.items.push(t);
    else groups.push({ d, items: [t] });
  }
  for (const g of groups) g.items.sort((a, b) => temporalCompare(rec(a), rec(b)));
  const counts = groups.map((g) => g.items.length);
  const minCount = Math.min(...counts);
  const maxCount = Math.max(...counts);
  const nFrames = minCount;
  if (maxCount !== minCount) {
    let dropped = 0;
    for (const g of groups) {
      const extra = g.items.splice(nFrames);
      dropped += extra.length;
      duplicates.push(...extra);
    }
    warnings.push(
      `${dropped} image(s) share a slice position with another image (${minCount}–${maxCount} per position): ` +
        `extra copies ignored`,
    );
  }
  const frames: T[][] = [];
  for (let f = 0; f < nFrames; f++) frames.push(groups.map((g) => g.items[f]));
  const positions = groups.map((g) => g.d);

  let spacing: number | undefined;
  let unevenSpacing = false;
  if (positions.length >= 2) {
    const gaps = positions.slice(1).map((p, i) => p - positions[i]);
    const sorted = [...gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    spacing = (positions[positions.length - 1] - positions[0]) / (positions.length - 1);
    const tol = 0.05 * median + 0.01;
    if (gaps.some((g) => Math.abs(g - median) > tol)) {
      unevenSpacing = true;
      warnings.push(
        `uneven slice spacing: gaps from ${sorted[0].toFixed(3)} to ${sorted[sorted.length - 1].toFixed(3)} mm ` +
          `(median ${median.toFixed(3)} mm); a slice may be missing, distances in the volume are approximate`,
      );
    }
  }
  return { hasGeometry: true, frames, positions, normal, spacing, unevenSpacing, duplicates, warnings };
}
