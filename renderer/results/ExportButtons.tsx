import { useState } from 'react';
import {
  EXPORT_KINDS,
  exportFiles,
  exportUnavailable,
  type ExportContext,
  type ExportKind,
} from '../../core/common/results/export-files';
import { useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import { downloadFile } from './download';

const LABELS: Record<ExportKind, StringKey> = {
  seg: 'results.export.seg',
  sr: 'results.export.sr',
  pm: 'results.export.pm',
  json: 'results.export.json',
  csv: 'results.export.csv',
  bids: 'results.export.bids',
};

/** Export buttons (SEG, SR, Parametric Map, JSON, CSV, BIDS NIfTI). Unavailable formats are disabled with the reason as title. */
export function ExportButtons({
  context,
  save = downloadFile,
}: {
  context: ExportContext;
  save?: typeof downloadFile;
}) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  return (
    <div
      className="export-buttons"
      role="group"
      aria-label={t('results.export')}
      data-testid="export-buttons"
    >
      {EXPORT_KINDS.map((kind) => {
        const why = exportUnavailable(kind, context);
        return (
          <button
            key={kind}
            type="button"
            data-kind={kind}
            disabled={why !== null}
            title={why ?? undefined}
            onClick={() => {
              try {
                for (const f of exportFiles(kind, context)) save(f.filename, f.mime, f.data);
                setError(null);
              } catch (e) {
                setError(t('results.export.failed', { reason: (e as Error).message }));
              }
            }}
          >
            {t(LABELS[kind])}
          </button>
        );
      })}
      {error && (
        <p role="alert" className="export-error">
          {error}
        </p>
      )}
    </div>
  );
}
