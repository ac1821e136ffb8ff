/**
 * The results channels over the real SQLite library store and the user-data folder, through the IPC router: a put
 * survives a restart (the store reopened) with an identical record and identical attachment bytes; a put without
 * attachments keeps the stored ones; bad, oversized or foreign calls are refused with their error codes; remove
 * deletes the record and its files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MAX_RESULT_PAYLOAD_CHARS,
  type IpcResult,
  type ListResultsResponse,
  type StoredResult,
} from '../common/api';
import { openLibraryServices, type LibraryServices } from './library-services';
import { ipcValue, routerOverServices } from './services-test-router';
import { createResultsService, resultFolderName } from './results-service';
import { openSqliteLibraryStore } from '../../core/node/library/sqlite-library-store';
import { mkdirSync, writeFileSync } from 'node:fs';

const dirs: string[] = [];
const open: Pick<LibraryServices, 'close'>[] = [];
afterAll(async () => {
  for (const s of open) await s.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const routerOver = routerOverServices;
const value = ipcValue;
const code = (r: IpcResult<unknown>) => (r.ok ? 'OK' : r.error.code);

const RECORD = {
  id: 'result-0123456789abcdef0123456789abcdef',
  pluginId: 'org.qiview.liver-seg',
  pluginVersion: '1.2.0',
  modelVersions: { liver: 'sha256:abcd' },
  inputSeriesUids: ['1.2.826.0.1.3680043.10.99.7.1'],
  studyInstanceUid: '1.2.826.0.1.3680043.10.99.7',
  createdAt: '2026-12-07T03:00:00.000Z',
  status: 'done' as const,
};
const PAYLOAD = {
  format: 'qiview-result-record/1',
  document: { measurements: [{ name: 'volume', value: 1234.5, unit: 'mL' }] },
  voxels: { labelmaps: { liver: { blob: 'labelmap/liver', type: 'uint8', length: 4096 } }, maps: {} },
};

describe('results channels (SQLite record + attachment files behind the IPC router)', () => {
  it('put -> restart -> list/get give the identical record and attachment bytes; remove deletes the files', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-results-'));
    dirs.push(dir);
    const paths = { libraryDb: path.join(dir, 'library.sqlite'), resultsDir: path.join(dir, 'results') };
    const labels = new Uint8Array(4096).map((_, i) => (i * 7) % 251);
    const map = new Float32Array(1000).map((_, i) => Math.sin(i) * 100);

    const s1 = await openLibraryServices(paths, () => {});
    open.push(s1);
    const call1 = routerOver(s1);
    const put = value(
      await call1<StoredResult>('results:put', {
        record: RECORD,
        payloadJson: JSON.stringify(PAYLOAD),
        // one attachment as an ArrayBuffer (what the page sends), one as a byte view
        attachments: {
          'labelmap/liver': labels.slice().buffer,
          'map/t1': new Uint8Array(map.buffer.slice(0)),
        },
      }),
    );
    expect(put.record).toEqual({ ...RECORD, payload: PAYLOAD });
    expect(put.attachments).toEqual([
      { name: 'labelmap/liver', bytes: 4096 },
      { name: 'map/t1', bytes: 4000 },
    ]);
    // a second, older result of another plugin on another series
    value(
      await call1('results:put', {
        record: {
          ...RECORD,
          id: 'failed-1',
          pluginId: 'org.qiview.other',
          status: 'failed',
          error: 'model missing',
          inputSeriesUids: ['9.9'],
          studyInstanceUid: '9',
          createdAt: '2026-12-06T00:00:00.000Z',
        },
        payloadJson: '{"provenance":{}}',
      }),
    );
    await s1.close();

    // restart: a fresh store over the same database and folder
    const s2 = await openLibraryServices(paths, () => {});
    open.push(s2);
    const call2 = routerOver(s2);
    const got = value(await call2<StoredResult>('results:get', { id: RECORD.id }));
    expect(got).toEqual(put);
    const byStudy = value(
      await call2<ListResultsResponse>('results:list', { studyInstanceUid: RECORD.studyInstanceUid }),
    );
    expect(byStudy.results).toEqual([put]);
    const bySeries = value(await call2<ListResultsResponse>('results:list', { seriesInstanceUid: '9.9' }));
    expect(bySeries.results.map((r) => [r.record.id, r.record.error])).toEqual([
      ['failed-1', 'model missing'],
    ]);
    const byPlugin = value(await call2<ListResultsResponse>('results:list', { pluginId: RECORD.pluginId }));
    expect(byPlugin.results.map((r) => r.record.id)).toEqual([RECORD.id]);
    const all = value(await call2<ListResultsResponse>('results:list', {}));
    expect(all.results.map((r) => r.record.id)).toEqual([RECORD.id, 'failed-1']); // newest first
    const lab = value(
      await call2<Uint8Array>('results:readAttachment', { id: RECORD.id, name: 'labelmap/liver' }),
    );
    expect(Buffer.from(lab).equals(Buffer.from(labels))).toBe(true);
    const mp = value(await call2<Uint8Array>('results:readAttachment', { id: RECORD.id, name: 'map/t1' }));
    expect(Array.from(new Float32Array(mp.buffer, mp.byteOffset, mp.byteLength / 4))).toEqual(
      Array.from(map),
    );
    expect(code(await call2('results:readAttachment', { id: RECORD.id, name: 'map/none' }))).toBe(
      'NOT_FOUND',
    );
    expect(code(await call2('results:get', { id: 'result-absent' }))).toBe('NOT_FOUND');

    // the files sit in one folder per result next to the database; the record points at its payload
    const folder = path.join(paths.resultsDir, resultFolderName(RECORD.id));
    expect(readdirSync(folder).sort()).toEqual(['0.bin', '1.bin', 'attachments.json', 'payload.json']);
    expect(JSON.parse(readFileSync(path.join(folder, 'payload.json'), 'utf8'))).toEqual(PAYLOAD);

    // a put without attachments (a signed report added to the payload) keeps the voxels
    const signed = { ...PAYLOAD, signedReports: [{ version: 1 }] };
    const kept = value(
      await call2<StoredResult>('results:put', { record: RECORD, payloadJson: JSON.stringify(signed) }),
    );
    expect(kept.record.payload).toEqual(signed);
    expect(kept.attachments).toEqual(put.attachments);
    const lab2 = value(
      await call2<Uint8Array>('results:readAttachment', { id: RECORD.id, name: 'labelmap/liver' }),
    );
    expect(Buffer.from(lab2).equals(Buffer.from(labels))).toBe(true);
    // no temporary folders left behind
    expect(readdirSync(paths.resultsDir).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual(
      [],
    );

    // remove: record and folder gone
    expect(value(await call2<{ removed: boolean }>('results:remove', { id: RECORD.id }))).toEqual({
      removed: true,
    });
    expect(value(await call2<{ removed: boolean }>('results:remove', { id: RECORD.id }))).toEqual({
      removed: false,
    });
    expect(existsSync(folder)).toBe(false);
    expect(code(await call2('results:get', { id: RECORD.id }))).toBe('NOT_FOUND');
  });

  it('refuses malformed, oversized and foreign calls, storing nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-results-bad-'));
    dirs.push(dir);
    const paths = { libraryDb: path.join(dir, 'library.sqlite'), resultsDir: path.join(dir, 'results') };
    const s = await openLibraryServices(paths, () => {});
    open.push(s);
    const call = routerOver(s);
    const good = { record: RECORD, payloadJson: '{}' };
    const cases: [string, unknown][] = [
      ['payload not JSON', { ...good, payloadJson: '{"a":' }],
      ['payload too long', { ...good, payloadJson: `"${'x'.repeat(MAX_RESULT_PAYLOAD_CHARS)}"` }],
      ['unknown key', { ...good, extra: 1 }],
      ['record unknown key', { ...good, record: { ...RECORD, payloadPath: '/etc/passwd' } }],
      ['bad id', { ...good, record: { ...RECORD, id: '../../evil' } }],
      ['bad status', { ...good, record: { ...RECORD, status: 'maybe' } }],
      ['attachment name ..', { ...good, attachments: { '../x': new ArrayBuffer(1) } }],
      ['attachment name /abs', { ...good, attachments: { '/abs': new ArrayBuffer(1) } }],
      ['attachment not bytes', { ...good, attachments: { a: [1, 2, 3] } }],
      ['attachment string', { ...good, attachments: { a: 'AAAA' } }],
      [
        'too many attachments',
        {
          ...good,
          attachments: Object.fromEntries(
            Array.from({ length: 257 }, (_, i) => [`a${i}`, new ArrayBuffer(1)]),
          ),
        },
      ],
    ];
    for (const [what, req] of cases)
      expect(code(await call('results:put', req)), what).toBe('INVALID_REQUEST');
    // an attachment over 1 GiB: a fake byte view that only claims its size (nothing is allocated)
    const huge = new Uint8Array(1);
    Object.defineProperty(huge, 'byteLength', { value: 1024 * 1024 * 1024 + 1 });
    const tooBig = await call('results:put', { ...good, attachments: { big: huge } });
    expect(code(tooBig)).toBe('INVALID_REQUEST');
    expect(tooBig.ok ? [] : tooBig.error.issues).toEqual(['attachments.big: attachment larger than 1 GiB']);
    expect(code(await call('results:get', { id: 'x/y' }))).toBe('INVALID_REQUEST');
    expect(code(await call('results:list', { modality: 'CT' }))).toBe('INVALID_REQUEST');
    // foreign senders and unknown channels
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'qiview://app.evil/index.html']) {
      const r = await call('results:put', good, { senderFrame: { url }, sender: {} });
      expect(code(r), url).toBe('FORBIDDEN_SENDER');
      expect(code(await call('results:list', {}, { senderFrame: { url } }))).toBe('FORBIDDEN_SENDER');
    }
    expect(code(await call('results:list', {}, { senderFrame: null }))).toBe('FORBIDDEN_SENDER');
    expect(code(await call('results:putRaw', good))).toBe('UNKNOWN_CHANNEL');
    // nothing was stored
    expect(value(await call<ListResultsResponse>('results:list', {})).results).toEqual([]);
    expect(existsSync(paths.resultsDir) ? readdirSync(paths.resultsDir) : []).toEqual([]);
  });

  it('is atomic: a database refusal puts the previous files back; leftovers of a crash are swept', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-results-atomic-'));
    dirs.push(dir);
    const resultsDir = path.join(dir, 'results');
    const store = openSqliteLibraryStore(path.join(dir, 'library.sqlite'));
    let refuse = false;
    const flaky = Object.assign(Object.create(store) as typeof store, {
      putResult: (r: Parameters<typeof store.putResult>[0]) =>
        refuse ? Promise.reject(new Error('database is locked')) : store.putResult(r),
    });
    const svc = createResultsService(flaky, resultsDir);
    const v1 = await svc.put({
      record: RECORD,
      payloadJson: '{"v":1}',
      attachments: { a: new Uint8Array([1, 2]) },
    });
    // a crash mid-put left a temporary folder and an old one behind
    const base = path.join(resultsDir, resultFolderName(RECORD.id));
    mkdirSync(`${base}.tmp-crashed`);
    writeFileSync(`${base}.tmp-crashed/payload.json`, '{"v":"half"}');
    mkdirSync(`${base}.old-crashed`);
    refuse = true;
    await expect(
      svc.put({ record: RECORD, payloadJson: '{"v":2}', attachments: { a: new Uint8Array([3]) } }),
    ).rejects.toThrow(/database is locked/);
    refuse = false;
    // the stored result is still version 1, files and record alike
    expect(await svc.get(RECORD.id)).toEqual(v1);
    expect(Array.from((await svc.readAttachment(RECORD.id, 'a'))!)).toEqual([1, 2]);
    expect(readdirSync(resultsDir)).toEqual([resultFolderName(RECORD.id)]);
    await store.close();
  });

  it('answers UNAVAILABLE when the library database cannot be opened', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'qiview-results-unavail-'));
    dirs.push(dir);
    const s = await openLibraryServices({ libraryDb: dir }, () => {});
    const call = routerOver(s);
    expect(code(await call('results:list', {}))).toBe('UNAVAILABLE');
    expect(code(await call('results:put', { record: RECORD, payloadJson: '{}' }))).toBe('UNAVAILABLE');
    await s.close();
  });
});
