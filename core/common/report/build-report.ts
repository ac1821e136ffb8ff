/**
 * Builds the one-page report model of an analysis result (issues #5 pCASL and #6 lung fibrosis: "key images,
 * values, QC, every parameter with provenance"). Pure: no DOM, no Node; the renderer draws it and prints it.
 *
 * @packageDocumentation
 */
import type { AnalysisResult, Measurement } from '@qiview/sdk';
import type { ResultProvenance } from '../results/provenance';
import { formatParameterValue, formatReportNumber, formatStudyDate } from './format-report-value';
import type {
  KeyImageSource,
  ReportKeyImage,
  ReportMeasurementRow,
  ReportModel,
  ReportPatient,
  ReportStudy,
} from './report-model';
import { selectKeyMeasurements } from './select-key-measurements';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  patient?: ReportPatient;
  study?: ReportStudy;
  /** 'en' or 'zh-CN': number formatting (labels are translated by the renderer). */
  locale: string;
  /** Plugin display name (manifest name); the plugin id otherwise. */
  pluginName?: string;
  /** Key measurement keys in display order (overrides the built-in choice). */
  keyMeasurementKeys?: string[];
  /** Input roles the caller can draw (volumes it has), in addition to those named in the provenance. */
  inputRoles?: string[];
  /** Time the report is built (tests); now otherwise. */
  now?: Date;
}

function measurementRow(m: Measurement, locale: string): ReportMeasurementRow {
  let display = formatReportNumber(m.value, locale);
  if (m.uncertainty !== undefined && Number.isFinite(m.uncertainty) && Number.isFinite(m.value))
    display += ` ± ${formatReportNumber(m.uncertainty, locale)}`;
  const row: ReportMeasurementRow = {
    key: m.key,
    name: m.name,
    value: m.value,
    display,
    unit: m.unit === '1' ? '' : m.unit,
  };
  if (m.region) row.region = m.region.name;
  if (m.derivation) row.derivation = m.derivation.meaning;
  return row;
}

function resolveKeyImage(
  source: string,
  result: AnalysisResult,
  roles: Set<string>,
  provenance: ResultProvenance | undefined,
): KeyImageSource {
  const map = result.maps.find((m) => m.id === source);
  if (map) {
    const out: KeyImageSource = { kind: 'map', mapId: map.id, colormap: map.display?.colormap ?? 'gray' };
    if (map.display?.range) out.range = map.display.range;
    return out;
  }
  if (roles.has(source)) {
    const uid = provenance?.inputSeries[source];
    const onSeries = result.labelmaps.filter((l) => uid !== undefined && l.referencedSeriesUid === uid);
    const overlay = (onSeries.length ? onSeries : result.labelmaps).at(-1);
    return overlay
      ? { kind: 'series', role: source, overlayLabelmapId: overlay.id }
      : { kind: 'series', role: source };
  }
  return { kind: 'missing' };
}

/**
 * The report model of `result`: header (patient, study, plugin and model versions, analysis and report dates),
 * findings, key measurements with units (see {@link selectKeyMeasurements}), QC verdict with reasons and metrics,
 * every parameter with value/unit/source/detail, the plots' data and the key images resolved to a map or an input
 * series (with the labelmap to overlay).
 */
export function buildReport(
  result: AnalysisResult,
  provenance: ResultProvenance | undefined,
  options: BuildReportOptions,
): ReportModel {
  const { locale } = options;
  const generatedAt = (options.now ?? new Date()).toISOString();
  const study = { ...(options.study ?? {}) };
  const header: ReportModel['header'] = {
    patient: { ...(options.patient ?? {}) },
    study,
    pluginId: provenance?.pluginId ?? 'unknown',
    pluginVersion: provenance?.pluginVersion ?? '',
    pluginName: options.pluginName ?? provenance?.pluginId ?? 'unknown',
    models: (provenance?.models ?? []).map((m) => {
      const out: ReportModel['header']['models'][number] = { id: m.id, sha256Prefix: m.sha256.slice(0, 12) };
      if (m.version) out.version = m.version;
      return out;
    }),
    sdkVersion: provenance?.sdkVersion ?? '',
    analysedAt: provenance?.timestamp ?? generatedAt,
    generatedAt,
    inputSeries: { ...(provenance?.inputSeries ?? {}) },
  };
  if (study.date) header.studyDate = formatStudyDate(study.date);
  if (provenance?.host) header.host = provenance.host;

  const key = selectKeyMeasurements(result.measurements, {
    pluginId: provenance?.pluginId,
    qc: result.qc,
    keys: options.keyMeasurementKeys,
  });
  const qc: ReportModel['qc'] = result.qc
    ? {
        status: result.qc.status,
        reasons: [...result.qc.reasons],
        metrics: Object.entries(result.qc.metrics ?? {}).map(([k, v]) => ({
          key: k,
          value: v,
          display: formatReportNumber(v, locale),
        })),
      }
    : { status: 'none', reasons: [], metrics: [] };

  const roles = new Set([...Object.keys(provenance?.inputSeries ?? {}), ...(options.inputRoles ?? [])]);
  const keyImages: ReportKeyImage[] = (result.keyImages ?? []).map((k) => ({
    ...k,
    resolved: resolveKeyImage(k.source, result, roles, provenance),
  }));

  return {
    locale,
    header,
    findings: [...result.findings],
    keyMeasurements: key.map((m) => measurementRow(m, locale)),
    omittedMeasurements: result.measurements.length - key.length,
    qc,
    parameters: (result.parameters ?? []).map((p) => ({
      key: p.key,
      name: p.name,
      value: formatParameterValue(p.value, locale),
      unit: p.unit ?? '',
      source: p.source,
      detail: p.detail ?? '',
    })),
    plots: (result.plots ?? []).map((p) => ({
      ...p,
      x: [...p.x],
      series: p.series.map((s) => ({ ...s, y: [...s.y] })),
    })),
    keyImages,
  };
}
