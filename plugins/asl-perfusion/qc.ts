/**
 * Quality control of a CBF result: spatial coefficient of variation in GM, % negative GM voxels, motion (mean
 * framewise displacement), GM CBF and GM/WM plausibility ranges; a pass/warn/fail verdict with reasons. Gates and
 * their sources are in constants.ts ({@link QC}).
 *
 * @packageDocumentation
 */
import type { QualityControl } from '@qiview/sdk';
import { QC } from './constants';

/** Inputs of {@link assessQuality}. */
export interface QcInput {
  gmValues: number[];
  gmMean: number;
  wmMean: number;
  fdMean: number;
  pairsRejected: number;
  pairsTotal: number;
  m0Fallback: boolean;
  tissueFallback: boolean;
  selfCheckBiasPct?: number;
}

/** Spatial CoV = SD / mean. */
export function spatialCov(values: readonly number[]): number {
  if (values.length < 2) return NaN;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(v) / m;
}

/** Assesses QC. */
export function assessQuality(q: QcInput): QualityControl {
  const reasons: string[] = [];
  let level = 0;
  const flag = (l: number, r: string): void => {
    level = Math.max(level, l);
    reasons.push(r);
  };
  const cov = spatialCov(q.gmValues);
  const neg = q.gmValues.length ? (100 * q.gmValues.filter((v) => v < 0).length) / q.gmValues.length : NaN;
  const ratio = q.wmMean > 0 ? q.gmMean / q.wmMean : NaN;
  if (!(cov < QC.spatialCovFail))
    flag(2, `spatial CoV ${cov.toFixed(2)} ≥ ${QC.spatialCovFail} (vascular artefact or noise)`);
  else if (cov >= QC.spatialCovWarn) flag(1, `spatial CoV ${cov.toFixed(2)} ≥ ${QC.spatialCovWarn}`);
  if (neg >= QC.negativeGmPctFail) flag(2, `${neg.toFixed(1)} % of GM voxels negative`);
  else if (neg >= QC.negativeGmPctWarn) flag(1, `${neg.toFixed(1)} % of GM voxels negative`);
  if (!(q.gmMean >= QC.gmCbfMin && q.gmMean <= QC.gmCbfMax))
    flag(1, `GM CBF ${q.gmMean.toFixed(1)} outside the plausible ${QC.gmCbfMin}-${QC.gmCbfMax} ml/100g/min`);
  if (!(ratio >= QC.gmWmRatioMin && ratio <= QC.gmWmRatioMax))
    flag(1, `GM/WM ratio ${ratio.toFixed(2)} outside the plausible ${QC.gmWmRatioMin}-${QC.gmWmRatioMax}`);
  if (q.fdMean >= QC.fdMeanFailMm) flag(2, `mean framewise displacement ${q.fdMean.toFixed(2)} mm`);
  else if (q.fdMean >= QC.fdMeanWarnMm) flag(1, `mean framewise displacement ${q.fdMean.toFixed(2)} mm`);
  if (q.pairsRejected > 0)
    flag(
      q.pairsRejected * 2 > q.pairsTotal ? 2 : 1,
      `${q.pairsRejected} of ${q.pairsTotal} pairs rejected as outliers`,
    );
  if (q.m0Fallback) flag(1, 'no M0: mean control used as M0 (fallback)');
  if (q.tissueFallback) flag(1, 'no T1-weighted series: GM/WM from M0 intensity clustering (fallback)');
  if (q.selfCheckBiasPct !== undefined && Math.abs(q.selfCheckBiasPct) > 2)
    flag(2, `self-check bias ${q.selfCheckBiasPct.toFixed(1)} % on the synthetic reference`);
  return {
    status: level === 0 ? 'pass' : level === 1 ? 'warn' : 'fail',
    reasons,
    metrics: {
      spatial_cov: cov,
      negative_gm_pct: neg,
      gm_wm_ratio: ratio,
      fd_mean_mm: q.fdMean,
      pairs_rejected: q.pairsRejected,
    },
  };
}
