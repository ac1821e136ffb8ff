/** Settings: language, DICOMweb servers (add/remove), the reader name that signs reports, viewport overlay preferences. */
import { useState } from 'react';
import { LOCALES, useLocale, useT, type Locale } from '../i18n/i18n';
import { useViewerStore } from '../state/viewer-store';
import { useSettings } from './settings-store';
import { PluginsSection } from './PluginsSection';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** A server id from its name (unique among `taken`). */
export function serverIdFor(name: string, taken: string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'server';
  let id = base;
  for (let k = 2; taken.includes(id); k++) id = `${base}-${k}`;
  return id;
}

export function SettingsPanel() {
  const t = useT();
  const locale = useLocale((s) => s.locale);
  const { settings, save, error } = useSettings();
  const overlaysVisible = useViewerStore((s) => s.overlaysVisible);
  const patientTextVisible = useViewerStore((s) => s.patientTextVisible);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const servers = settings.dicomWebServers;
  const add = async () => {
    const id = serverIdFor(
      name || url,
      servers.map((s) => s.id),
    );
    if (
      await save({ dicomWebServers: [...servers, { id, name: name.trim() || url.trim(), url: url.trim() }] })
    ) {
      setName('');
      setUrl('');
    }
  };
  return (
    <div className="settings-panel" data-testid="settings-panel">
      <label>
        {t('settings.language')}{' '}
        <select
          data-testid="settings-language"
          value={locale}
          onChange={(e) => void save({ language: e.target.value as Locale })}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <h3>{t('settings.servers')}</h3>
      <ul data-testid="settings-servers">
        {servers.map((s) => (
          <li key={s.id}>
            {s.name} — <code>{s.url}</code>{' '}
            <button
              type="button"
              onClick={() => void save({ dicomWebServers: servers.filter((x) => x.id !== s.id) })}
            >
              {t('settings.removeServer')}
            </button>
          </li>
        ))}
      </ul>
      <input
        data-testid="settings-server-name"
        placeholder={t('settings.serverName')}
        aria-label={t('settings.serverName')}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <input
        data-testid="settings-server-url"
        placeholder="http://127.0.0.1:8042/dicom-web"
        aria-label={t('settings.serverUrl')}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <button
        type="button"
        data-testid="settings-add-server"
        disabled={!url.trim()}
        onClick={() => void add()}
      >
        {t('settings.addServer')}
      </button>
      {error && (
        <p className="browser-error" role="alert">
          {t('settings.invalid', { message: error })}
        </p>
      )}
      <label>
        {t('report.settings.readerName')}{' '}
        <input
          data-testid="settings-reader-name"
          defaultValue={settings.readerName}
          key={settings.readerName}
          maxLength={200}
          onBlur={(e) => {
            if (e.target.value.trim() !== settings.readerName) void save({ readerName: e.target.value });
          }}
        />
      </label>
      <h3>{t('settings.overlays')}</h3>
      <label>
        <input
          type="checkbox"
          checked={overlaysVisible}
          onChange={(e) => useViewerStore.getState().setOverlaysVisible(e.target.checked)}
        />{' '}
        {t('settings.showOverlays')}
      </label>
      <br />
      <label>
        <input
          type="checkbox"
          checked={patientTextVisible}
          onChange={() => useViewerStore.getState().togglePatientText()}
        />{' '}
        {t('settings.showPatientText')}
      </label>
      <PluginsSection />
    </div>
  );
}
