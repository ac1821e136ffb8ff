/**
 * What the PACS panel asks a DICOMweb server, on top of the shared {@link DicomWebClient} (core/common/dicomweb):
 * study search, the series of a study, and the SOP Instance UIDs of a series. The server comes from the settings
 * (`Settings.dicomWebServers`); its origin is the only remote host the page's CSP allows.
 */
import {
  DicomWebClient,
  toRemoteInstance,
  toRemoteSeries,
  toRemoteStudy,
  type RemoteSeries,
  type RemoteStudy,
  type StudyFilters,
} from '../../core/common/dicomweb';
import type { DicomWebServer } from '../../electron/common/api';

export type { RemoteSeries, RemoteStudy };

/** The study search fields the panel offers. Dates are DICOM DA `YYYYMMDD`. */
export type PacsStudyQuery = Pick<
  StudyFilters,
  'patientName' | 'patientId' | 'modality' | 'dateFrom' | 'dateTo'
>;

/** A client for a server from the settings (`fetchFn` for tests). */
export function pacsClient(server: DicomWebServer, fetchFn?: typeof fetch): DicomWebClient {
  return new DicomWebClient(
    { id: server.id, name: server.name, url: server.url },
    fetchFn ? { fetch: fetchFn } : {},
  );
}

/** QIDO-RS study search; patient names with `^` separators shown as spaces. */
export async function searchPacsStudies(client: DicomWebClient, q: PacsStudyQuery): Promise<RemoteStudy[]> {
  const rows = await client.searchStudies(q);
  return rows
    .map(toRemoteStudy)
    .map((s) => ({ ...s, patientName: s.patientName.replace(/\^/g, ' ').trim() }));
}

/** QIDO-RS series of a study, by series number. */
export async function searchPacsSeries(client: DicomWebClient, studyUid: string): Promise<RemoteSeries[]> {
  const rows = await client.searchSeries(studyUid);
  return rows.map(toRemoteSeries).sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0));
}

/** SOP Instance UIDs of a series (QIDO-RS), by instance number. */
export async function searchPacsInstances(
  client: DicomWebClient,
  studyUid: string,
  seriesUid: string,
): Promise<string[]> {
  const rows = (await client.searchInstances(studyUid, seriesUid)).map(toRemoteInstance);
  rows.sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
  return rows.map((r) => r.sopInstanceUid).filter(Boolean);
}
