/**
 * `qiview batch` with the built ASL plugin (org.qiview.asl-perfusion), no mocks: the ASLDRO set written as a classic
 * MR DICOM study (4D "pCASL DRO" series of 20 control/label volumes + separate "M0 DRO" series, no ASL tags, so PLD
 * and label duration come from `--param`). Checks: the plugin is found among the built-ins, the batch selects ASL and
 * M0 series, summary.csv carries the CBF values, the CBF parametric map read back from DICOM gives the DRO's
 * white-paper CBF in pure GM/WM (ground-truth labels) within 2 %, the SR holds the same values as the summary, and
 * result.json reports the `--param` values with provenance "user" (and untouched defaults as "default").
 * A study without the PLD parameter fails with the plugin's reason. Skips when ../shared/data is absent.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../core/common/nifti/read-nifti';
import { parseResultJson, readParametricMap, readSr, writeNifti } from '../../core/common/results';
import { findPlugin } from '../../core/node/plugins/find-plugin';
import { hasDro, writeDroDicomStudy } from '../phantoms/asl-dicom';
import { DRO_DIR, loadDro } from '../phantoms/asl-dro-input';
import { buildPlugins, readSummary, repoRoot, runBatch, studyDir } from '../support/cli-harness';
import { median } from '../support/median';

const PLUGIN = 'org.qiview.asl-perfusion';
const PHILIPS = path.resolve(repoRoot, '../shared/data/asl-philips-pcasl3d-dcmqa/dicom');

let tmp: string;
let tree: string;

describe.skipIf(!hasDro())('qiview batch with the ASL plugin (DRO as DICOM)', () => {
  beforeAll(() => {
    buildPlugins('asl-perfusion');
    tmp = mkdtempSync(path.join(tmpdir(), 'qiview-batch-asl-'));
    tree = path.join(tmp, 'tree');
    writeDroDicomStudy(path.join(tree, 'sub-01'));
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds the built-in plugin', async () => {
    const p = await findPlugin(PLUGIN);
    expect(p.origin).toBe('built-in');
    expect(p.manifest.inputs.map((i) => i.role)).toEqual(['asl', 'm0', 't1', 'roi']);
  });

  it('runs the study: summary.csv, CBF map vs DRO truth, SR, PM, provenance of --param values', async () => {
    const out = path.join(tmp, 'out');
    const { code, io, seconds } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      dataDir: path.join(tmp, 'user'),
      args: ['--workers', '1', '--param', 'pld=1.8', '--param', 'labelDuration=1.8', '--no-results'],
    });
    expect(code, io.errs.join('\n')).toBe(0);
    const rows = readSummary(out);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.status, row.reason).toBe('done');
    expect(row.plugin_id).toBe(PLUGIN);
    const dir = studyDir(out);
    const names = readdirSync(dir).sort();
    expect(names).toEqual(
      expect.arrayContaining(['pm-cbf.dcm', 'pm-cbf-sd.dcm', 'result.json', 'seg-tissue.dcm', 'sr.dcm']),
    );

    // CBF map back from the DICOM parametric map, against the ground truth labels on the same grid
    const { seg, expected } = loadDro();
    const pm = readParametricMap(readFileSync(path.join(dir, 'pm-cbf.dcm')));
    expect(pm.volume.geometry.dimensions).toEqual(seg.geometry.dimensions);
    pm.volume.geometry.origin.forEach((o, a) => expect(o).toBeCloseTo(seg.geometry.origin[a]!, 2));
    const gm: number[] = [],
      wm: number[] = [];
    for (let v = 0; v < seg.data.length; v++) {
      const s = Number(seg.data[v]);
      const c = Number(pm.volume.data[v]);
      if (c === 0) continue; // outside the plugin's brain mask
      if (Math.abs(s - 1) < 0.01) gm.push(c);
      else if (Math.abs(s - 2) < 0.01) wm.push(c);
    }
    const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
    const eWm = expected.white_matter.expected_whitepaper_cbf_analytic as number;
    const gmMed = median(gm),
      wmMed = median(wm);

    // summary.csv (tissue from the plugin's M0-intensity fallback, no T1w in the study)
    const gmMean = Number(row.cbf_gm_mean),
      gmMedian = Number(row.cbf_gm_median),
      wmMean = Number(row.cbf_wm_mean);
    console.log(
      JSON.stringify({
        seconds,
        gmMed,
        wmMed,
        eGm,
        eWm,
        nGm: gm.length,
        nWm: wm.length,
        summary: { gmMean, gmMedian, wmMean, qc: row.qc, pairs: row.pairs_used, bias: row.self_check_bias },
      }),
    );
    expect(gm.length).toBeGreaterThan(0.9 * (expected.grey_matter.n_pure_voxels as number));
    expect(Math.abs(gmMed - eGm) / eGm).toBeLessThan(0.02);
    expect(Math.abs(wmMed - eWm) / eWm).toBeLessThan(0.02);
    expect(Number(row.pairs_used)).toBe(10);
    // the fallback GM class mixes in partial-volume voxels: its mean lies between the pure-WM and pure-GM values
    expect(gmMedian).toBeGreaterThan(0.8 * eGm);
    expect(gmMedian).toBeLessThan(1.05 * eGm);
    expect(wmMean).toBeLessThan(gmMean);

    // SR values equal the summary's
    const sr = readSr(readFileSync(path.join(dir, 'sr.dcm')));
    const m = Object.fromEntries(sr.measurements.map((x) => [x.key, x.value]));
    expect(m.cbf_gm_mean).toBeCloseTo(gmMean, 6);
    expect(m.cbf_wm_mean).toBeCloseTo(wmMean, 6);

    // provenance: --param values are "user", untouched defaults (filled in by the host) are "default"
    const doc = parseResultJson(readFileSync(path.join(dir, 'result.json'), 'utf8'));
    const prov = Object.fromEntries((doc.result.parameters ?? []).map((p) => [p.key, p]));
    expect(prov.pld).toMatchObject({ value: [1.8], source: 'user' });
    expect(prov.labelDuration).toMatchObject({ value: 1.8, source: 'user' });
    expect(prov.lambda).toMatchObject({ value: 0.9, source: 'default' });
    expect(prov.tissueT1!.source).toBe('default');
    expect(prov.bsEfficiency!.source).toBe('default');
    expect(prov.fieldStrength).toMatchObject({ value: 3, source: 'header' });
    expect(String(prov.m0Source!.value)).toMatch(/separate M0 series/);
    expect(prov.m0Registration).toBeUndefined(); // same contrast as the pairs (no suppression): registered
    expect(String(prov.ordering!.value)).toMatch(/^derived/);
    expect(doc.provenance.parameters).toMatchObject({ pld: 1.8, labelDuration: 1.8 });

    // the same maps as a BIDS derivative (NIfTI + JSON), round trip against the DICOM parametric map
    const bids = path.join(dir, 'bids');
    const stem = path.join(bids, 'sub-PHANTOMASL/perf/sub-PHANTOMASL_desc-qiview');
    const nii = readNifti(new Uint8Array(readFileSync(`${stem}_cbf.nii.gz`)));
    expect(nii.geometry.dimensions).toEqual(pm.volume.geometry.dimensions);
    nii.geometry.origin.forEach((o, a) => expect(o).toBeCloseTo(pm.volume.geometry.origin[a]!, 3));
    nii.geometry.direction.forEach((d, a) => expect(d).toBeCloseTo(pm.volume.geometry.direction[a]!, 5));
    let worst = 0;
    for (let v = 0; v < nii.data.length; v++)
      worst = Math.max(worst, Math.abs(Number(nii.data[v]) - Number(pm.volume.data[v])));
    expect(worst).toBeLessThan(1e-3);
    const side = JSON.parse(readFileSync(`${stem}_cbf.json`, 'utf8')) as Record<string, any>;
    expect(side.Units).toBe('ml/100g/min');
    expect(side.GeneratedBy.Name).toBe(PLUGIN);
    expect(side.Provenance.parameters).toMatchObject({ pld: 1.8 });
    expect(readFileSync(`${stem}_cbfsd.nii.gz`).length).toBeGreaterThan(0);
    const dd = JSON.parse(readFileSync(path.join(bids, 'dataset_description.json'), 'utf8'));
    expect(dd.DatasetType).toBe('derivative');
  }, 180_000);

  it('runs an ASL-BIDS NIfTI folder: sidecar and aslcontext.tsv reach the plugin, CBF from the BIDS map vs truth, dseg ROIs in summary.csv', async () => {
    const bidsTree = path.join(tmp, 'bids-tree');
    const study = path.join(bidsTree, 'sub-dro', 'perf');
    mkdirSync(study, { recursive: true });
    for (const [from, to] of [
      ['001_asl.nii.gz', 'sub-dro_asl.nii.gz'],
      ['001_asl.json', 'sub-dro_asl.json'],
      ['001_aslcontext.tsv', 'sub-dro_aslcontext.tsv'],
    ])
      copyFileSync(path.join(DRO_DIR, 'asl', from!), path.join(study, to!));
    // user regions as a BIDS dseg: 1 = pure GM, 2 = pure WM of the ground truth, names in the dseg.tsv
    const { seg: truth } = loadDro();
    const labels = Uint8Array.from(truth.data as ArrayLike<number>, (s) =>
      Math.abs(s - 1) < 0.01 ? 1 : Math.abs(s - 2) < 0.01 ? 2 : 0,
    );
    writeFileSync(
      path.join(study, 'sub-dro_dseg.nii.gz'),
      writeNifti({ ...truth, data: labels, frames: 1, unit: '1', warnings: [] }),
    );
    writeFileSync(path.join(study, 'sub-dro_dseg.tsv'), 'index\tname\n1\tpure GM\n2\tpure WM\n');
    const out = path.join(tmp, 'out-bids');
    const { code, io } = await runBatch({
      source: bidsTree,
      plugin: PLUGIN,
      out,
      args: ['--workers', '1', '--no-results'],
    });
    expect(code, io.errs.join('\n')).toBe(0);
    const row = readSummary(out)[0]!;
    expect(row.status, row.reason).toBe('done');
    expect(Number(row.pairs_used)).toBe(10);
    const dir = studyDir(out);
    const doc = parseResultJson(readFileSync(path.join(dir, 'result.json'), 'utf8'));
    const prov = Object.fromEntries((doc.result.parameters ?? []).map((p) => [p.key, p]));
    expect(prov.pld).toMatchObject({ value: [1.8], source: 'sidecar' });
    expect(prov.labelDuration).toMatchObject({ value: 1.8, source: 'sidecar' });
    expect(prov.labelingEfficiency).toMatchObject({ value: 0.85, source: 'sidecar' });
    expect(String(prov.ordering!.value)).toMatch(/aslcontext\.tsv/);
    expect(String(prov.m0Source!.value)).toMatch(/M0 volumes in the ASL series \(0\)/);
    // no DICOM study: no PM/SR, maps as BIDS derivative only
    const nii = readNifti(
      new Uint8Array(readFileSync(path.join(dir, 'bids/sub-dro/perf/sub-dro_desc-qiview_cbf.nii.gz'))),
    );
    const { seg, expected } = loadDro();
    expect(nii.geometry.dimensions).toEqual(seg.geometry.dimensions);
    const gm: number[] = [],
      wm: number[] = [];
    for (let v = 0; v < seg.data.length; v++) {
      const s = Number(seg.data[v]);
      const c = Number(nii.data[v]);
      if (c === 0) continue;
      if (Math.abs(s - 1) < 0.01) gm.push(c);
      else if (Math.abs(s - 2) < 0.01) wm.push(c);
    }
    const eGm = expected.grey_matter.expected_whitepaper_cbf_analytic as number;
    const eWm = expected.white_matter.expected_whitepaper_cbf_analytic as number;
    console.log(
      JSON.stringify({
        bidsGmMed: median(gm),
        bidsWmMed: median(wm),
        eGm,
        eWm,
        roi1Median: row.cbf_roi1_median,
        roi2Median: row.cbf_roi2_median,
      }),
    );
    expect(Math.abs(median(gm) - eGm) / eGm).toBeLessThan(0.02);
    expect(Math.abs(median(wm) - eWm) / eWm).toBeLessThan(0.02);
    // the dseg regions reach the plugin (role "roi" by BIDS suffix) and their values land in summary.csv
    expect(Number(row.cbf_roi1_median)).toBeCloseTo(median(gm), 4);
    expect(Number(row.cbf_roi2_median)).toBeCloseTo(median(wm), 4);
    expect(Number(row.roi1_voxels)).toBe(gm.length);
    expect(String(prov.roi!.value)).toBe('1 pure GM; 2 pure WM');
    expect(readdirSync(dir)).toContain('seg-roi.nii.gz');
  }, 180_000);

  it.skipIf(!existsSync(PHILIPS))(
    'runs the Philips 3D pCASL study (402 + 401 in one folder): label/control from (2005,1429) through the batch',
    async () => {
      const tree3 = path.join(tmp, 'philips-tree');
      const study = path.join(tree3, 'philips');
      mkdirSync(study, { recursive: true });
      for (const sub of readdirSync(PHILIPS))
        for (const f of readdirSync(path.join(PHILIPS, sub)))
          copyFileSync(path.join(PHILIPS, sub, f), path.join(study, `${sub.slice(0, 3)}-${f}`));
      const out = path.join(tmp, 'out-philips');
      const { code, io } = await runBatch({
        source: tree3,
        plugin: PLUGIN,
        out,
        args: ['--workers', '1', '--no-results', '--param', 'pld=2', '--param', 'labelDuration=1.8'],
      });
      expect(code, io.errs.join('\n')).toBe(0);
      const row = readSummary(out)[0]!;
      expect(row.status, row.reason).toBe('done');
      const dir = studyDir(out);
      const doc = parseResultJson(readFileSync(path.join(dir, 'result.json'), 'utf8'));
      const prov = Object.fromEntries((doc.result.parameters ?? []).map((p) => [p.key, p]));
      expect(prov.ordering).toMatchObject({ source: 'header' });
      expect(String(prov.ordering!.value)).toMatch(/2005,1429.*1 unsuppressed control\/label pair/);
      // frames in temporal order: dynamic 1 (control, label) = M0, then 7 control/label pairs
      expect(prov.ordering!.detail).toBe(
        ['m0scan', 'm0scan', ...Array.from({ length: 7 }, () => ['control', 'label']).flat()].join(','),
      );
      expect(String(prov.m0Source!.value)).toMatch(/M0 volumes in the ASL series \(0, 1\)/);
      // the unsuppressed M0 dynamic has another contrast than the suppressed pairs: its SSD registration is not
      // trusted (residual ~4.7 %, a spurious 4 mm shift before this gate) and it is used as acquired
      expect(prov.m0Registration).toMatchObject({ value: 'not applied' });
      expect(String(prov.m0Registration!.detail)).toMatch(
        /volume 0: residual 4\.\d %; volume 1: residual 4\.\d %/,
      );
      expect(Number(row.fd_mean)).toBeLessThan(0.5);
      console.log(
        JSON.stringify({
          gm: row.cbf_gm_mean,
          wm: row.cbf_wm_mean,
          qc: row.qc,
          reasons: row.qc_reasons,
          pairs: row.pairs_used,
        }),
      );
      // this QA acquisition's perfusion difference is at the noise level of its rounded source images (see
      // asl-philips.test.ts): the GM value is not physiological and QC must say so rather than pass it
      expect(row.qc).toBe('fail');
      expect(row.qc_reasons).toMatch(/GM CBF/);
    },
    120_000,
  );

  it('without a PLD the study fails with the plugin reason (no number is made up)', async () => {
    const out = path.join(tmp, 'out-nopld');
    const { code } = await runBatch({
      source: tree,
      plugin: PLUGIN,
      out,
      args: ['--workers', '1', '--no-results'],
    });
    expect(code).toBe(1);
    const rows = readSummary(out);
    expect(rows[0]!.status).toBe('failed');
    expect(rows[0]!.reason).toMatch(/PLD.*"pld" parameter/);
    expect(rows[0]!.cbf_gm_mean ?? '').toBe('');
  }, 120_000);
});
