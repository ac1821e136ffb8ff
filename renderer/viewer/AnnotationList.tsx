/** The measurement list: each row shows its statistics, jumps to its slice, deletes; export as JSON or CSV. */
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';
import {
  measurementRows,
  jumpToMeasurement,
  deleteMeasurement,
  measurementsToCsv,
  onMeasurementsChanged,
  type MeasurementRow,
} from './annotations';

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const fmt = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? '' : v.toFixed(d));

export function AnnotationList() {
  const t = useT();
  const [rows, setRows] = useState<MeasurementRow[]>([]);
  useEffect(() => {
    let timer = 0;
    const refresh = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => setRows(measurementRows()), 50);
    };
    const off = onMeasurementsChanged(refresh);
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
  return (
    <section className="annotations" data-testid="annotation-list">
      <h3>{t('viewer.annotations')}</h3>
      {rows.length === 0 && <p className="panel-empty">{t('viewer.annotations.none')}</p>}
      <ul>
        {rows.map((r) => (
          <li
            key={r.uid}
            data-testid="annotation-row"
            data-tool={r.tool}
            data-mean={r.mean ?? ''}
            data-sd={r.stdDev ?? ''}
          >
            <div className="ann-title">{t(`viewer.tool.${r.tool.replace('Tool', '')}` as StringKey)}</div>
            <div className="ann-stats">
              {r.mean !== undefined && (
                <span>
                  {t('viewer.stats.mean')} {fmt(r.mean)} {r.unit ?? ''} · {t('viewer.stats.sd')}{' '}
                  {fmt(r.stdDev)} · {t('viewer.stats.min')} {fmt(r.min)} · {t('viewer.stats.max')}{' '}
                  {fmt(r.max)} · {t('viewer.stats.area')} {fmt(r.area)} {r.areaUnit ?? ''}
                </span>
              )}
              {r.length !== undefined && (
                <span>
                  {t('viewer.stats.length')} {fmt(r.length)} mm
                </span>
              )}
              {r.angle !== undefined && (
                <span>
                  {t('viewer.stats.angle')} {fmt(r.angle)}°
                </span>
              )}
              {r.value !== undefined && r.mean === undefined && (
                <span>
                  {t('viewer.stats.value')} {fmt(r.value)} {r.unit ?? ''}
                </span>
              )}
            </div>
            <button onClick={() => jumpToMeasurement(r.uid)}>{t('viewer.annotations.jump')}</button>
            <button onClick={() => deleteMeasurement(r.uid)}>{t('viewer.annotations.delete')}</button>
          </li>
        ))}
      </ul>
      {rows.length > 0 && (
        <div className="ann-export">
          <button
            onClick={() => download('measurements.json', JSON.stringify(rows, null, 2), 'application/json')}
          >
            {t('viewer.annotations.exportJson')}
          </button>
          <button onClick={() => download('measurements.csv', measurementsToCsv(rows), 'text/csv')}>
            {t('viewer.annotations.exportCsv')}
          </button>
        </div>
      )}
    </section>
  );
}
