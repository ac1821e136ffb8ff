/** A stable id for an analysis result, under which its signed reports are stored. */
import type { AnalysisResult } from '@qiview/sdk';
import type { ResultProvenance } from '../results/provenance';
import { canonicalJson } from './canonical-json';
import { sha256Hex } from './sha256-hex';

/**
 * `result-` + the first 32 hex digits of the SHA-256 of the run's provenance (plugin, version, models, inputs,
 * parameters, time) and its measurements (key, value, unit, region): the same run always gets the same id, two
 * runs (another time or other numbers) never do.
 */
export async function reportResultId(
  result: Pick<AnalysisResult, 'measurements'>,
  provenance: ResultProvenance | undefined,
): Promise<string> {
  const content = {
    provenance: provenance ? JSON.parse(JSON.stringify(provenance)) : null,
    measurements: result.measurements.map((m) => ({
      key: m.key,
      value: m.value,
      unit: m.unit,
      region: m.region?.name,
    })),
  };
  return `result-${(await sha256Hex(canonicalJson(content))).slice(0, 32)}`;
}
