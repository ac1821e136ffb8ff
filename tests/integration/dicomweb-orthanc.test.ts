import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DicomWebClient,
  DicomWebError,
  retrieveSeriesRecords,
  toRemoteSeries,
  toRemoteStudy,
} from '../../core/common/dicomweb';
import { Library } from '../../core/common/library/library';
import { openSqliteLibraryStore } from '../../core/node/library/sqlite-library-store';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { freePort, orthancUnavailableReason, startOrthanc, type OrthancServer } from '../servers';

const why = orthancUnavailableReason();
if (why) console.warn(`SKIP dicomweb-orthanc: ${why}`);

const STUDY_A = '1.2.826.0.1.3680043.10.77.1';
const STUDY_B = '1.2.826.0.1.3680043.10.77.2';
const STUDY_STOW = '1.2.826.0.1.3680043.10.77.3';

describe.skipIf(why !== null)('DicomWebClient against a real Orthanc', () => {
  let orthanc: OrthancServer;
  let client: DicomWebClient;
  /** SOP Instance UID → uploaded bytes. */
  const uploaded = new Map<string, Uint8Array>();
  let seriesA = '';

  beforeAll(async () => {
    orthanc = await startOrthanc();
    client = new DicomWebClient({ id: 'orthanc', name: 'Test Orthanc', url: `${orthanc.dicomWebUrl}/` });
    const a = await ctSeriesFiles({ dims: [16, 16, 4], studyUid: STUDY_A, patientId: 'PHANTOM-A' });
    const b = await ctSeriesFiles({
      dims: [16, 16, 2],
      studyUid: STUDY_B,
      patientId: 'PHANTOM-B',
      transferSyntax: 'rle',
    });
    for (const f of [...a, ...b]) {
      const r = await orthanc.upload(f.bytes);
      const tags = (await (await fetch(`${orthanc.url}/instances/${r.ID}/simplified-tags`)).json()) as Record<
        string,
        string
      >;
      uploaded.set(tags.SOPInstanceUID, f.bytes);
      if (tags.StudyInstanceUID === STUDY_A) seriesA = tags.SeriesInstanceUID;
    }
  });
  afterAll(async () => orthanc?.stop());

  it('QIDO-RS finds the uploaded studies with each filter', async () => {
    const uids = async (f: Parameters<DicomWebClient['searchStudies']>[0]) =>
      (await client.searchStudies(f)).map((s) => toRemoteStudy(s).studyInstanceUid).sort();
    expect(await uids({})).toEqual([STUDY_A, STUDY_B]);
    expect(await uids({ patientId: 'PHANTOM-B' })).toEqual([STUDY_B]);
    expect(await uids({ patientName: 'phantom' })).toEqual([STUDY_A, STUDY_B]);
    expect(await uids({ patientName: 'Nobody' })).toEqual([]);
    expect(await uids({ modality: 'CT' })).toEqual([STUDY_A, STUDY_B]);
    expect(await uids({ modality: 'MR' })).toEqual([]);
    expect(await uids({ dateFrom: '20240101', dateTo: '20240131' })).toEqual([STUDY_A, STUDY_B]);
    expect(await uids({ dateFrom: '20250101' })).toEqual([]);
    expect(await uids({ studyInstanceUids: [STUDY_A] })).toEqual([STUDY_A]);
    const a = toRemoteStudy((await client.searchStudies({ studyInstanceUids: [STUDY_A] }))[0]);
    expect(a).toMatchObject({
      patientId: 'PHANTOM-A',
      patientName: 'Phantom^CT',
      studyDate: '20240102',
      modalities: ['CT'],
    });
    expect(a.numberOfInstances).toBe(4);
  });

  it('QIDO-RS lists series and instances; WADO-RS metadata describes them', async () => {
    const series = (await client.searchSeries(STUDY_A)).map(toRemoteSeries);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ seriesInstanceUid: seriesA, modality: 'CT', numberOfInstances: 4 });
    expect(await client.searchSeries(STUDY_A, { modality: 'MR' })).toEqual([]);
    expect(await client.searchInstances(STUDY_A, seriesA)).toHaveLength(4);
    const meta = await client.retrieveSeriesMetadata(STUDY_A, seriesA);
    expect(meta).toHaveLength(4);
    for (const m of meta) expect(m['00280010']?.Value?.[0]).toBe(16);
  });

  it('WADO-RS returns exactly the uploaded bytes (uncompressed and RLE)', async () => {
    let n = 0;
    for (const [sop, bytes] of uploaded) {
      const study = (await client.searchInstances(STUDY_A)).some((o) => o['00080018']?.Value?.[0] === sop)
        ? STUDY_A
        : STUDY_B;
      const seriesUid = String((await client.searchSeries(study))[0]['0020000E']?.Value?.[0]);
      const got = await client.retrieveInstance(study, seriesUid, sop);
      expect(got.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(got), Buffer.from(bytes))).toBe(0);
      n++;
    }
    expect(n).toBe(6);
    expect(await client.retrieveSeries(STUDY_A, seriesA)).toHaveLength(4);
  });

  it('STOW-RS stores instances that QIDO-RS then finds and WADO-RS returns', async () => {
    const files = await ctSeriesFiles({ dims: [16, 16, 2], studyUid: STUDY_STOW, patientId: 'PHANTOM-STOW' });
    const r = await client.storeInstances(files.map((f) => f.bytes));
    expect(r.failed).toEqual([]);
    expect(r.stored).toHaveLength(2);
    const found = (await client.searchStudies({ patientId: 'PHANTOM-STOW' })).map(toRemoteStudy);
    expect(found.map((s) => s.studyInstanceUid)).toEqual([STUDY_STOW]);
    expect(found[0].numberOfInstances).toBe(2);
    const seriesUid = toRemoteSeries((await client.searchSeries(STUDY_STOW))[0]).seriesInstanceUid;
    const back = await client.retrieveInstance(STUDY_STOW, seriesUid, r.stored[0]);
    expect(files.some((f) => Buffer.compare(Buffer.from(f.bytes), Buffer.from(back)) === 0)).toBe(true);
  });

  it('STOW-RS of a non-DICOM body stores nothing', async () => {
    const r = await client
      .storeInstances([new TextEncoder().encode('not a dicom file')])
      .catch((e: unknown) => e);
    if (r instanceof DicomWebError) expect(['client-error', 'server-error']).toContain(r.reason);
    else expect((r as { stored: string[] }).stored).toEqual([]);
  });

  it('a retrieved series becomes library records pointing back at the server', async () => {
    const r = await retrieveSeriesRecords(client, STUDY_A, seriesA);
    expect(r.skipped).toEqual([]);
    expect(r.parsed).toHaveLength(4);
    const lib = new Library(openSqliteLibraryStore(':memory:'));
    await lib.importInstances(r.parsed, { source: 'dicomweb:orthanc' });
    const inst = await lib.listInstances(seriesA);
    expect(inst).toHaveLength(4);
    for (const i of inst) {
      expect(i.location).toEqual({
        kind: 'dicomweb',
        serverId: 'orthanc',
        studyUid: STUDY_A,
        seriesUid: seriesA,
        sopInstanceUid: i.sopInstanceUid,
      });
      expect(
        Buffer.compare(
          Buffer.from(r.bytes.get(i.sopInstanceUid)!),
          Buffer.from(uploaded.get(i.sopInstanceUid)!),
        ),
      ).toBe(0);
    }
    expect((await lib.getStudy(STUDY_A))?.patient.patientId).toBe('PHANTOM-A');
    await lib.close();
  });

  it('fails with clear reasons: not-found, unreachable', async () => {
    const wrong = new DicomWebClient({ id: 'x', name: 'Wrong root', url: `${orthanc.url}/no-dicomweb-here` });
    const e1 = await wrong.searchStudies().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(DicomWebError);
    expect((e1 as DicomWebError).reason).toBe('not-found');
    expect((e1 as DicomWebError).status).toBe(404);
    const port = await freePort();
    const down = new DicomWebClient({ id: 'y', name: 'Down', url: `http://127.0.0.1:${port}/dicom-web` });
    const e2 = await down.searchStudies().catch((e: unknown) => e);
    expect((e2 as DicomWebError).reason).toBe('unreachable');
    expect((e2 as DicomWebError).message).toMatch(
      /Down: cannot reach http:\/\/127\.0\.0\.1:\d+\/dicom-web\/studies/,
    );
  });
});
