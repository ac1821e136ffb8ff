/**
 * Retrieves a series over WADO-RS and parses each instance into library records whose location points back at the
 * server (`{ kind: 'dicomweb', serverId, … }`), so the library can list a remote series like a local one. Files that
 * cannot be parsed are reported per instance, never fatal.
 */
import { DicomReadError } from '../dicom/dicom-read-error';
import { parseInstance } from '../dicom/parse-instance';
import type { ParsedInstance, SkippedFile } from '../dicom/records';
import type { DicomWebClient } from './dicomweb-client';

/** Result of {@link retrieveSeriesRecords}. */
export interface RetrievedSeries {
  /** Parsed instances (location kind 'dicomweb'). */
  parsed: ParsedInstance[];
  /** The Part 10 bytes by SOP Instance UID (for the caller to cache or decode). */
  bytes: Map<string, Uint8Array>;
  /** Instances that could not be parsed. */
  skipped: SkippedFile[];
}

/** WADO-RS retrieve of one series, parsed into records. Network failures throw {@link DicomWebError}. */
export async function retrieveSeriesRecords(
  client: DicomWebClient,
  studyUid: string,
  seriesUid: string,
): Promise<RetrievedSeries> {
  const parts = await client.retrieveSeries(studyUid, seriesUid);
  const out: RetrievedSeries = { parsed: [], bytes: new Map(), skipped: [] };
  parts.forEach((bytes, k) => {
    const name = `${client.server.name}: ${studyUid}/${seriesUid} part ${k + 1}`;
    try {
      const p = parseInstance(
        bytes,
        { kind: 'dicomweb', serverId: client.server.id, studyUid, seriesUid, sopInstanceUid: '' },
        { missingUids: 'error' },
      );
      p.instance.location = {
        kind: 'dicomweb',
        serverId: client.server.id,
        studyUid: p.instance.studyInstanceUid,
        seriesUid: p.instance.seriesInstanceUid,
        sopInstanceUid: p.instance.sopInstanceUid,
      };
      out.parsed.push(p);
      out.bytes.set(p.instance.sopInstanceUid, bytes);
    } catch (e) {
      out.skipped.push({
        file: name,
        kind: e instanceof DicomReadError ? e.kind : 'corrupt',
        reason: e instanceof Error ? e.message : String(e),
      });
    }
  });
  return out;
}
