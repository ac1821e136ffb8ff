/**
 * Which of a follow-up result's registrations (SDK 0.1.1 `AnalysisResult.registrations`) relates the run's prior
 * series to the series its overlays are on, for "Compare with prior".
 */
import type { SeriesRegistration } from '@qiview/sdk';
import type { PluginRun } from './plugin-run-store';

/**
 * The registration whose moving role is the run's `prior` series and whose fixed role is the run's current series
 * (`run.seriesKey`), both looked up through the run's role → series key map; undefined when the result has none (a
 * plugin built against SDK 0.1.0, or a run whose registration gave no matrix): the viewer then syncs by patient
 * position.
 */
export function priorRegistration(
  run: Pick<PluginRun, 'roles' | 'seriesKey' | 'result'>,
): SeriesRegistration | undefined {
  const prior = run.roles.prior;
  if (!prior || !run.seriesKey) return undefined;
  return run.result?.registrations?.find(
    (r) =>
      r.movingRole !== r.fixedRole &&
      run.roles[r.movingRole] === prior &&
      run.roles[r.fixedRole] === run.seriesKey,
  );
}
