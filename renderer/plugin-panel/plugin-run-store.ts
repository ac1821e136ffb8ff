/**
 * The plugin panel's state (zustand): the catalogue, the selected plugin, its parameter values, and the one run in
 * progress or finished. {@link startRun} builds the `AnalysisInput` from the open series, runs the plugin in a
 * module Web Worker (core/browser/plugin-host) and keeps the outcome; {@link cancelRun} aborts it.
 */
import { create } from 'zustand';
import type { AnalysisInput, AnalysisResult } from '@qiview/sdk';
import { BROWSER_HOST_OFFERS, runPlugin } from '@qiview/core/browser/plugin-host';
import type { FailureReason } from '@qiview/core/common/plugin-host/run-plugin';
import { resolveParameters } from '@qiview/core/common/plugin-host/parameters';
import { selectSeries, type SeriesSelection } from '@qiview/core/common/plugin-host/select-series';
import { provenanceFromManifest, type ResultProvenance } from '@qiview/core/common/results/provenance';
import { useLocale } from '../i18n/i18n';
import { storeRun } from '../results/results-history';
import { useViewerStore } from '../state/viewer-store';
import { loadCatalogue, type Catalogue, type CatalogueEntry } from './catalogue';
import { adoptSidecar } from '@qiview/core/common/plugin-host/bids-nifti';
import {
  bidsOf,
  candidateOf,
  librarySiblings,
  priorFor,
  seriesAttributes,
  seriesForKey,
  volumeOf,
} from './series-inputs';

/** A run of one plugin. */
export interface PluginRun {
  id: number;
  pluginId: string;
  /** Viewer series key by manifest role. */
  roles: Record<string, string>;
  phase: 'loading' | 'running' | 'done' | 'failed';
  /** 0..1. */
  progress: number;
  stage?: string;
  result?: AnalysisResult;
  provenance?: ResultProvenance;
  /** Failure: the host's reason ('cancelled', 'timeout', 'error', 'invalid-result', …) or 'input'. */
  reason?: FailureReason | 'input';
  message?: string;
  durationMs?: number;
  /** Series key the result's overlays go on (the first role's series). */
  seriesKey?: string;
  /** A result shown without running: re-opened from the results history, or read from result files. */
  origin?: { kind: 'history'; resultId: string; createdAt: string } | { kind: 'files'; names: string[] };
  /** Why overlays are not shown (the result's series is not open). */
  notice?: string;
  /** Result id in the library once stored (runs) or re-opened (history). */
  resultId?: string;
}

interface PluginPanelState {
  catalogue?: Catalogue;
  catalogueError?: string;
  selectedId?: string;
  /** Form values by plugin id, by parameter key (strings as typed, booleans). */
  values: Record<string, Record<string, unknown>>;
  run?: PluginRun;
  set(p: Partial<Omit<PluginPanelState, 'set'>>): void;
}

export const usePluginPanel = create<PluginPanelState>((set) => ({
  values: {},
  set: (p) => set(p),
}));

let controller: AbortController | undefined;
let runCounter = 0;

/** Loads the catalogue once (again after a failure). */
export async function ensureCatalogue(): Promise<void> {
  const st = usePluginPanel.getState();
  if (st.catalogue) return;
  try {
    const catalogue = await loadCatalogue();
    usePluginPanel.getState().set({
      catalogue,
      catalogueError: undefined,
      selectedId: usePluginPanel.getState().selectedId ?? catalogue.entries[0]?.manifest.id,
    });
  } catch (e) {
    usePluginPanel.getState().set({ catalogueError: e instanceof Error ? e.message : String(e) });
  }
}

/** The input selection of the panel: series keys by role, plus the prior study's date when one was chosen. */
export type PanelSelection = SeriesSelection & {
  /** StudyDate (YYYYMMDD) of the prior chosen for role `prior`. */
  priorStudyDate?: string;
  /** Why no prior was chosen, for a plugin with a `prior` input. */
  priorMissing?: string;
  /** A prior was chosen but the host cannot register it (the plugin falls back to its own alignment). */
  priorWithoutRegistration?: boolean;
};

/**
 * Which series fill each input of a plugin: the open series (active first; those of another patient left out), each
 * followed by the library series of its study or BIDS set that are not open. An input of role `prior` is filled from the library only, with the newest earlier study
 * of the same patient (as `qiview batch --priors`); without one the plugin runs without prior and a note says why.
 */
export function selectionFor(entry: CatalogueEntry): PanelSelection {
  const v = useViewerStore.getState();
  const keys = Object.keys(v.series);
  const ordered = (
    v.activeSeriesKey ? [v.activeSeriesKey, ...keys.filter((k) => k !== v.activeSeriesKey)] : keys
  ).map((k) => v.series[k]);
  // the active series, then the library series of its study / BIDS set, then the other open series (so the M0 or
  // ROI of the active set wins over another open set's); series of another patient (both PatientIDs known and
  // different) never complete the active one's inputs
  const patient = ordered[0]?.patientId;
  const seen = new Set<string>();
  const candidates = ordered
    .filter((s) => !patient || !s.patientId || s.patientId === patient)
    .flatMap((s) => [s, ...librarySiblings([s], ordered)])
    .filter((s) => !seen.has(s.key) && Boolean(seen.add(s.key)))
    .map(candidateOf);
  const priorInput = entry.manifest.inputs.find((i) => i.role === 'prior');
  const inputs = entry.manifest.inputs.filter((i) => i !== priorInput);
  const sel: PanelSelection = selectSeries({ inputs }, candidates);
  if (!sel.ok || !priorInput) return sel;
  const firstRole = inputs.find((i) => sel.roles[i.role])?.role;
  const current = firstRole ? seriesForKey(sel.roles[firstRole]!, v.series) : undefined;
  if (!current) return sel;
  const prior = priorFor(current, priorInput);
  if (prior.ok) {
    sel.roles[priorInput.role] = prior.series.key;
    sel.priorStudyDate = prior.studyDate;
    sel.priorWithoutRegistration =
      entry.manifest.permissions.includes('registration') && !BROWSER_HOST_OFFERS.registration;
  } else {
    sel.priorMissing = prior.reason;
    sel.notes.push(`${priorInput.role}: ${prior.reason}`);
  }
  return sel;
}

function update(id: number, p: Partial<PluginRun>): void {
  const run = usePluginPanel.getState().run;
  if (run?.id === id) usePluginPanel.getState().set({ run: { ...run, ...p } });
}

/**
 * Runs a plugin of the catalogue on the open series with the form's parameter values. Never rejects: failures
 * (unmatched inputs, unreadable series, plugin errors, timeout, cancel, invalid result) end in phase 'failed'.
 */
export async function startRun(entry: CatalogueEntry): Promise<void> {
  controller?.abort();
  const ctl = new AbortController();
  controller = ctl;
  const id = ++runCounter;
  const { manifest } = entry;
  const st = usePluginPanel.getState();
  const fail = (reason: PluginRun['reason'], message: string) =>
    update(id, { phase: 'failed', reason, message });
  st.set({ run: { id, pluginId: manifest.id, roles: {}, phase: 'loading', progress: 0 } });

  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(st.values[manifest.id] ?? {}))
    if (v !== '' && v !== undefined) given[k] = v;
  const params = resolveParameters(manifest, given);
  if (!params.ok) return fail('input', params.errors.join('; '));
  const sel = selectionFor(entry);
  if (!sel.ok) return fail('input', sel.errors.join('; '));
  const viewer = useViewerStore.getState();
  const firstRole = manifest.inputs.find((i) => sel.roles[i.role])?.role;
  update(id, { roles: sel.roles, seriesKey: firstRole ? sel.roles[firstRole] : undefined });

  const input: AnalysisInput = { series: {}, parameters: params.parameters };
  const inputUids: Record<string, string> = {};
  try {
    for (const [role, key] of Object.entries(sel.roles)) {
      const s = seriesForKey(key, viewer.series);
      if (!s) throw new Error(`series of role ${role} is no longer available`);
      const bids = bidsOf(s);
      if (bids?.sidecarError) throw new Error(bids.sidecarError);
      let volume = await volumeOf(s, {
        signal: ctl.signal,
        onProgress: (done, total) => update(id, { stage: `${role}: ${done}/${total}` }),
      });
      if (bids?.sidecar) {
        // the cached volume stays as read: the sidecar's modality (and HU for CT) goes on the plugin's copy
        volume = { ...volume, metadata: { ...volume.metadata } };
        adoptSidecar(volume, bids.sidecar);
      }
      input.series[role] = {
        role,
        volume,
        dicom: seriesAttributes(s),
        ...(bids?.sidecar ? { sidecar: bids.sidecar } : {}),
        ...(bids?.attachments ? { attachments: bids.attachments } : {}),
      };
      inputUids[role] = s.seriesInstanceUid;
    }
  } catch (e) {
    if (ctl.signal.aborted) return fail('cancelled', 'cancelled while reading the series');
    return fail('input', e instanceof Error ? e.message : String(e));
  }
  if (ctl.signal.aborted) return fail('cancelled', 'cancelled while reading the series');

  update(id, { phase: 'running', stage: undefined });
  const outcome = await runPlugin({
    manifest,
    pluginBaseUrl: entry.baseUrl,
    runtimeUrl:
      usePluginPanel.getState().catalogue?.runtimeUrl ?? new URL('.runtime/', entry.baseUrl + '../').href,
    input,
    locale: useLocale.getState().locale,
    signal: ctl.signal,
    onProgress: (fraction, message) => update(id, { progress: fraction, stage: message }),
  });
  if (controller === ctl) controller = undefined;
  const provenance = provenanceFromManifest(manifest, inputUids, {
    host: 'qiview web',
    parameters: params.parameters,
  });
  const seriesKey = firstRole ? sel.roles[firstRole] : undefined;
  const stored = {
    provenance,
    studyInstanceUid: seriesKey ? seriesForKey(seriesKey, viewer.series)?.studyInstanceUid : undefined,
    overlaySeriesUid: firstRole ? inputUids[firstRole] : undefined,
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok) {
    update(id, {
      phase: 'failed',
      reason: outcome.reason,
      message: outcome.message,
      durationMs: outcome.durationMs,
    });
    // a finished run that failed is history too (a cancel is not a result)
    if (outcome.reason !== 'cancelled')
      void storeRun({ ...stored, status: 'failed', error: `${outcome.reason}: ${outcome.message}` }).catch(
        () => undefined,
      );
    return;
  }
  update(id, {
    phase: 'done',
    progress: 1,
    result: outcome.result,
    durationMs: outcome.durationMs,
    provenance,
  });
  // the history list shows the store error when this fails; the run's result stays on screen either way
  void storeRun({ ...stored, status: 'done', result: outcome.result }).then(
    (resultId) => update(id, { resultId }),
    () => undefined,
  );
}

/** A result shown without running the plugin (re-opened from the history or read from files). */
export interface ShownResult {
  pluginId: string;
  result: AnalysisResult;
  provenance?: ResultProvenance;
  origin: NonNullable<PluginRun['origin']>;
  /** SeriesInstanceUID the overlays go on. */
  seriesUid?: string;
  /** Why overlays are not shown, when the series is not open (set by the caller's wording). */
  notice?: string;
}

/** The viewer key of an open series by its SeriesInstanceUID. */
export function openSeriesKey(seriesUid: string | undefined): string | undefined {
  if (!seriesUid) return undefined;
  const v = useViewerStore.getState();
  if (v.series[seriesUid]?.seriesInstanceUid === seriesUid) return seriesUid;
  return Object.values(v.series).find((s) => s.seriesInstanceUid === seriesUid)?.key;
}

/**
 * Shows a result in the panel (overlays on its series when open), replacing the run shown (a run is cancelled). The
 * result's plugin is selected and its recorded parameters fill the form, so Run reproduces it.
 */
export function showResult(shown: ShownResult): void {
  controller?.abort();
  controller = undefined;
  const roles: Record<string, string> = {};
  for (const [role, uid] of Object.entries(shown.provenance?.inputSeries ?? {})) {
    const key = openSeriesKey(uid);
    if (key) roles[role] = key;
  }
  const seriesKey = openSeriesKey(shown.seriesUid);
  const st = usePluginPanel.getState();
  // the plugin and the parameters that made the result go into the form, so Run reproduces it
  const known = st.catalogue?.entries.some((e) => e.manifest.id === shown.pluginId);
  const params = shown.provenance?.pluginId === shown.pluginId ? shown.provenance.parameters : undefined;
  st.set({
    ...(known ? { selectedId: shown.pluginId } : {}),
    ...(known && params ? { values: { ...st.values, [shown.pluginId]: formValues(params) } } : {}),
    run: {
      id: ++runCounter,
      pluginId: shown.pluginId,
      roles,
      phase: 'done',
      progress: 1,
      result: shown.result,
      provenance: shown.provenance,
      seriesKey,
      origin: shown.origin,
      notice: seriesKey ? undefined : shown.notice,
      resultId: shown.origin.kind === 'history' ? shown.origin.resultId : undefined,
    },
  });
}

/** Parameter values as the form keeps them (numbers as typed text, booleans, strings). */
function formValues(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'number') out[k] = Number.isFinite(v) ? String(v) : '';
    else if (typeof v === 'boolean' || typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Cancels the run in progress (the worker is told, then terminated after a short grace). */
export function cancelRun(): void {
  controller?.abort();
}
