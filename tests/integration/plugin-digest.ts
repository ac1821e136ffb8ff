/**
 * A JSON digest of an AnalysisResult, identical whether the run happened in Node or in a browser: measurements
 * rounded to 1e-9, labelmap voxel counts per label and an FNV-1a hash of the label bytes, plot values, findings.
 * Environment-neutral so the browser harness computes it with the same code.
 */
import type { AnalysisResult } from '@qiview/sdk';

const fnv1a = (bytes: Uint8Array): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
};
const round = (x: number) => Math.round(x * 1e9) / 1e9;

/** The digest and its hash. */
export function resultDigest(r: AnalysisResult): { hash: string; body: unknown } {
  const body = {
    measurements: r.measurements.map((m) => [m.key, round(m.value), m.unit]),
    labelmaps: r.labelmaps.map((l) => {
      const counts: Record<number, number> = {};
      for (const v of l.data) if (v) counts[v] = (counts[v] ?? 0) + 1;
      return { id: l.id, dims: l.geometry.dimensions, counts, bytes: fnv1a(l.data) };
    }),
    plots: (r.plots ?? []).map((p) => ({ id: p.id, x: p.x, y: p.series.map((s) => s.y.map(round)) })),
    findings: r.findings,
  };
  return { hash: fnv1a(new TextEncoder().encode(JSON.stringify(body))), body };
}
