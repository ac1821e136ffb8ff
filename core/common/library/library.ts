/**
 * The library service used by the UI (web mode, over the IndexedDB store) and Electron main / the CLI (over the
 * SQLite store): the store's operations plus explicit typed events, so views refresh when the library changes.
 */
import type { InstanceRecord, ParsedInstance, SeriesRecord } from '../dicom/records';
import type {
  LibraryCounts,
  LibraryStore,
  ResultQuery,
  ResultRecord,
  StudyListing,
  StudyQuery,
  UpsertOptions,
  UpsertReport,
} from './library-store';
import { TypedEmitter } from './typed-emitter';

/** Why the library changed. */
export type LibraryChangeReason = 'import' | 'remove-study' | 'result';

/** Payload of the `changed` event. */
export interface LibraryChangedEvent {
  reason: LibraryChangeReason;
  /** Studies whose records changed. */
  studyInstanceUids: string[];
  /** Result ids (reason 'result'). */
  resultIds?: string[];
}

/** Payload of the `imported` event. */
export interface LibraryImportedEvent extends UpsertReport {
  /** Where the instances came from (free text chosen by the caller, e.g. 'files', 'dicomweb:orthanc'). */
  source?: string;
}

/** The events of {@link Library}. */
export interface LibraryEvents {
  [event: string]: unknown;
  changed: LibraryChangedEvent;
  imported: LibraryImportedEvent;
}

/** The library service over a {@link LibraryStore}. */
export class Library {
  private readonly events = new TypedEmitter<LibraryEvents>();

  constructor(readonly store: LibraryStore) {}

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof LibraryEvents & string>(event: K, listener: (e: LibraryEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Adds parsed instances; emits `imported`, then `changed` when something was added or updated. */
  async importInstances(
    parsed: ParsedInstance[],
    options: UpsertOptions & { source?: string } = {},
  ): Promise<UpsertReport> {
    const report = await this.store.upsertInstances(parsed, options);
    this.events.emit('imported', { ...report, source: options.source });
    if (report.instancesAdded + report.instancesUpdated > 0 || options.seriesWarnings)
      this.events.emit('changed', { reason: 'import', studyInstanceUids: report.studies });
    return report;
  }

  /** Removes a study's records (never the files); emits `changed` when it was there. */
  async removeStudy(studyInstanceUid: string): Promise<boolean> {
    const removed = await this.store.removeStudy(studyInstanceUid);
    if (removed)
      this.events.emit('changed', { reason: 'remove-study', studyInstanceUids: [studyInstanceUid] });
    return removed;
  }

  /** Stores a result; emits `changed` with reason 'result'. */
  async putResult(result: ResultRecord): Promise<void> {
    await this.store.putResult(result);
    this.events.emit('changed', {
      reason: 'result',
      studyInstanceUids: result.studyInstanceUid ? [result.studyInstanceUid] : [],
      resultIds: [result.id],
    });
  }

  /** Removes a result record; emits `changed` when it was there. */
  async removeResult(id: string): Promise<boolean> {
    const r = await this.store.getResult(id);
    const removed = await this.store.removeResult(id);
    if (removed)
      this.events.emit('changed', {
        reason: 'result',
        studyInstanceUids: r?.studyInstanceUid ? [r.studyInstanceUid] : [],
        resultIds: [id],
      });
    return removed;
  }

  searchStudies(query: StudyQuery = {}): Promise<StudyListing[]> {
    return this.store.searchStudies(query);
  }
  getStudy(studyInstanceUid: string): Promise<StudyListing | null> {
    return this.store.getStudy(studyInstanceUid);
  }
  listSeries(studyInstanceUid: string): Promise<SeriesRecord[]> {
    return this.store.listSeries(studyInstanceUid);
  }
  listInstances(seriesInstanceUid: string): Promise<InstanceRecord[]> {
    return this.store.listInstances(seriesInstanceUid);
  }
  hasFile(path: string): Promise<boolean> {
    return this.store.hasFile(path);
  }
  getResult(id: string): Promise<ResultRecord | null> {
    return this.store.getResult(id);
  }
  listResults(query: ResultQuery = {}): Promise<ResultRecord[]> {
    return this.store.listResults(query);
  }
  counts(): Promise<LibraryCounts> {
    return this.store.counts();
  }
  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}
