/** Types of the DICOMweb client: server configuration, DICOM JSON (PS3.18 Annex F), errors. */

/** Authentication for a DICOMweb server. */
export type DicomWebAuth =
  { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

/** A configured DICOMweb server. */
export interface DicomWebServerConfig {
  /** Stable id (used in instance locations: `{ kind: 'dicomweb', serverId }`). */
  id: string;
  /** Name shown to the user. */
  name: string;
  /** DICOMweb root, e.g. `http://127.0.0.1:8042/dicom-web` (trailing slashes ignored). */
  url: string;
  auth?: DicomWebAuth;
}

/** One attribute of a DICOM JSON object. */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

/** A DICOM JSON object keyed by 8-hex-digit tag (e.g. '0020000D'). */
export type DicomJsonObject = Record<string, DicomJsonAttribute | undefined>;

/** Why a DICOMweb call failed. */
export type DicomWebErrorReason =
  /** No answer: DNS, refused connection, TLS, CORS, timeout. */
  | 'unreachable'
  /** 401/403: credentials missing or refused. */
  | 'unauthorized'
  /** 404: no such resource (or no DICOMweb at that URL). */
  | 'not-found'
  /** Other 4xx: the server refused the request. */
  | 'client-error'
  /** 5xx: the server failed. */
  | 'server-error'
  /** A 2xx answer the client cannot read (wrong content type, malformed JSON or multipart). */
  | 'bad-response';

/** A DICOMweb failure with a reason a user can act on. */
export class DicomWebError extends Error {
  constructor(
    readonly reason: DicomWebErrorReason,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DicomWebError';
  }
}
