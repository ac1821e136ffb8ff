/**
 * The renderer's result store over a fake `window.qiview` (an in-memory main process that validates every request
 * with the real channel schemas and keeps only JSON text and copied bytes, as IPC would): a run stored by the
 * results history re-opens with identical values and voxels, a signed report added later keeps the voxels, missing
 * results read as null, refusals surface with their code; the platform picks the bridge only when it exists.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CHANNEL_SCHEMAS,
  CHANNELS,
  fail,
  ok,
  type QiviewApi,
  type StoredResult,
} from '../../electron/common/api';
import { buildReport } from '../../core/common/report/build-report';
import { signReport } from '../../core/common/report/signed-report';
import { syntheticAslCase } from '../../core/common/report/synthetic-results';
import { loadStoredResult, setResultsHistoryStore, storeRun } from '../results/results-history';
import { loadReportHistory, saveSignedReport } from '../report/signed-report-store';
import { createBridgeResultStore, createIdbResultStore, getResultStore } from './result-store';

interface Kept {
  meta: StoredResult['record'];
  payloadJson: string;
  attachments: Map<string, Uint8Array>;
}

/** A fake bridge: the results channels over a Map, requests checked with the real zod schemas. */
function fakeBridge() {
  const db = new Map<string, Kept>();
  const calls: string[] = [];
  const stored = (k: Kept): StoredResult => ({
    record: { ...k.meta, payload: JSON.parse(k.payloadJson) as unknown },
    attachments: [...k.attachments].map(([name, b]) => ({ name, bytes: b.byteLength })).sort(),
  });
  const check = (channel: keyof typeof CHANNEL_SCHEMAS, req: unknown) => {
    calls.push(channel);
    const r = CHANNEL_SCHEMAS[channel].request.safeParse(req);
    if (!r.success) throw Object.assign(new Error('invalid'), { issues: r.error.issues });
    return r.data as never;
  };
  const api = {
    apiVersion: 1,
    putResult: async (req: unknown) => {
      let r: {
        record: Kept['meta'];
        payloadJson: string;
        attachments?: Record<string, ArrayBuffer | Uint8Array>;
      };
      try {
        r = check(CHANNELS.putResult, req);
      } catch {
        return fail('INVALID_REQUEST', 'invalid request for results:put');
      }
      const old = db.get(r.record.id);
      const attachments = r.attachments
        ? new Map(Object.entries(r.attachments).map(([n, b]) => [n, new Uint8Array(b.slice(0))]))
        : (old?.attachments ?? new Map<string, Uint8Array>());
      const k = { meta: structuredClone(r.record), payloadJson: r.payloadJson, attachments };
      db.set(r.record.id, k);
      return ok(stored(k));
    },
    getResult: async (req: unknown) => {
      const { id } = check(CHANNELS.getResult, req) as { id: string };
      const k = db.get(id);
      return k ? ok(stored(k)) : fail('NOT_FOUND', `no result ${id}`);
    },
    listResults: async (req: unknown) => {
      const q = check(CHANNELS.listResults, req) as { studyInstanceUid?: string };
      const rows = [...db.values()].filter(
        (k) => !q.studyInstanceUid || k.meta.studyInstanceUid === q.studyInstanceUid,
      );
      return ok({ results: rows.map(stored) });
    },
    readResultAttachment: async (req: unknown) => {
      const { id, name } = check(CHANNELS.readResultAttachment, req) as { id: string; name: string };
      const b = db.get(id)?.attachments.get(name);
      return b ? ok(b.slice()) : fail('NOT_FOUND', `no ${name}`);
    },
    removeResult: async (req: unknown) => {
      const { id } = check(CHANNELS.removeResult, req) as { id: string };
      return ok({ removed: db.delete(id) });
    },
  } as unknown as QiviewApi;
  return { api, db, calls };
}

afterEach(() => setResultsHistoryStore(undefined));

describe('result store over the bridge (desktop library)', () => {
  it('stores a run through the bridge; it re-opens with identical values and voxels; a signed report keeps them', async () => {
    const { api, db, calls } = fakeBridge();
    const store = createBridgeResultStore(api);
    expect(store.kind).toBe('desktop-library');
    setResultsHistoryStore(store);
    const c = syntheticAslCase();
    expect(c.result.maps.length + c.result.labelmaps.length).toBeGreaterThan(0);

    const id = await storeRun({
      provenance: c.provenance,
      status: 'done',
      result: c.result,
      studyInstanceUid: '1.2',
    });
    expect(calls).toContain('results:put');
    const kept = db.get(id);
    expect(kept?.attachments.size).toBe(c.result.maps.length + c.result.labelmaps.length);
    // the record carries no path from the page
    expect(Object.keys(kept?.meta ?? {})).not.toContain('payloadPath');

    const back = await loadStoredResult(id);
    expect(back.result.measurements).toEqual(c.result.measurements);
    for (const [i, m] of c.result.maps.entries())
      expect(Array.from(back.result.maps[i]!.volume.data)).toEqual(Array.from(m.volume.data));
    for (const [i, l] of c.result.labelmaps.entries())
      expect(Array.from(back.result.labelmaps[i]!.data)).toEqual(Array.from(l.data));

    // a signed report appended later goes through putResult without attachments: the voxels stay
    const draft = {
      model: buildReport(c.result, c.provenance, { locale: 'en', now: new Date('2026-11-25T06:00:00Z') }),
      images: [],
      comment: 'ok',
    };
    const rec = (await store.getResult(id))!;
    const v1 = await signReport(draft, { signer: 'Dr Li' });
    expect(await saveSignedReport(rec, v1, store)).toHaveLength(1);
    expect(await loadReportHistory(id, store)).toHaveLength(1);
    expect(db.get(id)?.attachments.size).toBe(kept?.attachments.size);
    const again = await loadStoredResult(id);
    expect(Array.from(again.result.maps[0]?.volume.data ?? [])).toEqual(
      Array.from(c.result.maps[0]?.volume.data ?? []),
    );

    expect((await store.listResults({ studyInstanceUid: '1.2' })).map((r) => r.id)).toEqual([id]);
    expect(await store.listResults({ studyInstanceUid: '9.9' })).toEqual([]);
    expect(await store.getResult('result-absent')).toBeNull();
    expect(await store.getAttachment(id, 'map/absent')).toBeNull();
    expect(await store.removeResult(id)).toBe(true);
    expect(await store.getResult(id)).toBeNull();
  });

  it('sends attachments as standalone ArrayBuffers (views into a larger buffer are copied) and surfaces refusals', async () => {
    const { api, db } = fakeBridge();
    const store = createBridgeResultStore(api);
    const big = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const rec = {
      id: 'r1',
      pluginId: 'p',
      pluginVersion: '1',
      modelVersions: {},
      inputSeriesUids: ['1.2.3'],
      createdAt: '2026-01-01T00:00:00Z',
      status: 'done' as const,
    };
    await store.putResult(rec, { a: big.subarray(2, 5) });
    expect(Array.from(db.get('r1')!.attachments.get('a')!)).toEqual([1, 2, 3]);
    expect(await store.getResult('r1')).toEqual(rec); // no payload stored, none read back
    await expect(store.putResult({ ...rec, id: '../evil' })).rejects.toThrow(/INVALID_REQUEST/);
  });

  it('the platform picks the bridge only when window.qiview exists; web mode uses IndexedDB', async () => {
    expect(getResultStore().kind).toBe('indexeddb');
    const idb = createIdbResultStore();
    const rec = {
      id: 'w1',
      pluginId: 'p',
      pluginVersion: '1',
      modelVersions: {},
      inputSeriesUids: ['1.2.3'],
      createdAt: '2026-01-01T00:00:00Z',
      status: 'done' as const,
      payload: { x: 1 },
    };
    await idb.putResult(rec, { a: new Uint8Array([5, 6]) });
    expect(await idb.getResult('w1')).toEqual(rec);
    expect(Array.from((await idb.getAttachment('w1', 'a'))!)).toEqual([5, 6]);
    expect(await idb.removeResult('w1')).toBe(true);
    expect(await idb.getAttachment('w1', 'a')).toBeNull();
  });
});
