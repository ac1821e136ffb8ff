import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openIdbLibraryStore } from '../../core/browser/library/idb-library-store';
import { buildReport } from '../../core/common/report/build-report';
import { signReport, verifySignedReport, type ReportDraft } from '../../core/common/report/signed-report';
import { syntheticAslCase } from '../../core/common/report/synthetic-results';
import {
  listSignedReports,
  loadReportHistory,
  saveSignedReport,
  type ReportResultMeta,
} from './signed-report-store';

const c = syntheticAslCase();
const draft: ReportDraft = {
  model: buildReport(c.result, c.provenance, { locale: 'en', now: new Date('2026-11-25T06:00:00Z') }),
  images: [],
  comment: 'ok',
};
const meta: ReportResultMeta = {
  id: 'result-1',
  pluginId: 'org.qiview.asl-perfusion',
  pluginVersion: '0.1.0',
  modelVersions: {},
  inputSeriesUids: ['1.2.3'],
  studyInstanceUid: '1.2',
  createdAt: '2026-11-20T09:30:00.000Z',
};

describe('signed reports in the IndexedDB library', () => {
  it('appends versions to the result record, keeps its other payload, and reads back verifiable reports', async () => {
    const store = await openIdbLibraryStore('report-test-1');
    const run = { ...meta, createdAt: '2026-11-20T09:31:00.000Z', modelVersions: { m: 'sha256:ab' } };
    await store.putResult({ ...run, status: 'done', payload: { format: 'other', document: { a: 1 } } });
    const v1 = await signReport(draft, { signer: 'Dr Li' });
    expect(await saveSignedReport(meta, v1, store)).toHaveLength(1);
    const v2 = await signReport(
      { ...draft, comment: 'amended' },
      { signer: 'Dr Li', previous: v1, amendReason: 'x' },
    );
    await saveSignedReport(meta, v2, store);

    const rec = await store.getResult('result-1');
    expect(rec?.payload).toMatchObject({ format: 'other', document: { a: 1 } });
    expect(rec).toMatchObject({ createdAt: run.createdAt, modelVersions: run.modelVersions });
    const h = await loadReportHistory('result-1', store);
    expect(h.map((r) => r.signature.version)).toEqual([1, 2]);
    for (const r of h) expect(await verifySignedReport(r)).toBe(true);
    const list = await listSignedReports(store);
    expect(list).toEqual([{ resultId: 'result-1', latest: h[1], versions: 2 }]);
    expect(await loadReportHistory('nothing', store)).toEqual([]);
  });

  it('refuses to store a second version 1 (a signed report is never overwritten)', async () => {
    const store = await openIdbLibraryStore('report-test-2');
    const a = await signReport(draft, { signer: 'Dr Li' });
    const b = await signReport({ ...draft, comment: 'other' }, { signer: 'Dr Wang' });
    await saveSignedReport(meta, a, store);
    await expect(saveSignedReport(meta, b, store)).rejects.toThrow(/cannot follow version 1/);
    const h = await loadReportHistory('result-1', store);
    expect(h).toHaveLength(1);
    expect(h[0]!.signature.sha256).toBe(a.signature.sha256);
  });

  it('creates the record from the run metadata when the result was not stored yet', async () => {
    const store = await openIdbLibraryStore('report-test-3');
    await saveSignedReport(meta, await signReport(draft, { signer: 'Dr Li' }), store);
    expect(await store.getResult('result-1')).toMatchObject({ ...meta, status: 'done' });
    expect(await store.listResults({ studyInstanceUid: '1.2' })).toHaveLength(1);
  });
});
