/**
 * `qiview batch <DICOMweb URL> --plugin org.qiview.asl-perfusion --stow` against a real Orthanc (DICOMweb plugin), no
 * mocks: the PACS is the source and the sink. Stored in Orthanc: a generated single-PLD pCASL phantom (GM 60 / WM 20
 * ml/100g/min; ASL + separate M0 series + LABELMAP SEG of the truth regions + an fMRI run, one study; sent with
 * STOW-RS), the ASLDRO written as DICOM (same layout, REST upload) when ../shared/data is present, and two bad studies
 * (a CT study, and an MR "pCASL" series of a single volume). The batch lists each study's series over QIDO-RS,
 * retrieves over WADO-RS those that can fill an input (not the fMRI run, not the CT), groups them into the plugin's
 * inputs (M0 from the separate series), writes summary.csv and STOWs the Parametric Maps, SEGs and SR back; the test
 * finds them over QIDO-RS, retrieves the CBF Parametric Map over WADO-RS, decodes it with our reader and checks it
 * against the summary and the source UIDs. The bad studies fail alone with their reason. Also: a re-run after the STOW
 * (the study now also holds the outputs) picks the same inputs; --deidentify --stow stores a consistent de-identified
 * study; a server that caps its QIDO answers (Orthanc LimitFindResults) still gives the study all its series;
 * scanner-style names (a 2-volume "tgse_pcasl_M0" before "tgse_pcasl") select the right series; no PLD fails.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DicomWebClient, toRemoteSeries } from '../../core/common/dicomweb';
import {
  PARAMETRIC_MAP_SOP_CLASS_UID,
  parseResultJson,
  readParametricMap,
  readSeg,
  readSr,
} from '../../core/common/results';
import { readDataset } from '../../core/common/results/dcmjs';
import {
  hasDro,
  seriesFiles,
  writeAslPhantomDicomStudy,
  writeDroDicomStudy,
  type AslPhantomDicomStudy,
} from '../phantoms/asl-dicom';
import { loadDro } from '../phantoms/asl-dro-input';
import { ctSeriesFiles } from '../phantoms/ct-series';
import { orthancUnavailableReason, startOrthanc, type OrthancServer } from '../servers';
import { buildPlugins, readSummary, runBatch, studyDir } from '../support/cli-harness';
import { median } from '../support/median';

const why = orthancUnavailableReason();
if (why) console.warn(`SKIP batch-asl-dicomweb: ${why}`);
if (!hasDro())
  console.warn('batch-asl-dicomweb: ../shared/data/asl-dro-asldro-A absent, the DRO study is left out');

const PLUGIN = 'org.qiview.asl-perfusion';
const uid = (n: number) => `1.2.826.0.1.3680043.10.89.${n}`;
const PHANTOM_UID = uid(1);
const DRO_UID = uid(2);
const CT_UID = uid(3);
const SINGLE_UID = uid(4);
const BOLD_UID = `${PHANTOM_UID}.20`;
const PARAMS = ['--param', 'pld=1.8', '--param', 'labelDuration=1.8'];

let orthanc: OrthancServer;
let client: DicomWebClient;
let tmp: string;

/** Truth of a good study: pure-GM (1) / pure-WM (2) labels on the ASL grid and the expected CBF. */
interface GoodStudy {
  studyUid: string;
  aslSeriesUid: string;
  m0SeriesUid: string;
  segSeriesUid: string;
  patientId: string;
  labels: Uint8Array;
  expected: { gm: number; wm: number };
  /** The generated phantom (its volumes), for the generated study. */
  phantom?: AslPhantomDicomStudy['phantom'];
}
const good: GoodStudy[] = [];

const tag = (o: Record<string, unknown>, t: string) =>
  (o[t] as { Value?: unknown[] } | undefined)?.Value?.[0];

/** The instances of a study over QIDO-RS (series level, then instance level) with their SOP class. */
async function studyObjects(studyUid: string) {
  const out: Array<{ seriesUid: string; modality: string; description: string; sopClassUid: string }> = [];
  for (const s of (await client.searchSeries(studyUid)).map(toRemoteSeries)) {
    for (const i of await client.searchInstances(studyUid, s.seriesInstanceUid)) {
      out.push({
        seriesUid: s.seriesInstanceUid,
        modality: s.modality,
        description: s.seriesDescription ?? '',
        sopClassUid: String(tag(i, '00080016') ?? ''),
      });
    }
  }
  return out;
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

beforeAll(async () => {
  if (why) return;
  buildPlugins('asl-perfusion');
  tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-asl-dw-'));
  orthanc = await startOrthanc();
  client = new DicomWebClient({ id: 'orthanc', name: 'Orthanc', url: orthanc.dicomWebUrl });

  // the generated phantom (always): STOW-RS, 40 instances per request
  const ph = writeAslPhantomDicomStudy(path.join(tmp, 'phantom'), {
    studyUid: PHANTOM_UID,
    patientId: 'ASLDW-PH',
    withSeg: true,
  });
  const phBytes = ph.files.map((f) => new Uint8Array(readFileSync(f)));
  for (let i = 0; i < phBytes.length; i += 40) {
    const r = await client.storeInstances(phBytes.slice(i, i + 40));
    expect(r.failed).toEqual([]);
  }
  good.push({
    studyUid: PHANTOM_UID,
    aslSeriesUid: ph.aslSeriesUid,
    m0SeriesUid: ph.m0SeriesUid,
    segSeriesUid: ph.segSeriesUid!,
    patientId: 'ASLDW-PH',
    labels: Uint8Array.from(ph.phantom.truth, (t) => (t === 1 ? 1 : t === 2 ? 2 : 0)),
    expected: { gm: 60, wm: 20 },
    phantom: ph.phantom,
  });

  // an fMRI run in the same study that no input of the plugin can use: the batch must not retrieve it
  for (const f of seriesFiles(ph.phantom.input.series.asl!.volume, [0, 1, 2, 3], {
    studyUid: PHANTOM_UID,
    seriesUid: BOLD_UID,
    seriesNumber: 20,
    description: 'ep2d_bold_rest',
    trMs: 2000,
    patientId: 'ASLDW-PH',
  })) {
    writeFileSync(path.join(tmp, 'phantom', `bold-${f.name}`), f.bytes);
    await orthanc.upload(f.bytes);
  }

  // the DRO (when the shared data is here): Orthanc's REST upload
  if (hasDro()) {
    const dro = writeDroDicomStudy(path.join(tmp, 'dro'), {
      studyUid: DRO_UID,
      patientId: 'ASLDW-DRO',
      withSeg: true,
    });
    for (const f of dro.files) await orthanc.upload(new Uint8Array(readFileSync(f)));
    const { seg, expected } = loadDro();
    good.push({
      studyUid: DRO_UID,
      aslSeriesUid: dro.aslSeriesUid,
      m0SeriesUid: dro.m0SeriesUid,
      segSeriesUid: dro.segSeriesUid!,
      patientId: 'ASLDW-DRO',
      labels: Uint8Array.from(seg.data as ArrayLike<number>, (s) =>
        Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0,
      ),
      expected: {
        gm: expected.grey_matter.expected_whitepaper_cbf_analytic as number,
        wm: expected.white_matter.expected_whitepaper_cbf_analytic as number,
      },
    });
  }

  // bad: a CT study (wrong modality), and an MR "pCASL" series of one volume (no control/label pairs)
  for (const f of await ctSeriesFiles({
    studyUid: CT_UID,
    seriesUid: `${CT_UID}.1`,
    patientId: 'ASLDW-CT',
    dims: [16, 16, 4],
  }))
    await orthanc.upload(f.bytes);
  for (const f of seriesFiles(ph.phantom.input.series.asl!.volume, [0], {
    studyUid: SINGLE_UID,
    seriesUid: `${SINGLE_UID}.1`,
    seriesNumber: 5,
    description: 'pCASL single volume',
    trMs: 5000,
    patientId: 'ASLDW-1VOL',
  }))
    await orthanc.upload(f.bytes);
}, 60_000);

afterAll(async () => {
  await orthanc?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(why !== null)(
  'qiview batch <DICOMweb> --plugin asl-perfusion --stow against a real Orthanc',
  () => {
    it('good studies: CBF in summary.csv vs truth, M0 from the separate series, PM/SEG/SR back over QIDO/WADO; bad ones fail alone', async () => {
      const out = path.join(tmp, 'out');
      // the real fetch, watched: which series the batch retrieves over WADO-RS
      const watch = vi.spyOn(globalThis, 'fetch');
      let retrieved: string[];
      let run: Awaited<ReturnType<typeof runBatch>>;
      try {
        run = await runBatch({
          source: orthanc.dicomWebUrl,
          plugin: PLUGIN,
          out,
          dataDir: path.join(tmp, 'user'),
          args: ['--stow', '--no-results', ...PARAMS],
        });
      } finally {
        retrieved = watch.mock.calls
          .filter(([, init]) => (init?.method ?? 'GET') === 'GET')
          .map(([u]) => (u instanceof Request ? u.url : String(u)))
          .filter((u) => /\/series\/[^/?]+$/.test(u))
          .map((u) => decodeURIComponent(u.split('/series/')[1]!));
        watch.mockRestore();
      }
      const { code, io, seconds } = run;
      // every series that can fill an input is retrieved, and only those: the fMRI run and the CT study are not
      expect(retrieved.filter((u) => u.startsWith(`${PHANTOM_UID}.`)).sort()).toEqual(
        [`${PHANTOM_UID}.1`, `${PHANTOM_UID}.2`, `${PHANTOM_UID}.9`].sort(),
      );
      expect(retrieved).not.toContain(BOLD_UID);
      expect(retrieved).not.toContain(`${CT_UID}.1`);
      expect(retrieved).toContain(`${SINGLE_UID}.1`);
      expect(code).toBe(1); // the two bad studies
      expect(io.errs[0]).toMatch(new RegExp(`^${good.length + 2} studies from `));
      const rows = Object.fromEntries(readSummary(out).map((r) => [r.study_key, r]));
      expect(Object.keys(rows).sort()).toEqual([...good.map((g) => g.studyUid), CT_UID, SINGLE_UID].sort());

      // one bad study never stops the batch: each fails with its own reason
      expect(rows[CT_UID]!.status).toBe('failed');
      expect(rows[CT_UID]!.reason).toMatch(
        /^required input "asl" is missing: no series matches \(Modality = MR, SeriesDescription ~ .*attribute rules do not match/,
      );
      // the CT series was not retrieved (no input can use it), and the reason still names it
      expect(rows[CT_UID]!.reason).toContain(`${CT_UID}.1: attribute rules do not match`);
      expect(rows[SINGLE_UID]!.status).toBe('failed');
      expect(rows[SINGLE_UID]!.reason).toMatch(
        /required input "asl" is missing.*single frame, a 4D \(multi-frame\) series is needed/,
      );
      for (const bad of [CT_UID, SINGLE_UID]) {
        expect(rows[bad]!.cbf_gm_mean ?? '').toBe('');
        expect((await studyObjects(bad)).filter((o) => o.modality !== 'CT' && o.modality !== 'MR')).toEqual(
          [],
        );
      }

      const report: Record<string, unknown> = { seconds };
      for (const g of good) {
        const row = rows[g.studyUid]!;
        expect(row.status, row.reason).toBe('done');
        expect(row.patient_id).toBe(g.patientId);
        const gm = Number(row.cbf_roi1_median),
          wm = Number(row.cbf_roi2_median);
        // summary.csv: CBF of the pure GM / WM regions (the study's LABELMAP SEG) within 2 % of the truth
        expect(relDiff(gm, g.expected.gm)).toBeLessThan(0.02);
        expect(relDiff(wm, g.expected.wm)).toBeLessThan(0.02);

        // inputs grouped from the study's series: ASL, the separate M0 series, the LABELMAP SEG as ROI
        const doc = parseResultJson(
          readFileSync(path.join(studyDir(out, g.studyUid), 'result.json'), 'utf8'),
        );
        expect(doc.provenance.inputSeries).toEqual({
          asl: g.aslSeriesUid,
          m0: g.m0SeriesUid,
          roi: g.segSeriesUid,
        });
        const prov = Object.fromEntries((doc.result.parameters ?? []).map((p) => [p.key, p]));
        expect(String(prov.m0Source!.value)).toMatch(/separate M0 series/);
        expect(prov.pld).toMatchObject({ value: [1.8], source: 'user' });

        // the STOWed objects, found over QIDO-RS in the source study
        const objs = await studyObjects(g.studyUid);
        const pms = objs.filter((o) => o.sopClassUid === PARAMETRIC_MAP_SOP_CLASS_UID);
        expect(pms.map((o) => o.description).sort()).toEqual(['CBF', 'CBF uncertainty (SD)']);
        const segs = objs.filter((o) => o.modality === 'SEG' && o.seriesUid !== g.segSeriesUid);
        expect(segs.length).toBeGreaterThanOrEqual(1);
        const srs = objs.filter((o) => o.modality === 'SR');
        expect(srs).toHaveLength(1);

        // the CBF Parametric Map over WADO-RS, decoded with our reader: its median in the GM / WM regions (inside the
        // plugin's brain mask, where the map is not 0) is the summary's
        const cbfSeries = pms.find((o) => o.description === 'CBF')!.seriesUid;
        const pmParts = await client.retrieveSeries(g.studyUid, cbfSeries);
        expect(pmParts).toHaveLength(1);
        const pm = readParametricMap(pmParts[0]!);
        expect(pm.volume.unit).toBe('ml/100g/min');
        expect(pm.volume.data.length).toBe(g.labels.length);
        const inRegion = (label: number) => {
          const v: number[] = [];
          for (let i = 0; i < g.labels.length; i++) {
            const c = Number(pm.volume.data[i]);
            if (g.labels[i] === label && c !== 0 && Number.isFinite(c)) v.push(c);
          }
          return v;
        };
        const pmGm = inRegion(1),
          pmWm = inRegion(2);
        expect(pmGm.length).toBe(Number(row.roi1_voxels));
        expect(relDiff(median(pmGm), gm)).toBeLessThan(1e-3);
        expect(relDiff(median(pmWm), wm)).toBeLessThan(1e-3);
        // it belongs to the source study and patient and references the ASL series
        const ds = readDataset(pmParts[0]!);
        expect(ds.StudyInstanceUID).toBe(g.studyUid);
        expect(ds.PatientID).toBe(g.patientId);
        expect(pm.referencedSeriesUid).toBe(g.aslSeriesUid);
        expect(ds.ReferencedSeriesSequence[0].SeriesInstanceUID).toBe(g.aslSeriesUid);

        // the SR over WADO-RS holds the summary's values; the tissue SEG decodes on the ASL grid
        const [srBytes] = await client.retrieveSeries(g.studyUid, srs[0]!.seriesUid);
        const m = Object.fromEntries(readSr(srBytes!).measurements.map((x) => [x.key, x.value]));
        expect(m.cbf_roi1_median).toBeCloseTo(gm, 4);
        expect(m.cbf_gm_mean).toBeCloseTo(Number(row.cbf_gm_mean), 4);
        for (const s of segs) {
          const [segBytes] = await client.retrieveSeries(g.studyUid, s.seriesUid);
          const lm = readSeg(segBytes!, pm.volume.geometry);
          expect(lm.data.length).toBe(g.labels.length);
          expect(lm.data.some((x: number) => x > 0)).toBe(true);
        }
        report[g.patientId] = {
          gm,
          wm,
          truth: g.expected,
          pmGm: median(pmGm),
          pmWm: median(pmWm),
          fallbackGmMean: Number(row.cbf_gm_mean),
          fallbackWmMean: Number(row.cbf_wm_mean),
          stowed: objs.length,
        };
      }
      console.log(JSON.stringify(report));
    }, 60_000);

    it('a re-run after the STOW (the study now also holds the outputs) picks the same inputs and numbers', async () => {
      const first = readSummary(path.join(tmp, 'out')).find((r) => r.study_key === PHANTOM_UID)!;
      const out = path.join(tmp, 'out-again');
      const { code, io } = await runBatch({
        source: orthanc.dicomWebUrl,
        plugin: PLUGIN,
        out,
        args: ['--no-results', '--study-uid', PHANTOM_UID, ...PARAMS],
      });
      expect(code, io.errs.join('\n')).toBe(0);
      const row = readSummary(out)[0]!;
      expect(row.status, row.reason).toBe('done');
      const doc = parseResultJson(readFileSync(path.join(studyDir(out), 'result.json'), 'utf8'));
      expect(doc.provenance.inputSeries).toEqual({
        asl: `${PHANTOM_UID}.1`,
        m0: `${PHANTOM_UID}.2`,
        roi: `${PHANTOM_UID}.9`,
      });
      for (const k of ['cbf_roi1_median', 'cbf_roi2_median', 'cbf_gm_mean', 'cbf_wm_mean'])
        expect(Number(row[k]), k).toBeCloseTo(Number(first[k]), 6);
    }, 30_000);

    it('--deidentify --stow: the CBF map goes back as a new de-identified study, consistent with result.json', async () => {
      const g = good[0]!;
      const first = readSummary(path.join(tmp, 'out')).find((r) => r.study_key === g.studyUid)!;
      const out = path.join(tmp, 'out-deid');
      const { code, io } = await runBatch({
        source: orthanc.dicomWebUrl,
        plugin: PLUGIN,
        out,
        args: ['--no-results', '--stow', '--deidentify', '--study-uid', g.studyUid, ...PARAMS],
      });
      expect(code, io.errs.join('\n')).toBe(0);
      const row = readSummary(out)[0]!;
      expect(row.status, row.reason).toBe('done');
      expect(JSON.stringify(row)).not.toContain(g.patientId);
      const dir = studyDir(out);
      const json = readFileSync(path.join(dir, 'result.json'), 'utf8');
      for (const u of [g.studyUid, g.aslSeriesUid, g.m0SeriesUid]) expect(json).not.toContain(u);
      const doc = parseResultJson(json);
      const local = readDataset(new Uint8Array(readFileSync(path.join(dir, 'pm-cbf.dcm'))));
      const deidStudy = String(local.StudyInstanceUID);
      expect(deidStudy).not.toBe(g.studyUid);

      // over QIDO/WADO: the de-identified study holds both maps. The basic profile removes SeriesDescription, so the
      // CBF map is told from its SD by the name our reader takes from ContentDescription (kept).
      const pms = (await studyObjects(deidStudy)).filter(
        (o) => o.sopClassUid === PARAMETRIC_MAP_SOP_CLASS_UID,
      );
      expect(pms).toHaveLength(2);
      expect(pms.map((o) => o.description)).toEqual(['', '']);
      const maps = await Promise.all(
        pms.map(async (o) => (await client.retrieveSeries(deidStudy, o.seriesUid))[0]!),
      );
      const decoded = maps.map((b) => readParametricMap(b));
      expect(decoded.map((m) => m.name).sort()).toEqual(['CBF', 'CBF uncertainty (SD)']);
      const k = decoded.findIndex((m) => m.name === 'CBF');
      const bytes = maps[k]!;
      const ds = readDataset(bytes);
      expect(ds.PatientIdentityRemoved).toBe('YES');
      expect(ds.PatientID ?? '').not.toBe(g.patientId);
      expect(Buffer.from(bytes).toString('latin1')).not.toContain(g.studyUid);
      const pm = decoded[k]!;
      // it references the de-identified ASL series, the same replacement as result.json's inputs
      expect(pm.referencedSeriesUid).toBe(doc.provenance.inputSeries.asl);
      expect(pm.referencedSeriesUid).not.toBe(g.aslSeriesUid);
      const v: number[] = [];
      for (let i = 0; i < g.labels.length; i++) {
        const c = Number(pm.volume.data[i]);
        if (g.labels[i] === 1 && c !== 0) v.push(c);
      }
      expect(relDiff(median(v), Number(row.cbf_roi1_median))).toBeLessThan(1e-3);
      expect(Number(row.cbf_roi1_median)).toBeCloseTo(Number(first.cbf_roi1_median), 6);
    }, 30_000);

    it('a server that caps its QIDO answers (Orthanc LimitFindResults): the study is still run on all its series', async () => {
      const first = readSummary(path.join(tmp, 'out')).find((r) => r.study_key === PHANTOM_UID)!;
      const capped = await startOrthanc({ LimitFindResults: 1 });
      try {
        // ASL and fMRI first: QIDO-RS then lists those two series only, not the M0 and the ROI SEG
        const files = readdirSync(path.join(tmp, 'phantom')).sort();
        const order = [
          ...files.filter((f) => f.startsWith('asl-')),
          ...files.filter((f) => f.startsWith('bold-')),
          ...files.filter((f) => !f.startsWith('asl-') && !f.startsWith('bold-')),
        ];
        for (const f of order)
          await capped.upload(new Uint8Array(readFileSync(path.join(tmp, 'phantom', f))));
        const c = new DicomWebClient({ id: 'capped', name: 'capped', url: capped.dicomWebUrl });
        expect((await c.searchSeries(PHANTOM_UID)).length).toBeLessThan(4);
        const out = path.join(tmp, 'out-capped');
        const { code, io } = await runBatch({
          source: capped.dicomWebUrl,
          plugin: PLUGIN,
          out,
          args: ['--no-results', '--study-uid', PHANTOM_UID, ...PARAMS],
        });
        expect(code, io.errs.join('\n')).toBe(0);
        const row = readSummary(out)[0]!;
        expect(row.status, row.reason).toBe('done');
        const doc = parseResultJson(readFileSync(path.join(studyDir(out), 'result.json'), 'utf8'));
        const prov = Object.fromEntries((doc.result.parameters ?? []).map((p) => [p.key, p]));
        console.log(
          JSON.stringify({
            capped: { gm: row.cbf_gm_mean, roi1: row.cbf_roi1_median, m0: prov.m0Source?.value },
          }),
        );
        expect(doc.provenance.inputSeries).toEqual({
          asl: `${PHANTOM_UID}.1`,
          m0: `${PHANTOM_UID}.2`,
          roi: `${PHANTOM_UID}.9`,
        });
        for (const k of ['cbf_roi1_median', 'cbf_roi2_median', 'cbf_gm_mean', 'cbf_wm_mean'])
          expect(Number(row[k]), k).toBeCloseTo(Number(first[k]), 6);
      } finally {
        await capped.stop();
      }
    }, 30_000);

    it('scanner-style names: a 2-volume "tgse_pcasl_M0" numbered before "tgse_pcasl" is the M0, not the ASL input', async () => {
      const first = readSummary(path.join(tmp, 'out')).find((r) => r.study_key === PHANTOM_UID)!;
      const studyUid = uid(5);
      const { asl: aslSeries, m0: m0Series } = good[0]!.phantom!.input.series;
      const common = { studyUid, trMs: 5000, patientId: 'ASLDW-SIEMENS' };
      const files = [
        ...seriesFiles(m0Series!.volume, [0, 0], {
          ...common,
          seriesUid: `${studyUid}.4`,
          seriesNumber: 4,
          description: 'tgse_pcasl_M0',
          trMs: 10000,
        }),
        ...seriesFiles(
          aslSeries!.volume,
          Array.from({ length: aslSeries!.volume.frames }, (_, i) => i),
          { ...common, seriesUid: `${studyUid}.5`, seriesNumber: 5, description: 'tgse_pcasl_PLD1800' },
        ),
      ].map((f) => f.bytes);
      for (let i = 0; i < files.length; i += 40) {
        expect((await client.storeInstances(files.slice(i, i + 40))).failed).toEqual([]);
      }
      const out = path.join(tmp, 'out-siemens');
      const { code, io } = await runBatch({
        source: orthanc.dicomWebUrl,
        plugin: PLUGIN,
        out,
        args: ['--no-results', '--study-uid', studyUid, ...PARAMS],
      });
      expect(code, io.errs.join('\n')).toBe(0);
      const row = readSummary(out)[0]!;
      expect(row.status, row.reason).toBe('done');
      const doc = parseResultJson(readFileSync(path.join(studyDir(out), 'result.json'), 'utf8'));
      expect(doc.provenance.inputSeries).toEqual({ asl: `${studyUid}.5`, m0: `${studyUid}.4` });
      // the same phantom as the first study: the same tissue CBF (no ROI SEG here)
      expect(relDiff(Number(row.cbf_gm_mean), 60)).toBeLessThan(0.02);
      expect(Number(row.cbf_gm_mean)).toBeCloseTo(Number(first.cbf_gm_mean), 4);
      expect(Number(row.cbf_wm_mean)).toBeCloseTo(Number(first.cbf_wm_mean), 4);
    }, 30_000);

    it('without a PLD (no --param) the ASL study fails with the plugin reason', async () => {
      const out = path.join(tmp, 'out-nopld');
      const { code } = await runBatch({
        source: orthanc.dicomWebUrl,
        plugin: PLUGIN,
        out,
        args: ['--no-results', '--study-uid', PHANTOM_UID],
      });
      expect(code).toBe(1);
      const row = readSummary(out)[0]!;
      expect(row.status).toBe('failed');
      expect(row.reason).toMatch(/PLD.*"pld" parameter/);
      expect(row.cbf_gm_mean ?? '').toBe('');
    }, 30_000);
  },
);
