/** The left panel: tabs for local studies, PACS (DICOMweb) and settings. Mount as `<App left={<BrowserPanel />} />`. */
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { PacsPanel } from '../pacs/PacsPanel';
import { SettingsPanel } from '../settings/SettingsPanel';
import { useSettings } from '../settings/settings-store';
import { StudyBrowser } from './StudyBrowser';
import './study-browser.css';

type Tab = 'local' | 'pacs' | 'settings';

export function BrowserPanel() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('local');
  useEffect(() => {
    void useSettings.getState().load();
  }, []);
  return (
    <div className="browser-panel">
      <div className="browser-tabs" role="tablist">
        {(['local', 'pacs', 'settings'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            data-testid={`browser-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {t(`browser.tab.${k}`)}
          </button>
        ))}
      </div>
      <div hidden={tab !== 'local'}>
        <StudyBrowser />
      </div>
      {tab === 'pacs' && <PacsPanel />}
      {tab === 'settings' && <SettingsPanel />}
    </div>
  );
}
