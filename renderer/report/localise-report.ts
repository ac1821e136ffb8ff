/** Measurement and parameter names of a report model in the UI language (the plugin manifest's `strings`). */
import type { ReportModel } from '../../core/common/report/report-model';
import { measurementLabel, type ManifestStrings } from '../results/format';

/** A copy of `model` whose measurement and parameter names come from the manifest strings of `locale` when given. */
export function localiseReport(
  model: ReportModel,
  strings: ManifestStrings | undefined,
  locale: string,
): ReportModel {
  if (!strings) return model;
  // same rule as the results panel's parameter table
  const param = (key: string, name: string) => strings[locale]?.[`parameter.${key}`] ?? name;
  return {
    ...model,
    keyMeasurements: model.keyMeasurements.map((m) => ({ ...m, name: measurementLabel(m, locale, strings) })),
    parameters: model.parameters.map((p) => ({ ...p, name: param(p.key, p.name) })),
  };
}
