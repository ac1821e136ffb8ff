/**
 * The printable A4 page of a report: header (patient, study, analysis with plugin, model and SDK versions), key
 * images, findings, key measurements with units, QC with reasons and metrics, every parameter with its source,
 * the reader's comment, the signature block with the SHA-256 of the signed content, and the disclaimer. Content
 * taller than the page is scaled down to fit one page.
 */
import { useLayoutEffect, useRef, type ReactNode } from 'react';
import type { ReportDraft, SignedReport } from '../../core/common/report/signed-report';
import type { ReportModel } from '../../core/common/report/report-model';
import { useT } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';

/** An ISO time as `YYYY-MM-DD HH:MM UTC`. */
export function reportTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const QC_KEYS: Record<ReportModel['qc']['status'], StringKey> = {
  pass: 'report.qc.pass',
  warn: 'report.qc.warn',
  fail: 'report.qc.fail',
  none: 'report.qc.none',
};

function Field({ label, value, testId }: { label: string; value?: string; testId?: string }) {
  if (!value) return null;
  return (
    <div className="report-field">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** Props of {@link ReportPage}. */
export interface ReportPageProps {
  content: ReportDraft;
  /** Present when the shown content is a signed version. */
  signed?: SignedReport;
  /** Result of checking the signed content against its hash (undefined while checking). */
  verified?: boolean;
  /** True while key images are being rendered. */
  imagesLoading?: boolean;
  /** The comment editor of a draft (the comment text is shown otherwise). */
  commentEditor?: ReactNode;
}

/** One A4 page of report. */
export function ReportPage({ content, signed, verified, imagesLoading, commentEditor }: ReportPageProps) {
  const t = useT();
  const { model } = content;
  const h = model.header;
  const pageRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // scale the content down when it is taller than the page (one printed page whatever the result holds)
  useLayoutEffect(() => {
    const page = pageRef.current,
      body = bodyRef.current;
    if (!page || !body) return;
    body.style.setProperty('zoom', '1');
    const cs = getComputedStyle(page);
    const room = page.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const need = body.scrollHeight;
    if (need > room && room > 0)
      body.style.setProperty('zoom', String(Math.floor((room / need) * 1000) / 1000));
  });

  const sig = signed?.signature;
  return (
    <div className="report-page" ref={pageRef} data-testid="report-page" data-signed={sig ? 'true' : 'false'}>
      <div className="report-body" ref={bodyRef}>
        <header className="report-header">
          <h1>{t('report.title')}</h1>
          <span className="report-brand">Qiview</span>
        </header>
        <div className="report-ids">
          <dl data-testid="report-patient">
            <Field
              label={t('report.patient')}
              value={h.patient.name?.replace(/\^/g, ' ')}
              testId="report-patient-name"
            />
            <Field label={t('report.patientId')} value={h.patient.id} />
            <Field label={t('report.birthDate')} value={h.patient.birthDate} />
            <Field label={t('report.sex')} value={h.patient.sex} />
            <Field label={t('report.study')} value={h.study.description} />
            <Field label={t('report.studyDate')} value={h.studyDate} testId="report-study-date" />
            <Field label={t('report.accession')} value={h.study.accessionNumber} />
          </dl>
          <dl data-testid="report-analysis">
            <Field
              label={t('report.analysis')}
              value={`${h.pluginName === h.pluginId ? h.pluginId : `${h.pluginName} (${h.pluginId})`}, ${t('report.pluginVersion', { version: h.pluginVersion })}`}
              testId="report-plugin"
            />
            <Field
              label={t('report.models')}
              value={
                h.models.length
                  ? h.models
                      .map((m) => `${m.id}${m.version ? ' ' + m.version : ''} (sha256 ${m.sha256Prefix})`)
                      .join(', ')
                  : t('report.noModels')
              }
              testId="report-models"
            />
            <Field label={t('report.sdk')} value={h.sdkVersion} />
            <Field label={t('report.analysedAt')} value={reportTime(h.analysedAt)} />
            <Field label={t('report.generatedAt')} value={reportTime(h.generatedAt)} />
          </dl>
        </div>

        <section className="report-images" aria-label={t('report.keyImages')}>
          {content.images.map((img, i) => (
            <figure key={i} data-testid="report-key-image">
              {/* only PNG data URLs (stored content is data, never a link to follow) */}
              {img.png.startsWith('data:image/png;base64,') && (
                <img src={img.png} alt={img.caption} style={{ aspectRatio: String(img.aspect) }} />
              )}
              <figcaption>{img.caption}</figcaption>
            </figure>
          ))}
          {content.images.length === 0 && (
            <p className="report-muted">
              {imagesLoading ? t('report.keyImages.loading') : t('report.keyImages.none')}
            </p>
          )}
        </section>

        {model.findings.length > 0 && (
          <section aria-label={t('report.findings')}>
            <h2>{t('report.findings')}</h2>
            <ul className="report-findings">
              {model.findings.map((f, i) => (
                <li key={i}>{f}</li>
              ))}
            </ul>
          </section>
        )}

        <section aria-label={t('report.measurements')}>
          <h2>{t('report.measurements')}</h2>
          {model.keyMeasurements.length === 0 ? (
            <p className="report-muted">{t('report.noMeasurements')}</p>
          ) : (
            <table className="report-table" data-testid="report-measurements">
              <thead>
                <tr>
                  <th scope="col">{t('report.measurement')}</th>
                  <th scope="col">{t('report.value')}</th>
                  <th scope="col">{t('report.unit')}</th>
                  <th scope="col">{t('report.region')}</th>
                </tr>
              </thead>
              <tbody>
                {model.keyMeasurements.map((m) => (
                  <tr key={`${m.key}:${m.region ?? ''}`} data-key={m.key}>
                    <th scope="row">{m.name}</th>
                    <td className="report-num">{m.display}</td>
                    <td>{m.unit}</td>
                    <td>{m.region ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {model.omittedMeasurements > 0 && (
            <p className="report-muted">{t('report.omitted', { count: model.omittedMeasurements })}</p>
          )}
        </section>

        <section aria-label={t('report.qc')} data-testid="report-qc" data-status={model.qc.status}>
          <h2>
            {t('report.qc')}:{' '}
            <span className={`report-qc report-qc-${model.qc.status}`}>{t(QC_KEYS[model.qc.status])}</span>
          </h2>
          {model.qc.reasons.length > 0 && (
            <ul>
              {model.qc.reasons.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          )}
          {model.qc.metrics.length > 0 && (
            <p>
              {t('report.qc.metrics')}: {model.qc.metrics.map((m) => `${m.key} ${m.display}`).join(' · ')}
            </p>
          )}
        </section>

        <section aria-label={t('report.parameters')}>
          <h2>{t('report.parameters')}</h2>
          {model.parameters.length === 0 ? (
            <p className="report-muted">{t('report.noParameters')}</p>
          ) : (
            <table className="report-table" data-testid="report-parameters">
              <thead>
                <tr>
                  <th scope="col">{t('report.parameter')}</th>
                  <th scope="col">{t('report.value')}</th>
                  <th scope="col">{t('report.source')}</th>
                  <th scope="col">{t('report.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {model.parameters.map((p) => (
                  <tr key={p.key} data-key={p.key} data-source={p.source}>
                    <th scope="row">{p.name}</th>
                    <td className="report-num">
                      {p.value}
                      {p.unit && p.unit !== '1' ? ` ${p.unit}` : ''}
                    </td>
                    <td>{t(`report.source.${p.source}` as StringKey)}</td>
                    <td>{p.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-label={t('report.comment')}>
          <h2>{t('report.comment')}</h2>
          {commentEditor ?? (
            <p className="report-comment" data-testid="report-comment-text">
              {content.comment}
            </p>
          )}
        </section>

        <footer className="report-footer" data-testid="report-footer">
          {sig ? (
            <>
              <p data-testid="report-signed-by">
                {t('report.signedBy', {
                  signer: sig.signer,
                  date: reportTime(sig.signedAt),
                  version: sig.version,
                })}
              </p>
              {sig.previousSha256 && (
                <p>
                  {t('report.amends', {
                    version: sig.version - 1,
                    hash: sig.previousSha256.slice(0, 16),
                    reason: sig.amendReason ?? '',
                  })}
                </p>
              )}
              <p className="report-hash">
                {t('report.sha256')}: <code data-testid="report-hash">{sig.sha256}</code>
                {verified !== undefined && (
                  <span
                    className={verified ? 'report-ok' : 'report-bad'}
                    data-testid="report-verified"
                    data-ok={String(verified)}
                  >
                    {' '}
                    ({verified ? t('report.verified') : t('report.tampered')})
                  </span>
                )}
              </p>
            </>
          ) : (
            <p className="report-draft" data-testid="report-draft">
              {t('report.draft')}
            </p>
          )}
          <p className="report-disclaimer" data-testid="report-disclaimer">
            {t('report.disclaimer')}
          </p>
        </footer>
      </div>
    </div>
  );
}
