import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { QiviewApi } from '../../electron/common/api';
import { translate } from '../i18n/i18n';
import { createPluginAdmin } from './plugin-admin';
import { PluginsSection } from './PluginsSection';

const rec = {
  id: 'org.acme.lung',
  version: '2.1.0',
  publisher: 'Acme Imaging',
  keyId: '0123456789abcdef',
  trust: 'trusted' as const,
  enabled: true,
  installedAt: '2026-11-25T00:00:00Z',
};

describe('plugin admin', () => {
  it('maps bridge results and turns refusals into errors with the reason', async () => {
    const api = {
      listPlugins: async () => ({ ok: true, value: { plugins: [rec] } }),
      installPlugin: async () => ({
        ok: false,
        error: { code: 'REFUSED', message: 'untrusted-key: signed by an unknown publisher key' },
      }),
      setPluginEnabled: async () => ({ ok: true, value: { plugins: [{ ...rec, enabled: false }] } }),
      removePlugin: async () => ({ ok: true, value: { plugins: [] } }),
    } as unknown as QiviewApi;
    const admin = createPluginAdmin(api);
    expect(await admin.list()).toEqual([rec]);
    await expect(admin.install('/p.qvp', false)).rejects.toThrow(/untrusted-key/);
    expect((await admin.setEnabled(rec.id, false))[0]!.enabled).toBe(false);
    expect(await admin.remove(rec.id)).toEqual([]);
  });

  it('explains that web mode has only built-in plugins, in both languages', () => {
    expect(renderToStaticMarkup(<PluginsSection admin={null} />)).toContain('needs the desktop app');
    expect(translate('zh-CN', 'pluginAdmin.webOnly')).toContain('需要桌面版');
  });
});
