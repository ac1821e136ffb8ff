/**
 * `qiview batch <DICOMweb URL>` end to end against a real Orthanc (and a real PostgreSQL), no mocks: generated CT
 * studies uploaded through Orthanc's REST API, QIDO filters narrowing the set, SEG/SR stored back with STOW-RS and
 * read back with QIDO + WADO carrying the phantom's values, results recorded in PostgreSQL, de-identified outputs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DicomWebClient, toRemoteStudy } from '../../core/common/dicomweb';
import { readSeg, readSr } from '../../core/common/results';
import { readDataset } from '../../core/common/results/dcmjs';
import { openPostgresResultsStore } from '../../core/node/library/postgres-results-store';
import { ctSeriesExpectedHu, ctSeriesFiles, type CtSeriesOptions } from '../phantoms/ct-series';
import {
  orthancUnavailableReason,
  postgresUnavailableReason,
  startOrthanc,
  startPostgres,
  type OrthancServer,
  type PostgresServer,
} from '../servers';
import { REIDENTIFY_DIR, REIDENTIFY_LINKAGE } from '../../core/node/batch/study-pseudonyms';
import { buildPlugins, readSummary, runBatch } from '../support/cli-harness';
import { findLeaks, listTree } from '../support/leak-scan';

const why = orthancUnavailableReason() ?? postgresUnavailableReason();
if (why) console.warn(`SKIP batch-dicomweb: ${why}`);

const PLUGIN = 'org.qiview.example-threshold';
const uid = (n: number) => `1.2.826.0.1.3680043.10.88.${n}`;
/** Five studies: dates and one MR study to exercise the QIDO filters. */
const STUDIES: Record<string, CtSeriesOptions> = {
  s1: { studyUid: uid(1), patientId: 'DW01', studyDate: '20240102' },
  s2: { studyUid: uid(2), patientId: 'DW02', studyDate: '20240301' },
  s3: { studyUid: uid(3), patientId: 'DW03', studyDate: '20240615' },
  s4: { studyUid: uid(4), patientId: 'DW04', studyDate: '20240301', modality: 'MR' },
  s5: { studyUid: uid(5), patientId: 'DW05', studyDate: '20240910' },
};
for (const o of Object.values(STUDIES)) {
  o.dims = [32, 32, 8];
  o.seriesUid = `${o.studyUid}.1`;
}
const expectedHu = ctSeriesExpectedHu(STUDIES.s1);
const insertVoxels = expectedHu.reduce((n, v) => n + (v >= 100 && v <= 400 ? 1 : 0), 0);
const voxelMl = (0.8 * 0.8 * 2) / 1000;

let orthanc: OrthancServer;
let pg: PostgresServer;
let client: DicomWebClient;
let tmp: string;
let dataDir: string;

const batch = (out: string, ...args: string[]) =>
  runBatch({ source: orthanc.dicomWebUrl, plugin: PLUGIN, out, dataDir, args });
const tag = (o: Record<string, unknown>, t: string) =>
  (o[t] as { Value?: unknown[] } | undefined)?.Value?.[0];
/** Series of a study with a given modality (QIDO-RS), as series UIDs. */
const seriesWith = async (studyUid: string, modality: string) =>
  (await client.searchSeries(studyUid, { modality })).map((s) => String(tag(s, '0020000E')));

beforeAll(async () => {
  if (why) return;
  buildPlugins();
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-dw-'));
  dataDir = path.join(tmp, 'user');
  [orthanc, pg] = await Promise.all([startOrthanc(), startPostgres()]);
  client = new DicomWebClient({ id: 'orthanc', name: 'Orthanc', url: orthanc.dicomWebUrl });
  for (const o of Object.values(STUDIES))
    for (const f of await ctSeriesFiles(o)) await orthanc.upload(f.bytes);
}, 60_000);
afterAll(async () => {
  await Promise.all([orthanc?.stop(), pg?.stop()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(why !== null)('qiview batch <DICOMweb> against a real Orthanc', () => {
  it('QIDO filters narrow the set; --stow writes SEG and SR back, queryable with the phantom values', async () => {
    const out = path.join(tmp, 'out-stow');
    const { code, io } = await batch(
      out,
      '--stow',
      '--modality',
      'CT',
      '--date-from',
      '20240201',
      '--date-to',
      '20240630',
      '--no-results',
      '--qido-page-size',
      '1', // one study per QIDO answer: both are found only by paging
    );
    expect(code, io.errs.join('\n')).toBe(0);
    expect(io.errs[0]).toMatch(/^2 studies from /);
    const rows = readSummary(out);
    // s1 and s5 are outside the date range, s4 is MR
    expect(rows.map((r) => r.study_key).sort()).toEqual([uid(2), uid(3)]);
    expect(rows.map((r) => r.patient_id).sort()).toEqual(['DW02', 'DW03']);
    for (const r of rows) {
      expect(r.status).toBe('done');
      expect(Number(r.voxel_count)).toBe(insertVoxels);
      expect(Number(r.mean_hu)).toBeCloseTo(300, 6);
    }

    for (const s of [STUDIES.s2, STUDIES.s3]) {
      const studyUid = s.studyUid!;
      const seg = await seriesWith(studyUid, 'SEG');
      const sr = await seriesWith(studyUid, 'SR');
      expect(seg).toHaveLength(1);
      expect(sr).toHaveLength(1);
      const [segBytes] = await client.retrieveSeries(studyUid, seg[0]!);
      const lm = readSeg(segBytes!);
      expect(lm.data.reduce((a: number, b: number) => a + (b ? 1 : 0), 0)).toBe(insertVoxels);
      expect(lm.geometry.dimensions).toEqual([32, 32, 8]);
      const [srBytes] = await client.retrieveSeries(studyUid, sr[0]!);
      const m = Object.fromEntries(readSr(srBytes!).measurements.map((x) => [x.key, x.value]));
      expect(m.voxel_count).toBe(insertVoxels);
      expect(m.mean_hu).toBeCloseTo(300, 6);
      expect(m.volume_ml).toBeCloseTo(insertVoxels * voxelMl, 9);
      // the stored objects belong to the source study and patient
      const ds = readDataset(srBytes!);
      expect(ds.StudyInstanceUID).toBe(studyUid);
      expect(ds.PatientID).toBe(s.patientId);
    }
    // nothing was stored into studies that were filtered out
    for (const s of [STUDIES.s1, STUDIES.s4, STUDIES.s5]) {
      expect(await seriesWith(s.studyUid!, 'SEG')).toEqual([]);
      expect(await seriesWith(s.studyUid!, 'SR')).toEqual([]);
    }

    // A re-run does nothing and stores nothing twice (STOW of the same UIDs is idempotent anyway).
    const again = await batch(out, '--stow', '--modality', 'CT', '--date-from', '20240201', '--no-results');
    expect(again.code, again.io.errs.join('\n')).toBe(0);
    expect(again.io.errs[0]).toMatch(/^3 studies from /); // s2, s3, s5 (no upper date bound)
    expect(again.io.errs.some((l) => /done=1 failed=0 skipped=2/.test(l))).toBe(true);
    expect(await seriesWith(uid(2), 'SEG')).toHaveLength(1);

    // Storing the same study's results again (a fresh output folder, or a re-delivered queue job) succeeds and
    // replaces nothing twice: the derived UIDs are deterministic, so the PACS still holds one SEG and one SR.
    const twice = await batch(path.join(tmp, 'out-stow-2'), '--stow', '--study-uid', uid(2), '--no-results');
    expect(twice.code, twice.io.errs.join('\n')).toBe(0);
    for (const m of ['SEG', 'SR']) {
      const series = await seriesWith(uid(2), m);
      expect(series).toHaveLength(1);
      expect(await client.searchInstances(uid(2), series[0]!)).toHaveLength(1);
    }
  }, 60_000);

  it('--modality MR picks the MR study only, which fails with the plugin rule as reason', async () => {
    const out = path.join(tmp, 'out-mr');
    const { code, io } = await batch(out, '--modality', 'MR', '--no-results', '--qido-page-size', '2');
    expect(code).toBe(1);
    const rows = readSummary(out);
    expect(rows.map((r) => r.study_key)).toEqual([uid(4)]);
    expect(rows[0]!.status).toBe('failed');
    expect(rows[0]!.reason).toMatch(/required input "ct" is missing: no series matches \(Modality = CT/);
    expect(io.errs.some((l) => l.startsWith(`failed ${uid(4)}: `))).toBe(true);
  }, 30_000);

  it('--study-uid lists exactly the given studies; --db postgres:// records one result per study', async () => {
    const out = path.join(tmp, 'out-pg');
    const { code, io } = await batch(
      out,
      '--study-uid',
      uid(1),
      '--study-uid',
      uid(5),
      '--db',
      pg.connectionString,
    );
    expect(code, io.errs.join('\n')).toBe(0);
    expect(readSummary(out).map((r) => r.study_key)).toEqual([uid(1), uid(5)]);
    const store = await openPostgresResultsStore(pg.connectionString);
    try {
      const results = await store.listResults({ pluginId: PLUGIN });
      expect(results.map((r) => r.studyInstanceUid).sort()).toEqual([uid(1), uid(5)]);
      for (const r of results) {
        expect(r.status).toBe('done');
        expect(r.pluginVersion).toBe('1.0.0');
        expect(r.modelVersions.identity).toMatch(/^[0-9a-f]{12}$/);
        expect(r.inputSeriesUids).toEqual([`${r.studyInstanceUid}.1`]);
        const doc = JSON.parse(readFileSync(r.payloadPath!, 'utf8')) as {
          result: { measurements: Array<{ key: string; value: number }> };
        };
        const m = Object.fromEntries(doc.result.measurements.map((x) => [x.key, x.value]));
        expect(m.voxel_count).toBe(insertVoxels);
      }
      // a re-run with --retry-failed (nothing failed) adds no rows: the record id is deterministic
      const again = await batch(out, '--study-uid', uid(1), '--db', pg.connectionString, '--retry-failed');
      expect(again.code).toBe(0);
      expect(await store.listResults({ pluginId: PLUGIN })).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 30_000);

  it('--deidentify: outputs (files, names, STOWed objects, summary) carry no PatientName/PatientID/UIDs of the source', async () => {
    const out = path.join(tmp, 'out-deid');
    const src = STUDIES.s1; // never stored back to before
    const { code, io } = await batch(
      out,
      '--study-uid',
      src.studyUid!,
      '--deidentify',
      '--stow',
      '--no-results',
    );
    expect(code, io.errs.join('\n')).toBe(0);
    const dirs = readdirSync(path.join(out, 'studies'));
    expect(dirs).toHaveLength(1);
    const dir = path.join(out, 'studies', dirs[0]!);
    const dcm = readdirSync(dir).filter((f) => f.endsWith('.dcm'));
    expect(dcm.sort()).toEqual(['seg-example-component.dcm', 'sr.dcm']);
    let deidStudy = '';
    const studyUids = new Set<string>();
    for (const f of dcm) {
      const bytes = readFileSync(path.join(dir, f));
      const text = Buffer.from(bytes).toString('latin1');
      expect(text).not.toContain(src.patientId);
      expect(text).not.toContain('Phantom^CT');
      expect(text).not.toContain(src.studyUid);
      const ds = readDataset(new Uint8Array(bytes));
      expect(ds.PatientIdentityRemoved).toBe('YES');
      expect(String(ds.PatientName ?? '')).not.toMatch(/Phantom/);
      expect(ds.StudyInstanceUID).not.toBe(src.studyUid);
      deidStudy = String(ds.StudyInstanceUID);
      studyUids.add(deidStudy);
    }
    expect(studyUids.size).toBe(1); // SEG and SR in the same de-identified study
    // the de-identified SR still carries the measurements
    const m = Object.fromEntries(
      readSr(readFileSync(path.join(dir, 'sr.dcm'))).measurements.map((x) => [x.key, x.value]),
    );
    expect(m.voxel_count).toBe(insertVoxels);
    expect(m.mean_hu).toBeCloseTo(300, 6);
    // result.json and summary.csv leave with the objects: no patient identifiers in them either
    for (const f of ['result.json']) {
      expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(src.patientId);
      expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(src.studyUid);
    }
    const rows = readSummary(out);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(src.patientId);
    // the summary names the study by its pseudonym: the de-identified StudyInstanceUID of its SEG/SR
    expect(rows[0]!.study_key).toBe(deidStudy);
    expect(dirs[0]!.startsWith(`${deidStudy}-`)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'status.json'), 'utf8')).key).toBe(deidStudy);
    // nothing in the output folder (file and folder names, summary.csv, status.json, result.json, DICOM) names the
    // source study or patient; only the re-identification key folder kept back (.qiview) links them
    const needles = [src.studyUid!, src.seriesUid!, src.patientId!, 'Phantom^CT'];
    const leaks = findLeaks(out, needles, [REIDENTIFY_DIR]);
    expect(leaks, JSON.stringify(leaks.slice(0, 10), null, 1)).toEqual([]);
    expect(readFileSync(path.join(out, REIDENTIFY_DIR, REIDENTIFY_LINKAGE), 'utf8')).toContain(
      `${deidStudy},${src.studyUid}`,
    );
    // a re-run skips the finished study: same pseudonym, same files
    const tree = listTree(out);
    const again = await batch(out, '--study-uid', src.studyUid!, '--deidentify', '--stow', '--no-results');
    expect(again.code, again.io.errs.join('\n')).toBe(0);
    expect(again.io.errs.some((l) => /skipped=1 /.test(l))).toBe(true);
    expect(listTree(out)).toEqual(tree);
    expect(readSummary(out)).toEqual(rows);
    // stored back as a new (de-identified) study, not into the source study
    expect(await seriesWith(src.studyUid!, 'SEG')).toEqual([]);
    const found = (await client.searchStudies({ studyInstanceUids: [deidStudy] })).map(toRemoteStudy);
    expect(found).toHaveLength(1);
    expect(found[0]!.patientId ?? '').not.toBe(src.patientId);
    expect(await seriesWith(deidStudy, 'SEG')).toHaveLength(1);
    expect(await seriesWith(deidStudy, 'SR')).toHaveLength(1);
  }, 30_000);
});
