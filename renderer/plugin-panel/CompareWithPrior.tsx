/**
 * "Compare with prior" for a follow-up result (a run with a `prior` role): a 1×2 layout with the current series on the
 * left (where the result's change map is fused) and the prior on the right, slice position and W/L synchronised by the
 * viewer's synchronisers. When the result carries the registration of the prior onto the current series (SDK 0.1.1
 * `registrations`), the viewer store relates the two series by its matrix and slices follow through it (the same
 * anatomy, whatever the table positions); without one they follow by patient position. The per-zone Δ table stays in
 * the results panel below.
 */
import { useState } from 'react';
import type { SeriesRegistration } from '@qiview/sdk';
import { useT } from '../i18n/i18n';
import type { OpenableSeries } from '../state/openable-series';
import { useViewerStore } from '../state/viewer-store';
import { openableOf } from '../study-browser/browser-actions';
import type { PluginRun } from './plugin-run-store';
import { priorRegistration } from './prior-registration';

const LIBRARY = 'library:';

/**
 * Puts `current` (an open series key) in the left cell and `prior` in the right cell of a 1×2 layout, sync on. With
 * `registration` (current → prior, [A | b]: prior = A·x + b), the two series are related by it in the viewer store,
 * so their slices follow through the registration.
 */
export function showSideBySide(
  currentKey: string,
  prior: OpenableSeries,
  registration?: Pick<SeriesRegistration, 'matrix' | 'method'>,
): void {
  const v = useViewerStore.getState();
  const current = v.series[currentKey];
  if (!current) throw new Error('the current series is no longer open');
  if (prior.key === currentKey) throw new Error('the prior is the current series');
  v.setViewMode('stack');
  v.setLayout('1x2');
  useViewerStore.getState().openSeries(current, 0);
  useViewerStore.getState().openSeries(prior, 1);
  // set after the cells hold both series (opening a series drops relations of series no longer shown)
  if (registration)
    useViewerStore.getState().setRelation({
      fixedKey: currentKey,
      movingKey: prior.key,
      matrix: registration.matrix,
      method: registration.method,
    });
  useViewerStore.getState().setSyncEnabled(true);
  // the current series stays the active one (plugin inputs, MPR)
  useViewerStore.getState().setActiveCell(0);
}

/** The prior's viewer series: the open one, else opened from the study browser's library. */
async function priorSeries(key: string): Promise<OpenableSeries> {
  const open = useViewerStore.getState().series[key];
  if (open) return open;
  return openableOf(key.startsWith(LIBRARY) ? key.slice(LIBRARY.length) : key);
}

/** The button, shown for a finished run that had a prior. */
export function CompareWithPrior({ run }: { run: PluginRun }) {
  const t = useT();
  const [error, setError] = useState<string>();
  const priorKey = run.roles.prior;
  const currentKey = run.seriesKey;
  if (!priorKey || !currentKey || run.phase !== 'done') return null;
  const onClick = async () => {
    setError(undefined);
    try {
      showSideBySide(currentKey, await priorSeries(priorKey), priorRegistration(run));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <div className="plugin-compare">
      <button type="button" data-testid="results-compare-prior" onClick={() => void onClick()}>
        {t('plugins.compare')}
      </button>
      {error && (
        <p className="plugin-error" role="alert" data-testid="results-compare-error">
          {t('plugins.compareFailed', { message: error })}
        </p>
      )}
    </div>
  );
}
