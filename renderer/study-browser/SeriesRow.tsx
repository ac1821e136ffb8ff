/** One series in the browser: thumbnail, modality, number, description, image count, warnings. Double-click opens. */
import { useEffect, useState } from 'react';
import type { SeriesRecord } from '@qiview/core/common/dicom/records';
import { useT } from '../i18n/i18n';
import { openableOf, openInViewer } from './browser-actions';
import { thumbnailOf } from './thumbnail';
import { warningKey } from './translate-warning';

export function SeriesRow({ series, available }: { series: SeriesRecord; available: boolean }) {
  const t = useT();
  const [thumb, setThumb] = useState('');
  useEffect(() => {
    if (!available) return;
    let live = true;
    openableOf(series.seriesInstanceUid)
      .then(thumbnailOf)
      .then((url) => live && setThumb(url))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [series.seriesInstanceUid, available]);
  return (
    <li
      className="browser-series"
      data-testid="browser-series"
      data-series-uid={series.seriesInstanceUid}
      tabIndex={0}
      title={t('browser.series.openHint')}
      onDoubleClick={() => void openInViewer(series.seriesInstanceUid)}
      onKeyDown={(e) => e.key === 'Enter' && void openInViewer(series.seriesInstanceUid)}
    >
      {thumb ? (
        <img
          className="browser-thumb"
          data-testid="browser-thumb"
          src={thumb}
          alt=""
          width={64}
          height={64}
        />
      ) : (
        <span className="browser-thumb browser-thumb-empty" />
      )}
      <span className="browser-series-text">
        <strong>{series.modality}</strong>{' '}
        {series.seriesNumber !== undefined ? `#${series.seriesNumber} ` : ''}
        {series.seriesDescription ?? t('browser.series.noDescription')}
        <br />
        <span data-testid="browser-image-count">{t('browser.series.images', { n: series.imageCount })}</span>
        {series.warnings.map((w) => {
          const key = warningKey(w);
          return (
            <span
              key={w}
              className="browser-warning"
              role="note"
              title={w}
              data-testid="browser-series-warning"
            >
              {' '}
              ⚠ {key ? t(key) : w}
            </span>
          );
        })}
      </span>
    </li>
  );
}
