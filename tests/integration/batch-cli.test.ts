/**
 * `qiview batch <folder>` end to end, no mocks: a generated tree of 20 CT studies (2 of them corrupt) run with the
 * built example plugin in worker threads; summary.csv, resume, SEG/SR read back, measurements equal to the phantom.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dcmjs } from '../../core/common/results/dcmjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeg, readSr } from '../../core/common/results';
import { openSqliteLibraryStore } from '../../core/node/library/sqlite-library-store';
import {
  ctSeriesExpectedHu,
  ctSeriesFiles,
  writeCtSeries,
  type CtSeriesOptions,
} from '../phantoms/ct-series';
import { buildPlugins, readSummary, runBatch, studyDir } from '../support/cli-harness';

const PLUGIN = 'org.qiview.example-threshold';
const N = 20;
const CORRUPT = new Set(['p07/s1', 'p13/s1']);
const phantom = (i: number): CtSeriesOptions => ({
  dims: [32, 32, 8],
  studyUid: `1.2.826.0.1.3680043.10.1.${i + 1}`,
  seriesUid: `1.2.826.0.1.3680043.10.1.${i + 1}.1`,
  patientId: `P${String(i).padStart(2, '0')}`,
});
/** What the example plugin (100..400 HU, largest component) must find: the 300 HU insert cylinder. */
const expectedHu = ctSeriesExpectedHu(phantom(0));
const insertVoxels = expectedHu.reduce((n, v) => n + (v >= 100 && v <= 400 ? 1 : 0), 0);
const voxelMl = (0.8 * 0.8 * 2) / 1000;

let tmp: string;
let tree: string;
let out: string;
let dataDir: string;
const summary = () => readSummary(out);

beforeAll(async () => {
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-cli-'));
  tree = path.join(tmp, 'tree');
  out = path.join(tmp, 'out');
  dataDir = path.join(tmp, 'user');
  for (let i = 0; i < N; i++) {
    const rel = `p${String(i).padStart(2, '0')}/s1`;
    const dir = path.join(tree, rel);
    if (rel === 'p07/s1') {
      // every file truncated in the middle of its header
      await mkdir(dir, { recursive: true });
      for (const f of await ctSeriesFiles(phantom(i)))
        writeFileSync(path.join(dir, f.name), f.bytes.subarray(0, 200));
    } else if (rel === 'p13/s1') {
      await mkdir(dir, { recursive: true });
      writeFileSync(path.join(dir, 'notes.txt'), 'not an image\n');
      writeFileSync(path.join(dir, 'scan.jpg'), new Uint8Array(4096).fill(0xff));
    } else await writeCtSeries(dir, phantom(i));
  }
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qiview batch <folder>', () => {
  it('processes 20 studies with 2 workers: 18 done, 2 failed with reasons', async () => {
    const {
      code,
      io,
      seconds: s,
    } = await runBatch({ source: tree, plugin: PLUGIN, out, dataDir, args: ['--workers', '2'] });
    console.log(
      `batch of ${N} studies, 2 workers: ${s.toFixed(1)} s (${((N / s) * 60).toFixed(0)} studies/min)`,
    );
    expect(code, io.errs.join('\n')).toBe(1); // some failed
    expect(io.lines.at(-1)).toMatch(/18 done, 2 failed of 20/);
    expect(io.errs.some((l) => /^progress 20\/20 /.test(l))).toBe(true);
    const rows = summary();
    expect(rows).toHaveLength(N);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.study_key).sort()).toEqual([...CORRUPT].sort());
    for (const r of failed)
      expect(r.reason).toMatch(/no readable DICOM images \(\d+ file\(s\) skipped: .+\)/);
    expect(failed.find((r) => r.study_key === 'p07/s1')!.reason).toMatch(/truncated|corrupt/);
    expect(failed.find((r) => r.study_key === 'p13/s1')!.reason).toMatch(/not-dicom/);
    for (const r of rows.filter((x) => x.status === 'done')) {
      expect(Number(r.voxel_count)).toBe(insertVoxels);
      expect(Number(r.volume_ml)).toBeCloseTo(insertVoxels * voxelMl, 9);
      expect(Number(r.mean_hu)).toBeCloseTo(300, 6);
      expect(Number(r.sd_hu)).toBeCloseTo(0, 6);
      expect(r.plugin_id).toBe(PLUGIN);
      expect(r.models).toMatch(/^identity@[0-9a-f]{12}$/);
    }
    const staging = path.join(out, '.staging');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    // one result record per done study in the user's SQLite library
    const store = openSqliteLibraryStore(path.join(dataDir, 'library.sqlite'));
    try {
      const results = await store.listResults({ pluginId: PLUGIN });
      expect(results).toHaveLength(N - CORRUPT.size);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('writes SEG and SR that dcmjs reads, with the phantom values', () => {
    const dirs = readdirSync(path.join(out, 'studies'));
    expect(dirs).toHaveLength(N);
    const done = dirs.filter((d) => d.startsWith('p00_s1-'));
    expect(done).toHaveLength(1);
    const dir = path.join(out, 'studies', done[0]!);
    expect(readdirSync(dir).sort()).toEqual([
      'result.json',
      'seg-example-component.dcm',
      'sr.dcm',
      'status.json',
    ]);
    const segBytes = readFileSync(path.join(dir, 'seg-example-component.dcm'));
    const seg = dcmjs.data.DicomMessage.readFile(
      segBytes.buffer.slice(segBytes.byteOffset, segBytes.byteOffset + segBytes.byteLength),
    );
    const segDs = dcmjs.data.DicomMetaDictionary.naturalizeDataset(seg.dict);
    expect(segDs.Modality).toBe('SEG');
    expect(segDs.StudyInstanceUID).toBe(phantom(0).studyUid);
    const lm = readSeg(segBytes);
    expect(lm.data.reduce((a: number, b: number) => a + (b ? 1 : 0), 0)).toBe(insertVoxels);
    const sr = readSr(readFileSync(path.join(dir, 'sr.dcm')));
    const m = Object.fromEntries(sr.measurements.map((x) => [x.key, x.value]));
    expect(m.voxel_count).toBe(insertVoxels);
    expect(m.mean_hu).toBeCloseTo(300, 6);
    expect(m.volume_ml).toBeCloseTo(insertVoxels * voxelMl, 9);
  });

  it('a re-run does nothing (all skipped) and keeps the same outputs', async () => {
    const before = readFileSync(path.join(studyDir(out), 'status.json'), 'utf8');
    const { code, io } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir,
      args: ['--no-results'],
    });
    expect(code).toBe(1); // the two corrupt studies are still failed
    expect(io.errs.some((l) => /skipped=20 /.test(l))).toBe(true);
    expect(io.errs.some((l) => /^failed /.test(l))).toBe(false);
    const after = readFileSync(path.join(studyDir(out), 'status.json'), 'utf8');
    expect(after).toBe(before);
    expect(summary()).toHaveLength(N);
  }, 30_000);

  it('--retry-failed redoes only the failed ones; a fixed study then succeeds (exit 0)', async () => {
    await writeCtSeries(path.join(tree, 'p13/s1'), phantom(13));
    rmSync(path.join(tree, 'p07/s1'), { recursive: true, force: true });
    await writeCtSeries(path.join(tree, 'p07/s1'), phantom(7));
    const { code, io } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir,
      args: ['--retry-failed', '--no-results'],
    });
    expect(code, io.errs.join('\n')).toBe(0);
    expect(io.errs.some((l) => /done=2 failed=0 skipped=18/.test(l))).toBe(true);
    expect(summary().every((r) => r.status === 'done')).toBe(true);
  }, 30_000);

  it('refuses bad usage with clear messages', async () => {
    let r = await runBatch({ source: tree, plugin: 'no.such.plugin', out });
    expect(r.code).toBe(1);
    expect(r.io.errs.join('\n')).toMatch(/plugin no.such.plugin not found/);
    r = await runBatch({ source: tree, plugin: PLUGIN, out, args: ['--param', 'nope=1'] });
    expect(r.code).toBe(1);
    expect(r.io.errs.join('\n')).toMatch(/unknown parameter "nope"/);
    r = await runBatch({ source: tree, plugin: PLUGIN, out, args: ['--stow'] });
    expect(r.code).toBe(2);
    expect(r.io.errs.join('\n')).toMatch(/--stow needs a DICOMweb source/);
  });
});
