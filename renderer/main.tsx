import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BrowserPanel } from './study-browser/BrowserPanel';
import { PluginPanel } from './plugin-panel/PluginPanel';
import { ReportView } from './report/ReportView';
import { installReportTestHooks } from './report/report-test-hooks';
import { useLocale } from './i18n/i18n';
import './app.css';

document.documentElement.lang = useLocale.getState().locale;
installReportTestHooks();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App left={<BrowserPanel />} right={<PluginPanel />} />
    <ReportView />
  </StrictMode>,
);
