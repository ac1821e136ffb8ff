/**
 * "Compare with prior" for a follow-up result (a run with a `prior` role): a 1×2 layout with the current series on the
 * left (where the result's change map is fused) and the prior on the right, slice position and W/L synchronised by the
 * viewer's synchronisers (both open at their middle slice; slices follow by patient position when the two series share
 * a frame of reference or have none, as Cornerstone 5.x pairs no different ones). The per-zone Δ table stays in the results panel below.
 */
import { useState } from 'react';
import { useT } from '../i18n/i18n';
import type { OpenableSeries } from '../state/openable-series';
import { useViewerStore } from '../state/viewer-store';
import { openableOf } from '../study-browser/browser-actions';
import type { PluginRun } from './plugin-run-store';

const LIBRARY = 'library:';

/** Puts `current` (an open series key) in the left cell and `prior` in the right cell of a 1×2 layout, sync on. */
export function showSideBySide(currentKey: string, prior: OpenableSeries): void {
  const v = useViewerStore.getState();
  const current = v.series[currentKey];
  if (!current) throw new Error('the current series is no longer open');
  v.setViewMode('stack');
  v.setLayout('1x2');
  useViewerStore.getState().openSeries(current, 0);
  useViewerStore.getState().openSeries(prior, 1);
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
      showSideBySide(currentKey, await priorSeries(priorKey));
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
