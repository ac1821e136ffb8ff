/**
 * The conformance suite every {@link LibraryStore} passes (SQLite in Node, IndexedDB in the browser). Call
 * {@link describeLibraryStore} from a store's test file. Not part of the runtime API.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ParsedInstance } from '../dicom/records';
import type { LibraryStore, ResultRecord, ResultsStore } from './library-store';

/** How the suite opens a store. */
export interface StoreHarness {
  /** A fresh, empty location (file path, database name). */
  newLocation(): Promise<string>;
  /** Opens (or re-opens) the store at a location. */
  open(location: string): Promise<LibraryStore>;
}

/** Options of {@link syntheticSeries}. */
export interface SyntheticSeries {
  patientId: string;
  patientName?: string;
  studyUid: string;
  studyDate?: string;
  studyDescription?: string;
  seriesUid: string;
  modality: string;
  seriesNumber?: number;
  count: number;
  /** Folder of the (virtual) file paths; default /data/<seriesUid>. */
  dir?: string;
  frames?: number;
}

/** Parsed instances of a synthetic series (what the importer would produce for `count` files). */
export function syntheticSeries(o: SyntheticSeries): ParsedInstance[] {
  const dir = o.dir ?? `/data/${o.seriesUid}`;
  return Array.from({ length: o.count }, (_, k) => ({
    patient: { patientId: o.patientId, patientName: o.patientName },
    study: {
      studyInstanceUid: o.studyUid,
      patientId: o.patientId,
      studyDate: o.studyDate,
      studyDescription: o.studyDescription,
    },
    series: {
      seriesInstanceUid: o.seriesUid,
      studyInstanceUid: o.studyUid,
      modality: o.modality,
      seriesNumber: o.seriesNumber,
    },
    instance: {
      sopInstanceUid: `${o.seriesUid}.${k + 1}`,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      seriesInstanceUid: o.seriesUid,
      studyInstanceUid: o.studyUid,
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      instanceNumber: o.count - k,
      numberOfFrames: o.frames ?? 1,
      rows: 64,
      columns: 64,
      imagePositionPatient: [0, 0, 2 * k],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.8, 0.8],
      location: { kind: 'file', path: `${dir}/IM${String(k).padStart(5, '0')}.dcm` },
      format: 'dicom',
    },
  }));
}

/** A small library: two patients, three studies, four series. */
export function sampleLibrary(): ParsedInstance[] {
  return [
    ...syntheticSeries({
      patientId: 'P1',
      patientName: 'Doe^Jane',
      studyUid: '1.1',
      studyDate: '20240105',
      studyDescription: 'CT Chest w/o contrast',
      seriesUid: '1.1.1',
      modality: 'CT',
      seriesNumber: 2,
      count: 5,
    }),
    ...syntheticSeries({
      patientId: 'P1',
      patientName: 'Doe^Jane',
      studyUid: '1.1',
      studyDate: '20240105',
      studyDescription: 'CT Chest w/o contrast',
      seriesUid: '1.1.2',
      modality: 'SR',
      seriesNumber: 1,
      count: 1,
    }),
    ...syntheticSeries({
      patientId: 'P1',
      patientName: 'Doe^Jane',
      studyUid: '1.2',
      studyDate: '20230610',
      studyDescription: 'MR Brain ASL',
      seriesUid: '1.2.1',
      modality: 'MR',
      count: 3,
      frames: 4,
    }),
    ...syntheticSeries({
      patientId: 'P2',
      patientName: 'Roe^Richard',
      studyUid: '1.3',
      studyDescription: 'Phantom',
      seriesUid: '1.3.1',
      modality: 'CT',
      count: 2,
    }),
  ];
}

function result(id: string, over: Partial<ResultRecord> = {}): ResultRecord {
  return {
    id,
    pluginId: 'qiview.example',
    pluginVersion: '1.0.0',
    modelVersions: { unet: 'sha256:abc' },
    inputSeriesUids: ['1.1.1'],
    studyInstanceUid: '1.1',
    createdAt: '2024-01-05T10:00:00.000Z',
    status: 'done',
    payload: { volumeMl: 12.5, labels: [1, 2] },
    ...over,
  };
}

/** Registers the conformance tests for a store. */
export function describeLibraryStore(name: string, h: StoreHarness): void {
  describe(`${name}: LibraryStore conformance`, () => {
    const open: LibraryStore[] = [];
    const openStore = async (loc: string) => {
      const s = await h.open(loc);
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close().catch(() => {});
    });

    it('upserts and aggregates counts and modalities', async () => {
      const s = await openStore(await h.newLocation());
      const r = await s.upsertInstances(sampleLibrary(), {
        seriesWarnings: { '1.3.1': ['missing geometry'] },
      });
      expect(r).toEqual({
        instancesAdded: 11,
        instancesAlreadyKnown: 0,
        instancesUpdated: 0,
        studies: ['1.1', '1.2', '1.3'],
        series: ['1.1.1', '1.1.2', '1.2.1', '1.3.1'],
      });
      expect(await s.counts()).toEqual({ patients: 2, studies: 3, series: 4, instances: 11, results: 0 });
      const st = await s.getStudy('1.1');
      expect(st).toMatchObject({ modalities: ['CT', 'SR'], seriesCount: 2, imageCount: 6, patientId: 'P1' });
      expect(st?.patient.patientName).toBe('Doe^Jane');
      expect((await s.getStudy('1.2'))?.imageCount).toBe(12);
      const series = await s.listSeries('1.1');
      expect(series.map((x) => x.seriesInstanceUid)).toEqual(['1.1.2', '1.1.1']);
      expect(series[1]).toMatchObject({ instanceCount: 5, imageCount: 5, modality: 'CT', warnings: [] });
      expect((await s.listSeries('1.3'))[0].warnings).toEqual(['missing geometry']);
      const inst = await s.listInstances('1.1.1');
      expect(inst.map((i) => i.instanceNumber)).toEqual([1, 2, 3, 4, 5]);
      expect(inst[0].location).toEqual({ kind: 'file', path: '/data/1.1.1/IM00004.dcm' });
      expect(inst[0].imageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
      expect(await s.getStudy('9.9')).toBeNull();
      expect(await s.listSeries('9.9')).toEqual([]);
    });

    it('re-import is idempotent; a moved file updates its location', async () => {
      const s = await openStore(await h.newLocation());
      await s.upsertInstances(sampleLibrary());
      const again = await s.upsertInstances(sampleLibrary());
      expect(again.instancesAdded).toBe(0);
      expect(again.instancesAlreadyKnown).toBe(11);
      expect(again.instancesUpdated).toBe(0);
      expect(await s.counts()).toMatchObject({ studies: 3, series: 4, instances: 11 });
      expect((await s.getStudy('1.1'))?.imageCount).toBe(6);
      const moved = syntheticSeries({
        patientId: 'P2',
        patientName: 'Roe^Richard',
        studyUid: '1.3',
        studyDescription: 'Phantom',
        seriesUid: '1.3.1',
        modality: 'CT',
        count: 2,
        dir: '/moved',
      });
      const r = await s.upsertInstances(moved);
      expect(r).toMatchObject({ instancesAdded: 0, instancesUpdated: 2, instancesAlreadyKnown: 0 });
      expect(await s.hasFile('/moved/IM00000.dcm')).toBe(true);
      expect(await s.hasFile('/data/1.3.1/IM00000.dcm')).toBe(false);
    });

    it('searches by patient name, id, date range, modality, description, with paging', async () => {
      const s = await openStore(await h.newLocation());
      await s.upsertInstances(sampleLibrary());
      const uids = async (q: Parameters<LibraryStore['searchStudies']>[0]) =>
        (await s.searchStudies(q)).map((x) => x.studyInstanceUid);
      expect(await uids({})).toEqual(['1.1', '1.2', '1.3']);
      expect(await uids({ patientName: 'doe jane' })).toEqual(['1.1', '1.2']);
      expect(await uids({ patientName: 'RICH' })).toEqual(['1.3']);
      expect(await uids({ patientId: 'p2' })).toEqual(['1.3']);
      expect(await uids({ dateFrom: '20240101' })).toEqual(['1.1']);
      expect(await uids({ dateFrom: '20230101', dateTo: '20231231' })).toEqual(['1.2']);
      expect(await uids({ dateTo: '20240105' })).toEqual(['1.1', '1.2']);
      expect(await uids({ modality: 'ct' })).toEqual(['1.1', '1.3']);
      expect(await uids({ modality: 'SR' })).toEqual(['1.1']);
      expect(await uids({ description: 'brain' })).toEqual(['1.2']);
      expect(await uids({ modality: 'CT', patientId: 'P1' })).toEqual(['1.1']);
      expect(await uids({ patientName: 'nobody' })).toEqual([]);
      expect(await uids({ limit: 1, offset: 1 })).toEqual(['1.2']);
      expect(await uids({ patientName: "O'Brien%_" })).toEqual([]);
    });

    it('removes a study (records only) and its orphan patient', async () => {
      const s = await openStore(await h.newLocation());
      await s.upsertInstances(sampleLibrary());
      expect(await s.removeStudy('1.3')).toBe(true);
      expect(await s.removeStudy('1.3')).toBe(false);
      expect(await s.counts()).toMatchObject({ patients: 1, studies: 2, series: 3, instances: 9 });
      expect(await s.listInstances('1.3.1')).toEqual([]);
      expect(await s.hasFile('/data/1.3.1/IM00000.dcm')).toBe(false);
      expect(await s.removeStudy('1.2')).toBe(true);
      expect(await s.counts()).toMatchObject({ patients: 1, studies: 1 });
    });

    it('stores, lists, filters and removes results', async () => {
      const s = await openStore(await h.newLocation());
      await s.putResult(result('r1'));
      await s.putResult(
        result('r2', {
          createdAt: '2024-02-01T00:00:00.000Z',
          status: 'failed',
          error: 'no lung found',
          payload: undefined,
          payloadPath: '/out/r2.json',
          inputSeriesUids: ['1.1.1', '1.1.2'],
        }),
      );
      await s.putResult(
        result('r3', { pluginId: 'qiview.asl', studyInstanceUid: '1.2', inputSeriesUids: ['1.2.1'] }),
      );
      expect(await s.getResult('r1')).toEqual(result('r1'));
      expect(await s.getResult('nope')).toBeNull();
      const r2 = await s.getResult('r2');
      expect(r2).toMatchObject({ status: 'failed', error: 'no lung found', payloadPath: '/out/r2.json' });
      expect(r2?.payload).toBeUndefined();
      expect((await s.listResults()).map((r) => r.id)).toEqual(['r2', 'r1', 'r3']);
      expect((await s.listResults({ pluginId: 'qiview.example' })).map((r) => r.id)).toEqual(['r2', 'r1']);
      expect((await s.listResults({ seriesInstanceUid: '1.1.2' })).map((r) => r.id)).toEqual(['r2']);
      expect((await s.listResults({ studyInstanceUid: '1.2' })).map((r) => r.id)).toEqual(['r3']);
      expect((await s.listResults({ status: 'done' })).map((r) => r.id)).toEqual(['r1', 'r3']);
      await s.putResult(result('r1', { status: 'failed', error: 'rerun' }));
      expect((await s.getResult('r1'))?.error).toBe('rerun');
      expect(await s.removeResult('r1')).toBe(true);
      expect(await s.removeResult('r1')).toBe(false);
      expect((await s.counts()).results).toBe(2);
    });

    it('persists across close and reopen', async () => {
      const loc = await h.newLocation();
      const a = await h.open(loc);
      await a.upsertInstances(sampleLibrary());
      await a.putResult(result('r1'));
      await a.close();
      const b = await openStore(loc);
      expect(await b.counts()).toEqual({ patients: 2, studies: 3, series: 4, instances: 11, results: 1 });
      expect((await b.getStudy('1.1'))?.modalities).toEqual(['CT', 'SR']);
      expect(await b.getResult('r1')).toEqual(result('r1'));
      expect((await b.upsertInstances(sampleLibrary())).instancesAlreadyKnown).toBe(11);
    });
  });
}

/** How the results suite opens a results store. */
export interface ResultsStoreHarness {
  newLocation(): Promise<string>;
  open(location: string): Promise<ResultsStore>;
}

/** Registers the results-store conformance tests (shared by every {@link ResultsStore}). */
export function describeResultsStore(name: string, h: ResultsStoreHarness): void {
  describe(`${name}: ResultsStore conformance`, () => {
    it('stores, lists, filters, replaces and removes results; persists across reopen', async () => {
      const loc = await h.newLocation();
      const s = await h.open(loc);
      try {
        await s.putResult(result('r1'));
        await s.putResult(
          result('r2', {
            createdAt: '2024-02-01T00:00:00.000Z',
            status: 'failed',
            error: 'no lung found',
            payload: undefined,
            payloadPath: '/out/r2.json',
            inputSeriesUids: ['1.1.1', '1.1.2'],
          }),
        );
        await s.putResult(
          result('r3', { pluginId: 'qiview.asl', studyInstanceUid: '1.2', inputSeriesUids: ['1.2.1'] }),
        );
        expect(await s.getResult('r1')).toEqual(result('r1'));
        expect(await s.getResult('nope')).toBeNull();
        const r2 = await s.getResult('r2');
        expect(r2).toMatchObject({ status: 'failed', error: 'no lung found', payloadPath: '/out/r2.json' });
        expect(r2?.payload).toBeUndefined();
        expect((await s.listResults()).map((r) => r.id)).toEqual(['r2', 'r1', 'r3']);
        expect((await s.listResults({ pluginId: 'qiview.example' })).map((r) => r.id)).toEqual(['r2', 'r1']);
        expect((await s.listResults({ seriesInstanceUid: '1.1.2' })).map((r) => r.id)).toEqual(['r2']);
        expect((await s.listResults({ studyInstanceUid: '1.2' })).map((r) => r.id)).toEqual(['r3']);
        expect((await s.listResults({ status: 'done' })).map((r) => r.id)).toEqual(['r1', 'r3']);
        await s.putResult(result('r1', { status: 'failed', error: 'rerun' }));
        expect((await s.getResult('r1'))?.error).toBe('rerun');
        expect(await s.removeResult('r3')).toBe(true);
        expect(await s.removeResult('r3')).toBe(false);
      } finally {
        await s.close();
      }
      const again = await h.open(loc);
      try {
        expect((await again.listResults()).map((r) => r.id)).toEqual(['r2', 'r1']);
      } finally {
        await again.close();
      }
    });
  });
}
