/** Settings section listing installed plugins with publisher, version, signing key and trust; enable/disable/remove. */
import { useEffect, useState } from 'react';
import type { InstalledPluginSummary } from '../../electron/common/api';
import { useT } from '../i18n/i18n';
import { pluginAdmin, type PluginAdmin } from './plugin-admin';

export function PluginsSection({ admin = pluginAdmin() }: { admin?: PluginAdmin | null }) {
  const t = useT();
  const [plugins, setPlugins] = useState<InstalledPluginSummary[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [trustKey, setTrustKey] = useState(false);
  useEffect(() => {
    if (admin) admin.list().then(setPlugins, (e: Error) => setMessage(e.message));
  }, [admin]);
  if (!admin) {
    return (
      <section data-testid="plugin-admin">
        <h3>{t('pluginAdmin.title')}</h3>
        <p>{t('pluginAdmin.webOnly')}</p>
      </section>
    );
  }
  const act = (p: Promise<InstalledPluginSummary[]>) =>
    p.then(
      (list) => {
        setPlugins(list);
        setMessage(null);
      },
      (e: Error) => setMessage(e.message),
    );
  const install = async () => {
    try {
      const rec = await admin.install(path.trim(), trustKey);
      setMessage(t('pluginAdmin.installed', { id: rec.id, version: rec.version }));
      setPlugins(await admin.list());
      setPath('');
      setTrustKey(false);
    } catch (e) {
      setMessage(t('pluginAdmin.refused', { message: (e as Error).message }));
    }
  };
  return (
    <section data-testid="plugin-admin">
      <h3>{t('pluginAdmin.title')}</h3>
      {plugins.length === 0 ? (
        <p>{t('pluginAdmin.none')}</p>
      ) : (
        <table className="plugin-admin-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('pluginAdmin.version')}</th>
              <th>{t('pluginAdmin.publisher')}</th>
              <th>{t('pluginAdmin.key')}</th>
              <th>{t('pluginAdmin.trust')}</th>
              <th>{t('pluginAdmin.state')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {plugins.map((p) => (
              <tr key={p.id} data-testid={`plugin-row-${p.id}`}>
                <td>{p.id}</td>
                <td>{p.version}</td>
                <td>{p.publisher}</td>
                <td>
                  <code>{p.keyId}</code>
                </td>
                <td>{t(`pluginAdmin.trust.${p.trust}`)}</td>
                <td>{t(p.enabled ? 'pluginAdmin.enabled' : 'pluginAdmin.disabled')}</td>
                <td>
                  <button type="button" onClick={() => void act(admin.setEnabled(p.id, !p.enabled))}>
                    {t(p.enabled ? 'pluginAdmin.disable' : 'pluginAdmin.enable')}
                  </button>{' '}
                  <button
                    type="button"
                    onClick={() => {
                      if (globalThis.confirm?.(t('pluginAdmin.confirmRemove', { id: p.id })) ?? true) {
                        void act(admin.remove(p.id));
                      }
                    }}
                  >
                    {t('pluginAdmin.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <input
        aria-label={t('pluginAdmin.installPath')}
        placeholder={t('pluginAdmin.installPath')}
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <label>
        <input type="checkbox" checked={trustKey} onChange={(e) => setTrustKey(e.target.checked)} />{' '}
        {t('pluginAdmin.trustKey')}
      </label>{' '}
      <button type="button" disabled={!path.trim()} onClick={() => void install()}>
        {t('pluginAdmin.install')}
      </button>
      {message && <p role="status">{message}</p>}
    </section>
  );
}
