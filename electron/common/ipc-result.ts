/**
 * What every bridge call resolves to. Errors cross IPC as values (never as thrown exceptions, which Electron
 * flattens into an opaque string), so the renderer can tell "not in the library" from "invalid request".
 */

/** Why a bridge call failed. */
export type IpcErrorCode =
  /** The channel is not one of ours. */
  | 'UNKNOWN_CHANNEL'
  /** The call did not come from a page of the app's own origin. */
  | 'FORBIDDEN_SENDER'
  /** The payload failed schema validation. */
  | 'INVALID_REQUEST'
  /** The study/file/etc. does not exist. */
  | 'NOT_FOUND'
  /** `file:read` of a path the library does not index. */
  | 'NOT_IN_LIBRARY'
  /** The file is larger than one read may return; read it in ranges. */
  | 'TOO_LARGE'
  /** A service the call needs is not available in this build or failed to start. */
  | 'UNAVAILABLE'
  /** The request was understood and refused (e.g. an unsigned or tampered plugin package). */
  | 'REFUSED'
  /** The file system refused (permissions, vanished file, disk full). */
  | 'IO_ERROR'
  /** A bug: the message says what broke. */
  | 'INTERNAL';

/** A failed call: a code the UI can branch on and a message a user can act on. */
export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** For INVALID_REQUEST: which fields failed, as `path: message` lines. */
  issues?: string[];
}

/** Result of a bridge call. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Builds a success value. */
export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

/** Builds a failure value. */
export function fail<T = never>(code: IpcErrorCode, message: string, issues?: string[]): IpcResult<T> {
  return issues && issues.length > 0
    ? { ok: false, error: { code, message, issues } }
    : { ok: false, error: { code, message } };
}

/**
 * Thrown inside main-process handlers to fail a call with a specific code; the router turns it into a
 * `{ ok: false }` value before anything crosses IPC.
 */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}
