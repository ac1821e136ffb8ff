/**
 * The app shell: top toolbar, a left panel slot (study browser), the viewport grid, a right panel slot (results).
 * Other features mount their panels through the `left` / `right` props (or replace the defaults here).
 */
import type { ReactNode } from 'react';
import { Toolbar } from './viewer/Toolbar';
import { ViewportGrid } from './viewer/ViewportGrid';
import { HelpPanel } from './viewer/HelpPanel';
import { AnnotationList } from './viewer/AnnotationList';
import { useShortcuts } from './viewer/use-shortcuts';
import { useT } from './i18n/i18n';

export interface AppProps {
  /** Left panel content (study browser). */
  left?: ReactNode;
  /** Right panel content (results); the annotation list is always shown below it. */
  right?: ReactNode;
}

export function App({ left, right }: AppProps) {
  const t = useT();
  useShortcuts();
  return (
    <div className="app">
      <Toolbar />
      <div className="app-body">
        <aside className="panel panel-left" data-testid="panel-left" aria-label={t('viewer.panel.studies')}>
          {left ?? <p className="panel-empty">{t('viewer.panel.studiesEmpty')}</p>}
        </aside>
        <main className="viewer-area">
          <ViewportGrid />
        </main>
        <aside className="panel panel-right" data-testid="panel-right" aria-label={t('viewer.panel.results')}>
          {right}
          <AnnotationList />
        </aside>
      </div>
      <HelpPanel />
    </div>
  );
}
