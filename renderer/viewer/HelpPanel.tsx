import { useViewerStore } from '../state/viewer-store';
import { useT } from '../i18n/i18n';
import { SHORTCUTS } from './shortcuts';

/** Keyboard shortcut help (press ?), generated from the shortcut table. */
export function HelpPanel() {
  const t = useT();
  const open = useViewerStore((s) => s.helpOpen);
  const setOpen = useViewerStore((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => setOpen(false)}>
      <div
        className="help-panel"
        role="dialog"
        aria-label={t('viewer.help.title')}
        data-testid="help-panel"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>{t('viewer.help.title')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('viewer.help.key')}</th>
              <th>{t('viewer.help.action')}</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.label}>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k === ' ' ? 'Space' : k}</kbd>
                  ))}
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button onClick={() => setOpen(false)}>{t('app.close')}</button>
      </div>
    </div>
  );
}
