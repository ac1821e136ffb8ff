/**
 * A DICOMweb client (QIDO-RS search, WADO-RS retrieve, STOW-RS store; DICOM PS3.18) for the browser and Node.
 *
 * Why not the `dicomweb-client` npm package: it sends every request through `XMLHttpRequest`, which Node does not
 * have, so the batch CLI and Electron main could not use it without a polyfill. This client uses only `fetch`,
 * `TextEncoder` and `Uint8Array`, which exist in both environments (and a `fetch` can be injected, e.g. for tests or
 * a proxy). Errors are {@link DicomWebError}s whose `reason` says what the user can do (unreachable, unauthorized,
 * not-found, client-error, server-error, bad-response).
 */
import type { DicomJsonObject, DicomWebServerConfig } from './dicomweb-types';
import { DicomWebError } from './dicomweb-types';
import { boundaryOf, buildMultipart, splitMultipart } from './multipart';

/** QIDO-RS study filters. Dates are DICOM DA `YYYYMMDD`. */
export interface StudyFilters {
  /** Patient name; a trailing `*` wildcard is added unless the value has one. */
  patientName?: string;
  patientId?: string;
  /** ModalitiesInStudy, e.g. 'CT'. */
  modality?: string;
  dateFrom?: string;
  dateTo?: string;
  /** Only these StudyInstanceUIDs (sent as one UID list). */
  studyInstanceUids?: string[];
  accessionNumber?: string;
  limit?: number;
  offset?: number;
}

/** QIDO-RS series filters. */
export interface SeriesFilters {
  modality?: string;
  seriesInstanceUid?: string;
  limit?: number;
  offset?: number;
}

/** Outcome of STOW-RS. */
export interface StoreResult {
  /** SOP Instance UIDs the server says it stored (ReferencedSOPSequence 0008,1199). */
  stored: string[];
  /** Instances it refused (FailedSOPSequence 0008,1198) with FailureReason (0008,1197). */
  failed: { sopInstanceUid: string; failureReason?: number }[];
  /** HTTP status of the answer. */
  status: number;
}

/** Options of {@link DicomWebClient}. */
export interface DicomWebClientOptions {
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 60 000). */
  timeoutMs?: number;
}

const STUDY_FIELDS = [
  '00100010',
  '00100020',
  '00080020',
  '00081030',
  '00080050',
  '00080061',
  '00201206',
  '00201208',
];
const SERIES_FIELDS = ['00080060', '00200011', '0008103E', '00201209'];

function basicToken(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** A client for one DICOMweb server. */
export class DicomWebClient {
  private readonly root: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    readonly server: DicomWebServerConfig,
    options: DicomWebClientOptions = {},
  ) {
    this.root = server.url.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((...a) => fetch(...a));
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const a = this.server.auth;
    if (a?.kind === 'bearer') return { ...extra, Authorization: `Bearer ${a.token}` };
    if (a?.kind === 'basic')
      return { ...extra, Authorization: `Basic ${basicToken(a.username, a.password)}` };
    return extra;
  }

  /** Sends a request; throws a {@link DicomWebError} for no answer or a non-2xx status. */
  async request(path: string, init: { method?: string; headers: Record<string, string>; body?: Uint8Array }) {
    const url = `${this.root}${path}`;
    let r: Response;
    try {
      r = await this.fetchFn(url, {
        method: init.method ?? 'GET',
        headers: this.headers(init.headers),
        body: init.body ? new Blob([init.body as Uint8Array<ArrayBuffer>]) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
      throw new DicomWebError('unreachable', `${this.server.name}: cannot reach ${url} (${cause})`, url);
    }
    if (!r.ok) {
      const text = (await r.text().catch(() => '')).slice(0, 300);
      const s = r.status;
      const reason =
        s === 401 || s === 403
          ? 'unauthorized'
          : s === 404
            ? 'not-found'
            : s < 500
              ? 'client-error'
              : 'server-error';
      const what =
        reason === 'unauthorized'
          ? 'credentials missing or refused'
          : reason === 'not-found'
            ? 'not found (check the DICOMweb root URL)'
            : reason === 'client-error'
              ? 'request refused'
              : 'server error';
      throw new DicomWebError(
        reason,
        `${this.server.name}: HTTP ${s} ${what} for ${url}${text ? `: ${text}` : ''}`,
        url,
        s,
      );
    }
    return r;
  }

  private async getJson(path: string): Promise<DicomJsonObject[]> {
    const r = await this.request(path, { headers: { Accept: 'application/dicom+json' } });
    if (r.status === 204) return [];
    const text = await r.text();
    if (!text.trim()) return [];
    try {
      const j = JSON.parse(text) as unknown;
      if (!Array.isArray(j)) throw new Error('not an array');
      return j as DicomJsonObject[];
    } catch (e) {
      throw new DicomWebError(
        'bad-response',
        `${this.server.name}: answer of ${path} is not DICOM JSON (${(e as Error).message})`,
        `${this.root}${path}`,
        r.status,
      );
    }
  }

  /** QIDO-RS `/studies` with the usual study fields included. */
  searchStudies(f: StudyFilters = {}): Promise<DicomJsonObject[]> {
    const p = new URLSearchParams();
    const name = f.patientName?.trim();
    if (name) p.set('PatientName', name.includes('*') ? name : `${name}*`);
    if (f.patientId?.trim()) p.set('PatientID', f.patientId.trim());
    if (f.modality?.trim()) p.set('ModalitiesInStudy', f.modality.trim().toUpperCase());
    if (f.dateFrom || f.dateTo) p.set('StudyDate', `${f.dateFrom ?? ''}-${f.dateTo ?? ''}`);
    if (f.studyInstanceUids?.length) p.set('StudyInstanceUID', f.studyInstanceUids.join(','));
    if (f.accessionNumber?.trim()) p.set('AccessionNumber', f.accessionNumber.trim());
    if (f.limit !== undefined) p.set('limit', String(f.limit));
    if (f.offset !== undefined) p.set('offset', String(f.offset));
    for (const t of STUDY_FIELDS) p.append('includefield', t);
    return this.getJson(`/studies?${p.toString()}`);
  }

  /** QIDO-RS series of a study (`/studies/{uid}/series`), or of all studies when `studyUid` is undefined. */
  searchSeries(studyUid?: string, f: SeriesFilters = {}): Promise<DicomJsonObject[]> {
    const p = new URLSearchParams();
    if (f.modality?.trim()) p.set('Modality', f.modality.trim().toUpperCase());
    if (f.seriesInstanceUid) p.set('SeriesInstanceUID', f.seriesInstanceUid);
    if (f.limit !== undefined) p.set('limit', String(f.limit));
    if (f.offset !== undefined) p.set('offset', String(f.offset));
    for (const t of SERIES_FIELDS) p.append('includefield', t);
    const base = studyUid ? `/studies/${encodeURIComponent(studyUid)}/series` : '/series';
    return this.getJson(`${base}?${p.toString()}`);
  }

  /** QIDO-RS instances of a series (or of a study when `seriesUid` is undefined). */
  searchInstances(studyUid: string, seriesUid?: string): Promise<DicomJsonObject[]> {
    const base = `/studies/${encodeURIComponent(studyUid)}${seriesUid ? `/series/${encodeURIComponent(seriesUid)}` : ''}`;
    return this.getJson(`${base}/instances?includefield=00200013`);
  }

  /** WADO-RS metadata of a series (DICOM JSON per instance, bulk data as URIs). */
  retrieveSeriesMetadata(studyUid: string, seriesUid: string): Promise<DicomJsonObject[]> {
    return this.getJson(
      `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/metadata`,
    );
  }

  /**
   * WADO-RS metadata of every instance of a study (DICOM JSON, bulk data as URIs). Unlike a QIDO-RS search it is not
   * cut at a result limit, so it also lists the series of a study whose QIDO answers are capped.
   */
  retrieveStudyMetadata(studyUid: string): Promise<DicomJsonObject[]> {
    return this.getJson(`/studies/${encodeURIComponent(studyUid)}/metadata`);
  }

  /**
   * WADO-RS one instance as its Part 10 bytes, in the transfer syntax the server holds (`transfer-syntax=*`: no
   * transcoding, so compressed instances come back as stored).
   */
  async retrieveInstance(studyUid: string, seriesUid: string, sopUid: string): Promise<Uint8Array> {
    const path = `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/instances/${encodeURIComponent(sopUid)}`;
    const parts = await this.retrieveParts(path);
    if (parts.length !== 1)
      throw new DicomWebError(
        'bad-response',
        `${this.server.name}: expected 1 instance from ${path}, got ${parts.length}`,
        `${this.root}${path}`,
      );
    return parts[0];
  }

  /** WADO-RS every instance of a series as Part 10 bytes. */
  retrieveSeries(studyUid: string, seriesUid: string): Promise<Uint8Array[]> {
    return this.retrieveParts(
      `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`,
    );
  }

  private async retrieveParts(path: string): Promise<Uint8Array[]> {
    const r = await this.request(path, {
      headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' },
    });
    const body = new Uint8Array(await r.arrayBuffer());
    const ct = r.headers.get('content-type') ?? '';
    const boundary = boundaryOf(ct);
    if (!boundary) {
      // some servers answer a single instance as plain application/dicom
      if (/application\/dicom/i.test(ct) && body.length > 132) return [body];
      throw new DicomWebError(
        'bad-response',
        `${this.server.name}: expected multipart/related from ${path}, got "${ct}"`,
        `${this.root}${path}`,
        r.status,
      );
    }
    try {
      return splitMultipart(body, boundary).map((p) => p.body);
    } catch (e) {
      throw new DicomWebError(
        'bad-response',
        `${this.server.name}: unreadable multipart from ${path} (${(e as Error).message})`,
        `${this.root}${path}`,
        r.status,
      );
    }
  }

  /**
   * STOW-RS Part 10 instances (`POST /studies`, or `/studies/{uid}` to require that study). Servers may answer 200
   * while refusing every instance (Orthanc does), so read {@link StoreResult.stored} / `failed`, not the status.
   */
  async storeInstances(instances: Uint8Array[], studyUid?: string): Promise<StoreResult> {
    const { body, contentType } = buildMultipart(instances);
    const path = studyUid ? `/studies/${encodeURIComponent(studyUid)}` : '/studies';
    const r = await this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': contentType, Accept: 'application/dicom+json' },
      body,
    });
    const text = await r.text();
    let j: DicomJsonObject = {};
    if (text.trim()) {
      try {
        const parsed = JSON.parse(text) as unknown;
        j = (Array.isArray(parsed) ? parsed[0] : parsed) as DicomJsonObject;
      } catch {
        throw new DicomWebError(
          'bad-response',
          `${this.server.name}: STOW-RS answer is not DICOM JSON`,
          `${this.root}${path}`,
          r.status,
        );
      }
    }
    const items = (tag: string) => (j?.[tag]?.Value ?? []) as DicomJsonObject[];
    const uid = (o: DicomJsonObject) => String(o['00081155']?.Value?.[0] ?? '');
    return {
      stored: items('00081199').map(uid),
      failed: items('00081198').map((o) => ({
        sopInstanceUid: uid(o),
        failureReason: o['00081197']?.Value?.[0] as number | undefined,
      })),
      status: r.status,
    };
  }
}
