/**
 * A small DICOMweb client for the PACS panel: QIDO-RS study/series/instance searches (PS3.18 §10.6) and WADO-RS
 * retrieval of whole instances as Part 10 files (`multipart/related; type="application/dicom"`), which then go
 * through the same import and open path as local files (every transfer syntax the local path handles works here).
 */
import type { DicomWebServer } from '../../electron/common/api';
import { boundaryOf, splitMultipart } from './multipart';

/** One attribute of a DICOM JSON object (PS3.18 Annex F). */
type JsonAttr = { vr: string; Value?: unknown[] };
/** A DICOM JSON object keyed by tag (e.g. '0020000D'). */
export type DicomJsonObject = Record<string, JsonAttr | undefined>;

/** QIDO-RS study search fields. Dates are DICOM DA `YYYYMMDD`. */
export interface StudyQuery {
  patientName?: string;
  patientId?: string;
  modality?: string;
  dateFrom?: string;
  dateTo?: string;
}

/** A study found by QIDO-RS. */
export interface RemoteStudy {
  studyInstanceUid: string;
  patientName: string;
  patientId: string;
  studyDate: string;
  studyDescription: string;
  modalities: string[];
  numberOfSeries?: number;
  numberOfInstances?: number;
}

/** A series found by QIDO-RS. */
export interface RemoteSeries {
  seriesInstanceUid: string;
  modality: string;
  seriesNumber?: number;
  seriesDescription: string;
  numberOfInstances?: number;
}

/** First value of a tag as a string ('' when absent; person names as their Alphabetic form). */
export function jsonString(o: DicomJsonObject, tag: string): string {
  const v = o[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as { Alphabetic?: string }).Alphabetic ?? '');
  return String(v);
}

function jsonNumber(o: DicomJsonObject, tag: string): number | undefined {
  const s = jsonString(o, tag);
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : undefined;
}

/** The server's root URL without a trailing slash. */
export function rootOf(server: Pick<DicomWebServer, 'url'>): string {
  return server.url.replace(/\/+$/, '');
}

/** Builds the QIDO-RS `/studies` URL of a query. */
export function studySearchUrl(server: Pick<DicomWebServer, 'url'>, q: StudyQuery): string {
  const p = new URLSearchParams();
  if (q.patientName?.trim())
    p.set(
      'PatientName',
      q.patientName.trim().includes('*') ? q.patientName.trim() : `${q.patientName.trim()}*`,
    );
  if (q.patientId?.trim()) p.set('PatientID', q.patientId.trim());
  if (q.modality?.trim()) p.set('ModalitiesInStudy', q.modality.trim().toUpperCase());
  if (q.dateFrom || q.dateTo) p.set('StudyDate', `${q.dateFrom ?? ''}-${q.dateTo ?? ''}`);
  for (const tag of ['00100010', '00100020', '00080020', '00081030', '00080061', '00201206', '00201208'])
    p.append('includefield', tag);
  return `${rootOf(server)}/studies?${p.toString()}`;
}

async function getJson(url: string, fetchFn: typeof fetch): Promise<DicomJsonObject[]> {
  const r = await fetchFn(url, { headers: { Accept: 'application/dicom+json' } });
  if (r.status === 204) return [];
  if (!r.ok) throw new Error(`${r.status} ${r.statusText} (${url})`);
  const text = await r.text();
  if (!text.trim()) return [];
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('QIDO-RS answer is not a JSON array');
  return data as DicomJsonObject[];
}

/** QIDO-RS study search. */
export async function searchStudies(
  server: Pick<DicomWebServer, 'url'>,
  q: StudyQuery,
  fetchFn: typeof fetch = fetch,
): Promise<RemoteStudy[]> {
  const rows = await getJson(studySearchUrl(server, q), fetchFn);
  return rows.map((o) => ({
    studyInstanceUid: jsonString(o, '0020000D'),
    patientName: jsonString(o, '00100010').replace(/\^/g, ' ').trim(),
    patientId: jsonString(o, '00100020'),
    studyDate: jsonString(o, '00080020'),
    studyDescription: jsonString(o, '00081030'),
    modalities: (o['00080061']?.Value ?? []).map(String),
    numberOfSeries: jsonNumber(o, '00201206'),
    numberOfInstances: jsonNumber(o, '00201208'),
  }));
}

/** QIDO-RS series of a study. */
export async function searchSeries(
  server: Pick<DicomWebServer, 'url'>,
  studyUid: string,
  fetchFn: typeof fetch = fetch,
): Promise<RemoteSeries[]> {
  const rows = await getJson(`${rootOf(server)}/studies/${studyUid}/series`, fetchFn);
  return rows
    .map((o) => ({
      seriesInstanceUid: jsonString(o, '0020000E'),
      modality: jsonString(o, '00080060'),
      seriesNumber: jsonNumber(o, '00200011'),
      seriesDescription: jsonString(o, '0008103E'),
      numberOfInstances: jsonNumber(o, '00201209'),
    }))
    .sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0));
}

/** SOP Instance UIDs of a series (QIDO-RS). */
export async function searchInstances(
  server: Pick<DicomWebServer, 'url'>,
  studyUid: string,
  seriesUid: string,
  fetchFn: typeof fetch = fetch,
): Promise<string[]> {
  const rows = await getJson(`${rootOf(server)}/studies/${studyUid}/series/${seriesUid}/instances`, fetchFn);
  return rows.map((o) => jsonString(o, '00080018')).filter(Boolean);
}

/** WADO-RS retrieve of one instance as a Part 10 file, in its stored transfer syntax. */
export async function retrieveInstance(
  server: Pick<DicomWebServer, 'url'>,
  studyUid: string,
  seriesUid: string,
  sopUid: string,
  fetchFn: typeof fetch = fetch,
): Promise<Uint8Array> {
  const url = `${rootOf(server)}/studies/${studyUid}/series/${seriesUid}/instances/${sopUid}`;
  const r = await fetchFn(url, {
    headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
  });
  if (!r.ok) throw new Error(`${r.status} ${r.statusText} (${url})`);
  const body = new Uint8Array(await r.arrayBuffer());
  const boundary = boundaryOf(r.headers.get('content-type') ?? '');
  if (!boundary) return body; // some servers answer a single application/dicom body
  return splitMultipart(body, boundary)[0];
}
