import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchStudy, StudyProcessor } from './batch-types';
import { runBatch } from './run-batch';
import { StudyLedger } from './study-ledger';
import { csvField, summaryCsv } from './summary-csv';

let out: string;
beforeEach(() => (out = mkdtempSync(path.join(tmpdir(), 'batch-'))));
afterEach(() => rmSync(out, { recursive: true, force: true }));

const studies: BatchStudy[] = Array.from({ length: 10 }, (_, i) => ({
  key: `1.2.3.${i}`,
  identifiers: { patient_id: `P${i}` },
  source: { kind: 'files', paths: [`/data/${i}`] },
}));
let calls: string[] = [];
const process: StudyProcessor = async (s, ws) => {
  calls.push(s.key);
  await new Promise((r) => setTimeout(r, 5));
  if (s.key.endsWith('.3') || s.key.endsWith('.7')) throw new Error(`no CT series in study ${s.key}`);
  writeFileSync(path.join(ws.dir, 'result.json'), JSON.stringify({ key: s.key }));
  return {
    measurements: { volume_ml: Number(s.key.split('.').pop()) * 10 },
    pluginId: 'org.test',
    pluginVersion: '1.0.0',
    models: {},
    files: ['result.json'],
  };
};
const base = { process, pluginId: 'org.test', pluginVersion: '1.0.0' };

describe('runBatch', () => {
  it('records failures with reasons without stopping, resumes, and retries failed only when asked', async () => {
    calls = [];
    const r1 = await runBatch({ ...base, outDir: out, studies, workers: 2 });
    expect([r1.done, r1.failed, r1.skipped]).toEqual([8, 2, 0]);
    const ledger = new StudyLedger(out);
    expect(ledger.get('1.2.3.3')).toMatchObject({
      status: 'failed',
      reason: 'no CT series in study 1.2.3.3',
    });
    expect(ledger.get('1.2.3.4')).toMatchObject({ status: 'done', measurements: { volume_ml: 40 } });
    expect(existsSync(path.join(ledger.studiesDir, ledger.folderOf('1.2.3.4'), 'result.json'))).toBe(true);

    calls = [];
    const r2 = await runBatch({ ...base, outDir: out, studies: [...studies, studies[0]!], workers: 2 });
    expect([r2.done, r2.failed, r2.skipped, calls.length]).toEqual([0, 0, 10, 0]);

    calls = [];
    const r3 = await runBatch({ ...base, outDir: out, studies, retryFailed: true });
    expect(calls.sort()).toEqual(['1.2.3.3', '1.2.3.7']);
    expect([r3.done, r3.failed, r3.skipped]).toEqual([0, 2, 8]);
    expect(ledger.all()).toHaveLength(10);

    const csv = summaryCsv(ledger.all()).trim().split('\r\n');
    expect(csv[0]).toBe(
      'study_key,patient_id,status,reason,qc,qc_reasons,plugin_id,plugin_version,models,volume_ml,finished_at,worker',
    );
    expect(csv).toHaveLength(11);
    expect(csv.find((l) => l.startsWith('1.2.3.5,'))).toMatch(
      /^1\.2\.3\.5,P5,done,,,,org\.test,1\.0\.0,,50,/,
    );
  });

  it('cancels cleanly: running studies are discarded, nothing half-written, the rest run next time', async () => {
    const ctl = new AbortController();
    const slow: StudyProcessor = async (s, ws) => {
      writeFileSync(path.join(ws.dir, 'partial.bin'), 'x');
      if (s.key === '1.2.3.2') ctl.abort();
      await new Promise((r) => setTimeout(r, 20));
      return { measurements: {}, pluginId: 'p', pluginVersion: '1', models: {}, files: [] };
    };
    const r = await runBatch({ ...base, process: slow, outDir: out, studies, signal: ctl.signal });
    expect(r.done).toBe(2);
    expect(r.cancelled).toBe(8);
    expect(readdirSync(path.join(out, 'studies'))).toHaveLength(2);
    expect(existsSync(path.join(out, '.staging')) ? readdirSync(path.join(out, '.staging')) : []).toEqual([]);
    const again = await runBatch({ ...base, outDir: out, studies });
    expect(again.skipped).toBe(2);
    expect(again.done + again.failed).toBe(8);
  });

  it('a re-delivered study replaces its older run as a whole', async () => {
    const ledger = new StudyLedger(out);
    for (const v of [1, 2]) {
      const st = ledger.stage('k');
      writeFileSync(path.join(st, 'v.txt'), String(v));
      ledger.commit(st, {
        key: 'k',
        status: 'done',
        identifiers: {},
        measurements: { v },
        pluginId: 'p',
        pluginVersion: '1',
        models: {},
        files: [],
        startedAt: '',
        finishedAt: '',
        worker: 'w',
      });
    }
    expect(ledger.all()).toHaveLength(1);
    expect(readFileSync(path.join(ledger.studiesDir, ledger.folderOf('k'), 'v.txt'), 'utf8')).toBe('2');
  });
});

describe('csvField', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(NaN)).toBe('');
  });
});
