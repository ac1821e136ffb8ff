/**
 * Findings text of an ASL result, in English and Simplified Chinese.
 *
 * @packageDocumentation
 */
import type { QualityControl } from '@qiview/sdk';

/** Numbers the findings mention. */
export interface FindingsInput {
  gmMean: number;
  wmMean: number;
  brainMean: number;
  ratio: number;
  attGm?: number;
  qc: QualityControl;
  tissueFallback: boolean;
  m0Fallback: boolean;
  pairsUsed: number;
  pairsTotal: number;
  selfCheckBiasPct?: number;
}

const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** Builds the findings sentences for a locale ('zh-CN' or anything else → English). */
export function buildFindings(x: FindingsInput, locale: string): string[] {
  const zh = locale.toLowerCase().startsWith('zh');
  const out: string[] = [];
  if (zh) {
    out.push(
      `灰质平均脑血流量 ${f1(x.gmMean)} ml/100g/min，白质 ${f1(x.wmMean)}，全脑 ${f1(x.brainMean)}；灰质/白质比 ${x.ratio.toFixed(2)}。`,
    );
    if (x.attGm !== undefined) out.push(`灰质平均动脉通过时间 ${x.attGm.toFixed(2)} s。`);
    out.push(`使用 ${x.pairsUsed}/${x.pairsTotal} 对标记/控制图像。`);
    if (x.tissueFallback) out.push('未提供 T1 加权序列：灰质/白质由 M0 信号聚类估计（替代方法，仅供参考）。');
    if (x.m0Fallback) out.push('未提供 M0：以控制图像平均值替代 M0（替代方法）。');
    if (x.selfCheckBiasPct !== undefined)
      out.push(`自检（按本检查参数模拟的合成参考体模）偏差 ${x.selfCheckBiasPct.toFixed(2)}%。`);
    out.push(
      `质量控制：${x.qc.status === 'pass' ? '通过' : x.qc.status === 'warn' ? '警告' : '失败'}${x.qc.reasons.length ? '（' + x.qc.reasons.join('；') + '）' : ''}。`,
    );
  } else {
    out.push(
      `Mean CBF ${f1(x.gmMean)} ml/100g/min in grey matter, ${f1(x.wmMean)} in white matter, ${f1(x.brainMean)} whole brain; GM/WM ratio ${x.ratio.toFixed(2)}.`,
    );
    if (x.attGm !== undefined) out.push(`Mean arterial transit time in grey matter ${x.attGm.toFixed(2)} s.`);
    out.push(`${x.pairsUsed} of ${x.pairsTotal} label/control pairs used.`);
    if (x.tissueFallback)
      out.push('No T1-weighted series: GM/WM estimated by clustering M0 intensity (fallback, approximate).');
    if (x.m0Fallback) out.push('No M0: mean control image used as M0 (fallback).');
    if (x.selfCheckBiasPct !== undefined)
      out.push(
        `Self-check on a synthetic reference simulated with this study's parameters: bias ${x.selfCheckBiasPct.toFixed(2)} %.`,
      );
    out.push(
      `Quality control: ${x.qc.status.toUpperCase()}${x.qc.reasons.length ? ' (' + x.qc.reasons.join('; ') + ')' : ''}.`,
    );
  }
  return out;
}
