/** Top toolbar: open files, layout, view mode, tools, window presets, 3D preset, slab, sync, cine, language, help. */
import type { ChangeEvent } from 'react';
import {
  useViewerStore,
  LAYOUTS,
  VIEW_MODES,
  TOOLS,
  RENDER_PRESETS,
  type Layout,
  type ViewMode,
  type RenderPreset,
} from '../state/viewer-store';
import { useLocale, useT, LOCALES, type Locale } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { WINDOW_PRESETS } from './window-presets';
import { openLocalFiles } from './open-local-files';
import { openResultFiles, splitResultFiles } from '../results/open-result-files';
import { useOpenFiles } from './open-files-store';
import { importNiftiFromToolbar } from '../plugin-panel/open-bids-files';

/** Open files through the minimal local path and show the first series (also used by the test hook). */
export async function openFilesIntoViewer(files: File[]): Promise<void> {
  useOpenFiles.getState().set({ busy: true });
  performance.mark('qiview:open-start');
  try {
    // saved results (SEG, SR, parametric map, result JSON) go onto the series they refer to, after any images
    // NIfTI (with any BIDS sidecar/tables) goes through the study browser's import; the rest takes the DICOM path
    const { results, rest } = await splitResultFiles(await importNiftiFromToolbar(files), (f) => f);
    if (rest.length > 0 || results.length === 0) {
      const { series, problems } = await openLocalFiles(rest);
      useOpenFiles.getState().set({ problems });
      const biggest = series.slice().sort((a, b) => b.imageIds.length - a.imageIds.length)[0];
      if (biggest) useViewerStore.getState().openSeries(biggest);
    }
    if (results.length > 0) await openResultFiles(results);
  } finally {
    useOpenFiles.getState().set({ busy: false });
  }
}

export function Toolbar() {
  const t = useT();
  const s = useViewerStore();
  const locale = useLocale((x) => x.locale);
  const setLocale = useLocale((x) => x.setLocale);
  const busy = useOpenFiles((x) => x.busy);
  const onFiles = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (files.length) void openFilesIntoViewer(files);
  };
  return (
    <header className="toolbar" data-testid="toolbar">
      <strong className="brand">{t('app.title')}</strong>
      <label className="btn">
        {busy ? t('viewer.opening') : t('viewer.open')}
        <input type="file" multiple hidden data-testid="open-files" onChange={onFiles} />
      </label>
      <label className="btn">
        {t('viewer.openFolder')}
        <input
          type="file"
          multiple
          hidden
          data-testid="open-folder"
          onChange={onFiles}
          ref={(el) => {
            if (el) el.setAttribute('webkitdirectory', '');
          }}
        />
      </label>
      <label>
        {t('viewer.layout')}{' '}
        <select data-testid="layout" value={s.layout} onChange={(e) => s.setLayout(e.target.value as Layout)}>
          {LAYOUTS.map((l) => (
            <option key={l} value={l}>
              {l.replace('x', '×')}
            </option>
          ))}
        </select>
      </label>
      <span className="group" role="group" aria-label={t('viewer.mode')}>
        {VIEW_MODES.map((m: ViewMode) => (
          <button
            key={m}
            data-testid={`mode-${m}`}
            aria-pressed={s.viewMode === m}
            onClick={() => s.setViewMode(m)}
          >
            {t(`viewer.mode.${m}` as StringKey)}
          </button>
        ))}
      </span>
      <label>
        {t('viewer.tool')}{' '}
        <select
          data-testid="tool"
          value={s.activeTool}
          onChange={(e) => s.setActiveTool(e.target.value as never)}
        >
          {TOOLS.map((tool) => (
            <option key={tool} value={tool}>
              {t(`viewer.tool.${tool}` as StringKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('viewer.window')}{' '}
        <select
          data-testid="window-preset"
          value={s.windowPreset}
          onChange={(e) => s.setWindowPreset(e.target.value)}
        >
          <option value="auto">{t('viewer.window.auto')}</option>
          {WINDOW_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {t(`viewer.window.${p.id}` as StringKey)} ({p.width}/{p.center})
            </option>
          ))}
        </select>
      </label>
      {s.viewMode === '3d' && (
        <label>
          {t('viewer.render3d')}{' '}
          <select value={s.renderPreset} onChange={(e) => s.setRenderPreset(e.target.value as RenderPreset)}>
            {RENDER_PRESETS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      )}
      {s.viewMode === 'mip' && (
        <label>
          {t('viewer.slab')}{' '}
          <input
            type="number"
            min={1}
            max={500}
            value={s.slabThicknessMm}
            style={{ width: '4em' }}
            onChange={(e) => s.setSlabThickness(Number(e.target.value))}
          />
        </label>
      )}
      <label>
        <input type="checkbox" checked={s.syncEnabled} onChange={(e) => s.setSyncEnabled(e.target.checked)} />
        {t('viewer.sync')}
      </label>
      <button aria-pressed={s.cinePlaying} onClick={() => s.setCine(!s.cinePlaying)}>
        {t('viewer.cine')}
      </button>
      <label>
        <input type="checkbox" checked={s.patientTextVisible} onChange={() => s.togglePatientText()} />
        {t('viewer.patientText')}
      </label>
      <span className="spacer" />
      <label>
        {t('app.language')}{' '}
        <select data-testid="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {l === 'en' ? 'English' : '简体中文'}
            </option>
          ))}
        </select>
      </label>
      <button data-testid="help" onClick={() => s.setHelpOpen(!s.helpOpen)}>
        {t('app.help')} (?)
      </button>
    </header>
  );
}
