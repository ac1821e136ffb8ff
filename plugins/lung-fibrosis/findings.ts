/** Report sentences in English and Simplified Chinese. */
import type { RegionChange } from './follow-up';
import { SEVERITY_THRESHOLDS, severityOf, type RegionStats } from './quantify';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f0 = (x: number) => (Number.isFinite(x) ? Math.round(x).toString() : 'n/a');

const SEVERITY_ZH = { minimal: '轻微', limited: '局限', extensive: '广泛' } as const;
const REGION_ZH: Record<string, string> = {
  lungs: '双肺',
  right: '右肺',
  left: '左肺',
  upper: '上肺区',
  middle: '中肺区',
  lower: '下肺区',
  core: '中央区',
  rind: '胸膜下 10 mm',
  upper_core: '上区中央',
  upper_rind: '上区胸膜下',
  middle_core: '中区中央',
  middle_rind: '中区胸膜下',
  lower_core: '下区中央',
  lower_rind: '下区胸膜下',
};

/** Builds the findings for a run. */
export function buildFindings(
  stats: RegionStats[],
  locale: string,
  extra: { warnings: string[]; changes?: RegionChange[]; mcidPct?: number },
): string[] {
  const zh = locale.toLowerCase().startsWith('zh');
  const by = new Map(stats.map((s) => [s.key, s]));
  const all = by.get('lungs')!;
  const right = by.get('right')!;
  const left = by.get('left')!;
  const sev = severityOf(all.fibrosisPct);
  const zones = stats.filter((s) => s.key.includes('_') && s.voxels > 0);
  const worst = zones.reduce((a, b) => (b.fibrosisPct > a.fibrosisPct ? b : a), zones[0]);
  const t = SEVERITY_THRESHOLDS;
  const out: string[] = [];
  if (zh) {
    out.push(
      `肺容积：右肺 ${f0(right.volumeMl)} ml，左肺 ${f0(left.volumeMl)} ml；平均肺密度 ${f0(all.mld)} HU（偏度 ${f1(all.skewness)}，峰度 ${f1(all.kurtosis)}）。`,
    );
    out.push(
      `纤维化范围 ${f1(all.fibrosisPct)}%（网状 ${f1(all.classPct.reticular)}%，蜂窝 ${f1(all.classPct.honeycombing)}%）：${SEVERITY_ZH[sev]}（<${t.minimalBelowPct}% 轻微，${t.minimalBelowPct}–${t.extensiveAbovePct}% 局限，>${t.extensiveAbovePct}% 广泛）。`,
    );
    out.push(
      `高衰减区 HAA ${f1(all.haaPct)}%（[−600, −250] HU；健康不吸烟者中位数约 4%），低衰减区 LAA-950 ${f1(all.laa950Pct)}%，磨玻璃 ${f1(all.classPct.ground_glass)}%。`,
    );
    if (worst)
      out.push(`受累最重区域：${REGION_ZH[worst.key] ?? worst.name}（纤维化 ${f1(worst.fibrosisPct)}%）。`);
    if (extra.changes) {
      const a = extra.changes.find((c) => c.key === 'lungs');
      if (a)
        out.push(
          `与既往检查相比：纤维化范围变化 ${a.deltaPct >= 0 ? '+' : ''}${f1(a.deltaPct)} 个百分点（最小临床重要差异 ${extra.mcidPct} 个百分点）：${a.verdict === 'progression' ? '进展' : a.verdict === 'improvement' ? '改善' : '稳定'}。`,
        );
      const prog = extra.changes.filter((c) => c.key.includes('_') && c.verdict === 'progression');
      if (prog.length)
        out.push(`进展区域：${prog.map((c) => `${REGION_ZH[c.key]} +${f1(c.deltaPct)}`).join('，')}。`);
    }
    if (extra.warnings.length) out.push(`注意：${extra.warnings.length} 项采集/质控警告，数值需谨慎解读。`);
  } else {
    out.push(
      `Lung volume: right ${f0(right.volumeMl)} ml, left ${f0(left.volumeMl)} ml; mean lung density ${f0(all.mld)} HU (skewness ${f1(all.skewness)}, kurtosis ${f1(all.kurtosis)}).`,
    );
    out.push(
      `Fibrosis extent ${f1(all.fibrosisPct)} % (reticular ${f1(all.classPct.reticular)} %, honeycombing ${f1(all.classPct.honeycombing)} %): ${sev} (< ${t.minimalBelowPct} % minimal, ${t.minimalBelowPct}–${t.extensiveAbovePct} % limited, > ${t.extensiveAbovePct} % extensive).`,
    );
    out.push(
      `High-attenuation area ${f1(all.haaPct)} % ([−600, −250] HU; healthy never-smokers median about 4 %), LAA-950 ${f1(all.laa950Pct)} %, ground glass ${f1(all.classPct.ground_glass)} %.`,
    );
    if (worst)
      out.push(`Most affected zone: ${worst.name.toLowerCase()} (fibrosis ${f1(worst.fibrosisPct)} %).`);
    if (extra.changes) {
      const a = extra.changes.find((c) => c.key === 'lungs');
      if (a)
        out.push(
          `Since the prior CT: fibrosis extent ${a.deltaPct >= 0 ? '+' : ''}${f1(a.deltaPct)} percentage points (MCID ${extra.mcidPct} points): ${a.verdict}.`,
        );
      const prog = extra.changes.filter((c) => c.key.includes('_') && c.verdict === 'progression');
      if (prog.length)
        out.push(
          `Progression in: ${prog.map((c) => `${c.name.toLowerCase()} +${f1(c.deltaPct)}`).join(', ')}.`,
        );
    }
    if (extra.warnings.length)
      out.push(
        `Caution: ${extra.warnings.length} acquisition/QC warning(s); interpret the numbers with care.`,
      );
  }
  return out;
}
