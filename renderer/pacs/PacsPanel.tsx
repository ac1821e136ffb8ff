/** PACS: pick a configured DICOMweb server, search studies (QIDO-RS), list series, open one (WADO-RS). */
import { useMemo, useState } from 'react';
import { useT } from '../i18n/i18n';
import { useSettings } from '../settings/settings-store';
import { importPicked, openInViewer } from '../study-browser/browser-actions';
import {
  pacsClient,
  searchPacsSeries,
  searchPacsStudies,
  type PacsStudyQuery as StudyQuery,
  type RemoteSeries,
  type RemoteStudy,
} from './pacs-queries';
import { retrieveSeriesFiles } from './retrieve-series';

const toDa = (isoDate: string) => isoDate.replace(/-/g, '');

export function PacsPanel() {
  const t = useT();
  const servers = useSettings((s) => s.settings.dicomWebServers);
  const [serverId, setServerId] = useState('');
  const [q, setQ] = useState<StudyQuery>({});
  const [studies, setStudies] = useState<RemoteStudy[] | undefined>();
  const [series, setSeries] = useState<Record<string, RemoteSeries[]>>({});
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const server = servers.find((s) => s.id === serverId) ?? servers[0];
  const client = useMemo(() => (server ? pacsClient(server) : undefined), [server]);
  if (!server || !client)
    return (
      <p className="panel-empty" data-testid="pacs-no-servers">
        {t('pacs.noServers')}
      </p>
    );
  const run = async (label: string, fn: () => Promise<void>) => {
    setBusy(label);
    setError('');
    try {
      await fn();
    } catch (e) {
      setError(t('pacs.error', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy('');
    }
  };
  const search = () =>
    run(t('pacs.searching'), async () => {
      setStudies(await searchPacsStudies(client, q));
      setSeries({});
    });
  const expand = (st: RemoteStudy) =>
    run(t('pacs.searching'), async () => {
      const list = await searchPacsSeries(client, st.studyInstanceUid);
      setSeries((m) => ({ ...m, [st.studyInstanceUid]: list }));
    });
  const open = (st: RemoteStudy, se: RemoteSeries) =>
    run(t('pacs.loading', { done: 0, total: se.numberOfInstances ?? '?' }), async () => {
      const files = await retrieveSeriesFiles(
        client,
        st.studyInstanceUid,
        se.seriesInstanceUid,
        (done, total) => setBusy(t('pacs.loading', { done, total })),
      );
      await importPicked(files);
      await openInViewer(se.seriesInstanceUid);
    });
  const field = (key: keyof StudyQuery, label: string, type = 'text') => (
    <label>
      {label}{' '}
      <input
        type={type}
        data-testid={`pacs-${key}`}
        value={
          type === 'date' && q[key]
            ? `${q[key]!.slice(0, 4)}-${q[key]!.slice(4, 6)}-${q[key]!.slice(6)}`
            : (q[key] ?? '')
        }
        onChange={(e) => setQ({ ...q, [key]: type === 'date' ? toDa(e.target.value) : e.target.value })}
      />
    </label>
  );
  return (
    <div className="pacs-panel" data-testid="pacs-panel">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label>
          {t('pacs.server')}{' '}
          <select value={server.id} onChange={(e) => setServerId(e.target.value)} data-testid="pacs-server">
            {servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {field('patientName', t('pacs.patientName'))}
        {field('patientId', t('pacs.patientId'))}
        {field('modality', t('pacs.modality'))}
        {field('dateFrom', t('pacs.dateFrom'), 'date')}
        {field('dateTo', t('pacs.dateTo'), 'date')}
        <button type="submit" data-testid="pacs-search" disabled={!!busy}>
          {t('pacs.search')}
        </button>
      </form>
      {busy && <p data-testid="pacs-busy">{busy}</p>}
      {error && (
        <p className="browser-error" role="alert" data-testid="pacs-error">
          {error}
        </p>
      )}
      {studies && (
        <p data-testid="pacs-count">
          {studies.length ? t('pacs.results', { n: studies.length }) : t('pacs.noResults')}
        </p>
      )}
      <ul className="browser-studies">
        {studies?.map((st) => (
          <li key={st.studyInstanceUid} className="browser-study" data-testid="pacs-study">
            <button type="button" className="pacs-study-head" onClick={() => void expand(st)}>
              <strong>{st.patientName || '—'}</strong> ({st.patientId}) · {st.studyDate} ·{' '}
              {st.modalities.join('/')} · {st.studyDescription}
            </button>
            <ul>
              {series[st.studyInstanceUid]?.map((se) => (
                <li key={se.seriesInstanceUid} data-testid="pacs-series">
                  {se.modality} #{se.seriesNumber ?? ''} {se.seriesDescription} ({se.numberOfInstances ?? '?'}
                  ){' '}
                  <button
                    type="button"
                    data-testid="pacs-open"
                    disabled={!!busy}
                    onClick={() => void open(st, se)}
                  >
                    {t('pacs.open')}
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
