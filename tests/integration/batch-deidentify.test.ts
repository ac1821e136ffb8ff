/**
 * `qiview batch <folder> --deidentify` end to end, no mocks: source folders named like patients (the usual export
 * layout), CT phantoms with PatientID/PatientName/UIDs. Nothing written into the output folder, except the
 * documented re-identification key folder `.qiview`, may carry the source identity: not in file or folder names,
 * not in summary.csv, status.json, result.json or the DICOM objects. Resume and --retry-failed keep working under
 * the pseudonyms, and the pseudonyms come from the output folder's secret (not computable from the source key).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableUid } from '../../core/common/dicom/stable-uid';
import { readSr } from '../../core/common/results';
import { readDataset } from '../../core/common/results/dcmjs';
import {
  DEID_MARKER,
  REIDENTIFY_DIR,
  REIDENTIFY_LINKAGE,
  secretPath,
  StudyPseudonyms,
} from '../../core/node/batch/study-pseudonyms';
import {
  ctSeriesExpectedHu,
  ctSeriesFiles,
  writeCtSeries,
  type CtSeriesOptions,
} from '../phantoms/ct-series';
import { buildPlugins, readSummary, runBatch } from '../support/cli-harness';
import { findLeaks, listTree } from '../support/leak-scan';

const PLUGIN = 'org.qiview.example-threshold';
/** Source folders named after the patient, as research exports often are; the last one is broken at first. */
const FOLDERS = ['DOE_JANE_MRN4711', 'ROE_RICHARD_MRN4712', 'SMITH_ANNA_MRN4713'];
const BROKEN = FOLDERS[2]!;
const phantom = (i: number): CtSeriesOptions => ({
  dims: [32, 32, 8],
  studyUid: `1.2.826.0.1.3680043.10.77.${i + 1}`,
  seriesUid: `1.2.826.0.1.3680043.10.77.${i + 1}.1`,
  patientId: `MRN471${i + 1}`,
});
const insertVoxels = ctSeriesExpectedHu(phantom(0)).reduce((n, v) => n + (v >= 100 && v <= 400 ? 1 : 0), 0);
/** What must not appear anywhere in the shared output. */
const NEEDLES = [
  ...FOLDERS,
  ...FOLDERS.map((_, i) => phantom(i).studyUid!), // also a prefix of the series and instance UIDs
  ...FOLDERS.map((_, i) => phantom(i).patientId!),
  'Phantom^CT', // PatientName of the phantoms
];

let tmp: string;
let tree: string;
let out: string;
let dataDir: string;
const batch = (...args: string[]) =>
  runBatch({ source: tree, plugin: PLUGIN, out, dataDir, args: ['--deidentify', '--no-results', ...args] });

beforeAll(async () => {
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-deid-'));
  tree = path.join(tmp, 'tree');
  out = path.join(tmp, 'out');
  dataDir = path.join(tmp, 'user');
  for (const [i, f] of FOLDERS.entries()) {
    const dir = path.join(tree, f);
    if (f === BROKEN) {
      // every file truncated inside its header: fails, and its reason must not name the folder either
      await mkdir(dir, { recursive: true });
      for (const x of await ctSeriesFiles(phantom(i)))
        writeFileSync(path.join(dir, x.name), x.bytes.subarray(0, 200));
    } else await writeCtSeries(dir, phantom(i));
  }
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('qiview batch <folder> --deidentify', () => {
  let firstTree: string[] = [];
  let firstSummary: Array<Record<string, string>> = [];

  it('nothing under the output folder (names, summary.csv, status.json, outputs) names a source study', async () => {
    const { code, io } = await batch('--workers', '2');
    expect(code, io.errs.join('\n')).toBe(1); // the broken study failed
    expect(io.lines.at(-1)).toMatch(/2 done, 1 failed of 3/);
    expect(existsSync(secretPath(out))).toBe(true);
    expect(readFileSync(secretPath(out), 'utf8')).toMatch(/re-identification key/);
    expect(io.errs.some((l) => l.includes(secretPath(out)))).toBe(true); // the operator is told where it is

    const leaks = findLeaks(out, NEEDLES, [REIDENTIFY_DIR]);
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);

    const rows = readSummary(out);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => /^study-[0-9a-f]{20}$/.test(r.study_key!))).toBe(true);
    expect(Object.keys(rows[0]!)).not.toContain('folder'); // no identifier columns
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toMatch(/no readable DICOM images/);

    // each study folder is named from its pseudonym only, and its status.json records the pseudonym
    const dirs = readdirSync(path.join(out, 'studies')).sort();
    expect(dirs).toHaveLength(3);
    for (const r of rows) {
      const d = dirs.filter((x) => x.startsWith(`${r.study_key}-`));
      expect(d).toHaveLength(1);
      const status = JSON.parse(readFileSync(path.join(out, 'studies', d[0]!, 'status.json'), 'utf8'));
      expect(status.key).toBe(r.study_key);
      expect(status.identifiers).toEqual({});
    }

    // the linkage table kept back maps each pseudonym to its source folder
    const linkage = readFileSync(path.join(out, REIDENTIFY_DIR, REIDENTIFY_LINKAGE), 'utf8');
    const p = StudyPseudonyms.forOutDir(out);
    for (const f of FOLDERS) expect(linkage).toContain(`${p.studyKey(f)},${f}`);
    expect(new Set(FOLDERS.map((f) => p.studyKey(f)))).toEqual(new Set(rows.map((r) => r.study_key)));

    // the de-identified SR keeps the measurements; its StudyInstanceUID is the secret-keyed one, not the
    // unkeyed value anyone could compute from the source UID (stableUid('deid\n' + key + '\n' + uid))
    const doneKey = p.studyKey(FOLDERS[0]!);
    const dir = path.join(
      out,
      'studies',
      dirs.find((x) => x.startsWith(`${doneKey}-`))!,
    );
    const sr = readFileSync(path.join(dir, 'sr.dcm'));
    const ds = readDataset(new Uint8Array(sr));
    expect(ds.StudyInstanceUID).toBe(p.uid(FOLDERS[0]!, phantom(0).studyUid!));
    expect(ds.StudyInstanceUID).not.toBe(stableUid(`deid\n${FOLDERS[0]}\n${phantom(0).studyUid}`));
    const m = Object.fromEntries(readSr(sr).measurements.map((x) => [x.key, x.value]));
    expect(m.voxel_count).toBe(insertVoxels);
    expect(m.mean_hu).toBeCloseTo(300, 6);

    firstTree = listTree(out);
    firstSummary = rows;
  }, 60_000);

  it('a re-run skips every recorded study: same pseudonyms, same files', async () => {
    const statusBefore = firstTree
      .filter((f) => f.endsWith('status.json'))
      .map((f) => readFileSync(path.join(out, f), 'utf8'));
    const { code, io } = await batch();
    expect(code).toBe(1); // the broken study is still failed
    expect(io.errs.some((l) => /skipped=3 /.test(l))).toBe(true);
    expect(listTree(out)).toEqual(firstTree);
    expect(readSummary(out)).toEqual(firstSummary);
    expect(
      firstTree.filter((f) => f.endsWith('status.json')).map((f) => readFileSync(path.join(out, f), 'utf8')),
    ).toEqual(statusBefore);
  }, 30_000);

  it('--retry-failed redoes the fixed study under the same pseudonym, still leaking nothing', async () => {
    rmSync(path.join(tree, BROKEN), { recursive: true, force: true });
    await writeCtSeries(path.join(tree, BROKEN), phantom(2));
    const { code, io } = await batch('--retry-failed');
    expect(code, io.errs.join('\n')).toBe(0);
    expect(io.errs.some((l) => /done=1 failed=0 skipped=2/.test(l))).toBe(true);
    const rows = readSummary(out);
    expect(rows.map((r) => r.study_key)).toEqual(firstSummary.map((r) => r.study_key));
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(readdirSync(path.join(out, 'studies'))).toHaveLength(3);
    const leaks = findLeaks(out, NEEDLES, [REIDENTIFY_DIR]);
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
  }, 30_000);

  it('--reidentify-dir keeps the key off the output: nothing under out/ names a source study, no exception', async () => {
    const out2 = path.join(tmp, 'out-apart');
    const keys = path.join(tmp, 'site-keys');
    const run = (...args: string[]) =>
      runBatch({ source: tree, plugin: PLUGIN, out: out2, dataDir, args: ['--no-results', ...args] });
    const first = await run('--deidentify', '--reidentify-dir', keys);
    expect([0, 1], first.io.errs.join('\n')).toContain(first.code); // 1 when run alone: the broken study
    expect(existsSync(path.join(out2, REIDENTIFY_DIR))).toBe(false);
    expect(readdirSync(keys).sort()).toEqual([REIDENTIFY_LINKAGE, 'reidentify-secret']);
    expect(findLeaks(out2, NEEDLES)).toEqual([]); // the whole output folder, nothing excepted
    const marker = JSON.parse(readFileSync(path.join(out2, DEID_MARKER), 'utf8'));
    const p = StudyPseudonyms.forOutDir(out2, keys);
    expect(marker.keyId).toBe(p.keyId);
    const rows = readSummary(out2);
    expect(rows.map((r) => r.study_key).sort()).toEqual(FOLDERS.map((f) => p.studyKey(f)).sort());
    // another output folder gets another key: the same source folder has unrelated pseudonyms there
    expect(rows.map((r) => r.study_key)).not.toContain(StudyPseudonyms.forOutDir(out).studyKey(FOLDERS[0]!));
    // a re-run without the key folder is refused (no second set of pseudonyms, no key created in out/)
    const lost = await run('--deidentify');
    expect(lost.code).toBe(2);
    expect(lost.io.errs.join('\n')).toMatch(
      /de-identified with the re-identification key [0-9a-f]{16}, not found/,
    );
    expect(existsSync(path.join(out2, REIDENTIFY_DIR))).toBe(false);
    // with it, a re-run skips every study
    const again = await run('--deidentify', '--reidentify-dir', keys);
    expect(again.code, again.io.errs.join('\n')).toBe(first.code);
    expect(again.io.errs.some((l) => /skipped=3 /.test(l))).toBe(true);
    expect(readSummary(out2)).toEqual(rows);
    const plain = await run();
    expect(plain.code).toBe(2);
    expect(plain.io.errs.join('\n')).toMatch(/is a de-identified output folder/);
  }, 60_000);

  it('without --deidentify nothing changes: folder names and study_key are the source folders', async () => {
    const plain = path.join(tmp, 'out-plain');
    const { code, io } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out: plain,
      dataDir,
      args: ['--no-results'],
    });
    expect(code, io.errs.join('\n')).toBe(0);
    expect(
      readSummary(plain)
        .map((r) => r.study_key)
        .sort(),
    ).toEqual([...FOLDERS].sort());
    expect(
      readdirSync(path.join(plain, 'studies')).every((d) => FOLDERS.some((f) => d.startsWith(`${f}-`))),
    ).toBe(true);
    expect(existsSync(path.join(plain, REIDENTIFY_DIR))).toBe(false);
    // one output folder is de-identified or not, never both
    const mixed = await batch();
    expect(mixed.code).toBe(0); // the de-identified folder itself still resumes
    const intoPlain = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out: plain,
      dataDir,
      args: ['--deidentify'],
    });
    expect(intoPlain.code).toBe(2);
    expect(intoPlain.io.errs.join('\n')).toMatch(/holds studies of a run without --deidentify/);
    expect(existsSync(path.join(plain, REIDENTIFY_DIR))).toBe(false);
    const intoDeid = await runBatch({ source: tree, plugin: PLUGIN, out, dataDir, args: ['--no-results'] });
    expect(intoDeid.code).toBe(2);
    expect(intoDeid.io.errs.join('\n')).toMatch(/is a de-identified output folder/);
    expect(findLeaks(out, NEEDLES, [REIDENTIFY_DIR])).toEqual([]);
  }, 30_000);
});
