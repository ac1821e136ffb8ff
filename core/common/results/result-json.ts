/**
 * JSON form of an {@link AnalysisResult}: everything except voxel arrays (labelmaps and maps keep geometry, segments,
 * units and voxel statistics), plus {@link ResultProvenance}. Non-finite numbers are written as the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"` and restored by {@link parseResultJson}.
 *
 * @packageDocumentation
 */
import type { AnalysisResult, Geometry, Labelmap, ParametricMap } from '@qiview/sdk';
import type { ResultProvenance } from './provenance';

/** Format identifier written in every file. */
export const RESULT_JSON_FORMAT = 'qiview-result/1';

/** A labelmap without its voxels. */
export interface LabelmapSummary extends Omit<Labelmap, 'data'> {
  /** Voxel count per label value. */
  voxelCounts: Record<string, number>;
}

/** A parametric map without its voxels. */
export interface ParametricMapSummary extends Omit<ParametricMap, 'volume'> {
  geometry: Geometry;
  unit: string;
  /** Statistics over finite voxels. */
  stats: { min: number; max: number; mean: number; finiteVoxels: number };
}

/** What a result JSON file holds. */
export interface ResultDocument {
  format: typeof RESULT_JSON_FORMAT;
  provenance: ResultProvenance;
  result: Omit<AnalysisResult, 'labelmaps' | 'maps'> & {
    labelmaps: LabelmapSummary[];
    maps: ParametricMapSummary[];
  };
}

function summariseLabelmap(l: Labelmap): LabelmapSummary {
  const counts = new Map<number, number>();
  for (let i = 0; i < l.data.length; i++) {
    const v = l.data[i];
    if (v !== 0) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const { data: _data, ...rest } = l;
  return {
    ...rest,
    voxelCounts: Object.fromEntries([...counts].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
  };
}

function summariseMap(m: ParametricMap): ParametricMapSummary {
  const d = m.volume.data;
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    n = 0;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    if (!Number.isFinite(x)) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    n++;
  }
  const { volume, ...rest } = m;
  return {
    ...rest,
    geometry: volume.geometry,
    unit: volume.unit,
    stats:
      n > 0
        ? { min, max, mean: sum / n, finiteVoxels: n }
        : { min: NaN, max: NaN, mean: NaN, finiteVoxels: 0 },
  };
}

/** The JSON document (as an object) for a result and its provenance. */
export function resultDocument(result: AnalysisResult, provenance: ResultProvenance): ResultDocument {
  return {
    format: RESULT_JSON_FORMAT,
    provenance,
    result: {
      ...result,
      labelmaps: result.labelmaps.map(summariseLabelmap),
      maps: result.maps.map(summariseMap),
    },
  };
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** Serialises a result and its provenance as pretty-printed JSON (UTF-8 text, trailing newline). */
export function writeResultJson(result: AnalysisResult, provenance: ResultProvenance): string {
  return JSON.stringify(resultDocument(result, provenance), replacer, 2) + '\n';
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
/** Keys whose string values "NaN"/"Infinity"/"-Infinity" are numbers. */
const NUMERIC_KEYS = new Set(['value', 'uncertainty', 'min', 'max', 'mean', 'y']);

/** Parses a result JSON file. Throws a clear error for other files. */
export function parseResultJson(text: string): ResultDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text, function (key, value) {
      if (
        typeof value === 'string' &&
        value in NON_FINITE &&
        (NUMERIC_KEYS.has(key) || Array.isArray(this))
      ) {
        return NON_FINITE[value];
      }
      return value;
    });
  } catch (e) {
    throw new Error(`result JSON is not valid JSON: ${(e as Error).message}`);
  }
  const d = doc as Partial<ResultDocument> | null;
  if (!d || d.format !== RESULT_JSON_FORMAT || !d.provenance || !d.result) {
    throw new Error(`not a Qiview result file (expected format "${RESULT_JSON_FORMAT}")`);
  }
  return d as ResultDocument;
}
