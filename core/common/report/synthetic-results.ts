/**
 * Synthetic pCASL-like and lung-fibrosis-like results with the real plugins' result shape (measurement keys, QC
 * metrics, parameter provenance, plots, key images) and small voxel grids, for report tests and the dev/test report
 * page. Values are computed from the synthetic voxels, not typed in.
 */
import type { AnalysisResult, Geometry, Labelmap, Measurement, Volume } from '@qiview/sdk';
import type { ResultProvenance } from '../results/provenance';

const DIRECTION: Geometry['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** A synthetic result with its provenance and the input volumes by role. */
export interface SyntheticReportCase {
  result: AnalysisResult;
  provenance: ResultProvenance;
  volumes: Record<string, Volume>;
}

function stats(values: number[]): { mean: number; median: number; sd: number } {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.length - 1));
  return { mean, median, sd };
}

const MEAN = { value: '113860', scheme: 'DCM', meaning: 'Mean' };
const MEDIAN = { value: '113861', scheme: 'DCM', meaning: 'Median' };
const CBF = { value: '113055', scheme: 'DCM', meaning: 'Cerebral Blood Flow' };

/**
 * A pCASL-like result on a 32×32×12 grid: a brain ellipse with a grey-matter rim (CBF ≈ 60) around white matter
 * (CBF ≈ 25), the asl-perfusion plugin's measurement keys, QC (warn: spatial CoV), parameters and histogram.
 */
export function syntheticAslCase(): SyntheticReportCase {
  const [nx, ny, nz] = [32, 32, 12];
  const geometry: Geometry = {
    dimensions: [nx, ny, nz],
    spacing: [3, 3, 5],
    origin: [0, 0, 0],
    direction: DIRECTION,
  };
  const n = nx * ny * nz;
  const cbf = new Float32Array(n);
  const labels = new Uint8Array(n);
  const gm: number[] = [],
    wm: number[] = [],
    br: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const q = i + nx * (j + ny * k);
        const r = Math.hypot((i - 15.5) / 13, (j - 15.5) / 15, (k - 5.5) / 7);
        if (r >= 1) continue;
        const wobble = 4 * Math.sin(i * 0.7 + j * 0.3 + k);
        const isGm = r > 0.7;
        labels[q] = isGm ? 1 : 2;
        cbf[q] = (isGm ? 60 : 25) + wobble;
        (isGm ? gm : wm).push(cbf[q]!);
        br.push(cbf[q]!);
      }
  const g = stats(gm),
    w = stats(wm),
    b = stats(br);
  const cov = g.sd / g.mean;
  const volume: Volume = {
    geometry,
    data: cbf,
    frames: 1,
    unit: 'ml/100g/min',
    metadata: { modality: 'MR', seriesInstanceUid: '1.2.826.0.1.3680043.8.498.1' },
    warnings: [],
  };
  const reg = (label: number, name: string) => ({ labelmapId: 'tissue', label, name });
  const m = (key: string, name: string, value: number, unit: string, extra: Partial<Measurement> = {}) => ({
    key,
    name,
    value,
    unit,
    ...extra,
  });
  const x: number[] = [],
    y: number[] = [];
  for (let c = -20; c < 150; c += 5) {
    x.push(c + 2.5);
    y.push(gm.filter((v) => v >= c && v < c + 5).length);
  }
  const tissue: Labelmap = {
    id: 'tissue',
    name: 'Tissue',
    geometry,
    data: labels,
    referencedSeriesUid: volume.metadata.seriesInstanceUid,
    segments: [
      { label: 1, name: 'Grey matter', color: [200, 120, 120] },
      { label: 2, name: 'White matter', color: [230, 230, 230] },
    ],
  };
  const result: AnalysisResult = {
    labelmaps: [tissue],
    maps: [
      {
        id: 'cbf',
        name: 'CBF',
        volume: volume as Volume & { data: Float32Array },
        quantity: CBF,
        display: { colormap: 'hot', range: [0, 100] },
      },
    ],
    measurements: [
      m('cbf_gm_mean', 'Mean GM CBF', g.mean, 'ml/100g/min', {
        derivation: MEAN,
        region: reg(1, 'Grey matter'),
        uncertainty: g.sd,
      }),
      m('cbf_gm_median', 'Median GM CBF', g.median, 'ml/100g/min', {
        derivation: MEDIAN,
        region: reg(1, 'Grey matter'),
      }),
      m('cbf_wm_mean', 'Mean WM CBF', w.mean, 'ml/100g/min', {
        derivation: MEAN,
        region: reg(2, 'White matter'),
        uncertainty: w.sd,
      }),
      m('cbf_wm_median', 'Median WM CBF', w.median, 'ml/100g/min', {
        derivation: MEDIAN,
        region: reg(2, 'White matter'),
      }),
      m('cbf_brain_mean', 'Mean whole-brain CBF', b.mean, 'ml/100g/min', { derivation: MEAN }),
      m('cbf_brain_median', 'Median whole-brain CBF', b.median, 'ml/100g/min', { derivation: MEDIAN }),
      m('cbf_gm_wm_ratio', 'GM/WM CBF ratio', g.mean / w.mean, '1'),
      m('spatial_cov_gm', 'Spatial CoV (GM)', cov, '1'),
      m('fd_mean', 'Mean framewise displacement', 0.21, 'mm'),
      m('pairs_used', 'Label/control pairs used', 30, '1'),
    ],
    findings: [
      `Mean grey-matter CBF ${g.mean.toFixed(1)} ml/100g/min, white matter ${w.mean.toFixed(1)} ml/100g/min.`,
      'Tissue classes estimated from M0 (no T1w given): GM/WM values are approximate.',
    ],
    qc: {
      status: 'warn',
      reasons: ['Tissue segmentation fell back to M0 thresholds (no T1-weighted series).'],
      metrics: { spatial_cov: cov, fd_mean_mm: 0.21, fd_max_mm: 0.6 },
    },
    parameters: [
      {
        key: 'labeling',
        name: 'Labelling',
        value: 'PCASL',
        source: 'header',
        detail: 'Siemens CSA tSequenceFileName',
      },
      {
        key: 'pld',
        name: 'Post-labelling delay',
        value: 1.8,
        unit: 's',
        source: 'sidecar',
        detail: 'PostLabelingDelay',
      },
      {
        key: 'tau',
        name: 'Label duration',
        value: 1.8,
        unit: 's',
        source: 'sidecar',
        detail: 'LabelingDuration',
      },
      {
        key: 't1b',
        name: 'T1 of arterial blood',
        value: 1.65,
        unit: 's',
        source: 'default',
        detail: 'ASL white paper (Alsop 2015)',
      },
      { key: 'alpha', name: 'Labelling efficiency', value: 0.85, source: 'default', detail: 'Alsop 2015' },
      {
        key: 'lambda',
        name: 'Blood–brain partition coefficient',
        value: 0.9,
        unit: 'ml/g',
        source: 'default',
      },
      { key: 'm0Source', name: 'M0', value: 'separate M0 series', source: 'derived' },
    ],
    plots: [
      {
        id: 'cbf-histogram',
        title: `GM CBF histogram (${gm.length} voxels)`,
        kind: 'histogram',
        xLabel: 'CBF (ml/100g/min)',
        yLabel: 'voxels',
        x,
        series: [{ name: 'GM', y }],
      },
    ],
    keyImages: [{ source: 'cbf', slice: Math.floor(nz / 2), axis: 'axial', caption: 'CBF, mid slice' }],
  };
  const provenance: ResultProvenance = {
    pluginId: 'org.qiview.asl-perfusion',
    pluginVersion: '0.1.0',
    models: [],
    inputSeries: { asl: volume.metadata.seriesInstanceUid! },
    sdkVersion: '1.0.0',
    timestamp: '2026-11-20T09:30:00.000Z',
    host: 'qiview (test)',
  };
  return { result, provenance, volumes: { asl: volume } };
}

const LUNG_REGIONS = [
  { key: 'lungs', name: 'Both lungs' },
  { key: 'right', name: 'Right lung' },
  { key: 'left', name: 'Left lung' },
  { key: 'upper', name: 'Upper zone' },
  { key: 'middle', name: 'Middle zone' },
  { key: 'lower', name: 'Lower zone' },
  { key: 'core', name: 'Core' },
  { key: 'rind', name: 'Rind (subpleural 10 mm)' },
];

/**
 * A lung-fibrosis-like result on a 40×32×12 CT grid: two lungs (−850 HU) in soft tissue (40 HU) with reticular
 * bands (−400 HU) at the bases, the lung-fibrosis plugin's measurement keys for 8 regions, QC pass, provenance and
 * plots. Extents are counted from the synthetic texture labelmap.
 */
export function syntheticLungCase(): SyntheticReportCase {
  const [nx, ny, nz] = [40, 32, 12];
  const geometry: Geometry = {
    dimensions: [nx, ny, nz],
    spacing: [8, 8, 10],
    origin: [0, 0, 0],
    direction: DIRECTION,
  };
  const n = nx * ny * nz;
  const hu = new Int16Array(n).fill(40);
  const lungs = new Uint8Array(n);
  const texture = new Uint8Array(n);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const q = i + nx * (j + ny * k);
        const side = i < nx / 2 ? 1 : 2; // i increases towards patient left (LPS): first half is the right lung
        const ci = side === 1 ? 10 : 29;
        if (Math.hypot((i - ci) / 8, (j - 15.5) / 12) >= 1) continue;
        lungs[q] = side;
        const fibrotic = k < 4 && (i + j) % 5 === 0;
        hu[q] = fibrotic ? -400 : -850 + ((i * 7 + j * 3 + k) % 11) * 5;
        texture[q] = fibrotic ? 3 : 1;
      }
  const volume: Volume = {
    geometry,
    data: hu,
    frames: 1,
    unit: 'HU',
    metadata: {
      modality: 'CT',
      seriesInstanceUid: '1.2.826.0.1.3680043.8.498.2',
      patientName: 'Test^Lung',
      patientId: 'LUNG-001',
    },
    warnings: [],
  };
  const inRegion = (key: string, q: number): boolean => {
    if (!lungs[q]) return false;
    const k = Math.floor(q / (nx * ny));
    if (key === 'right') return lungs[q] === 1;
    if (key === 'left') return lungs[q] === 2;
    if (key === 'upper') return k >= 8;
    if (key === 'middle') return k >= 4 && k < 8;
    if (key === 'lower') return k < 4;
    return true; // lungs, core, rind: whole lung in this synthetic case
  };
  const measurements: Measurement[] = [];
  const voxelMl = (8 * 8 * 10) / 1000;
  for (const r of LUNG_REGIONS) {
    const vals: number[] = [];
    let fib = 0;
    for (let q = 0; q < n; q++)
      if (inRegion(r.key, q)) {
        vals.push(hu[q]!);
        if (texture[q] === 3) fib++;
      }
    const s = stats(vals);
    const pct = (c: number) => (100 * c) / vals.length;
    const add = (key: string, name: string, value: number, unit: string) =>
      measurements.push({ key: `${r.key}_${key}`, name: `${r.name}: ${name}`, value, unit });
    add('volume', 'volume', vals.length * voxelMl, 'ml');
    add('mld', 'mean lung density', s.mean, 'HU');
    add('sd', 'density SD', s.sd, 'HU');
    add('haa', 'HAA [−600, −250] HU', pct(vals.filter((v) => v >= -600 && v <= -250).length), '%');
    add('laa950', 'LAA < −950 HU', pct(vals.filter((v) => v < -950).length), '%');
    add('normal_pct', 'normal extent', pct(vals.length - fib), '%');
    add('ground_glass_pct', 'ground glass extent', 0, '%');
    add('reticular_pct', 'reticular extent', pct(fib), '%');
    add('honeycombing_pct', 'honeycombing extent', 0, '%');
    add('fibrosis_extent', 'fibrosis extent (reticular + honeycombing)', pct(fib), '%');
  }
  const total = measurements.find((m) => m.key === 'lungs_volume')!.value;
  const segments = (names: string[]) =>
    names.map((name, i) => ({
      label: i + 1,
      name,
      color: [
        [90, 160, 90],
        [240, 140, 40],
      ][i] as [number, number, number],
    }));
  const result: AnalysisResult = {
    labelmaps: [
      {
        id: 'lungs',
        name: 'Lungs',
        geometry,
        data: lungs,
        segments: [
          { label: 1, name: 'Right lung', color: [80, 140, 220] },
          { label: 2, name: 'Left lung', color: [220, 140, 80] },
        ],
      },
      {
        id: 'texture',
        name: 'Texture',
        geometry,
        data: texture,
        segments: [...segments(['Normal']), { label: 3, name: 'Reticular', color: [240, 140, 40] }],
      },
    ],
    maps: [],
    measurements,
    findings: [
      `Fibrosis extent ${measurements.find((m) => m.key === 'lungs_fibrosis_extent')!.value.toFixed(1)} % of lung volume, lower-zone predominant.`,
    ],
    qc: { status: 'pass', reasons: [], metrics: { slice_thickness_mm: 10, lung_volume_ml: total } },
    parameters: [
      {
        key: 'slice_thickness',
        name: 'Slice thickness',
        value: 10,
        unit: 'mm',
        source: 'header',
        detail: 'DICOM (0018,0050) SliceThickness',
      },
      {
        key: 'kernel',
        name: 'Reconstruction kernel',
        value: 'B70f',
        source: 'header',
        detail: 'DICOM (0018,1210) ConvolutionKernel',
      },
      { key: 'segmentation', name: 'Lung segmentation', value: 'threshold', source: 'default' },
      {
        key: 'total_lung_volume',
        name: 'Total lung volume (inspiration)',
        value: Math.round(total),
        unit: 'ml',
        source: 'derived',
      },
      {
        key: 'severity_thresholds',
        name: 'Severity thresholds (fibrosis extent)',
        value: [5, 20],
        unit: '%',
        source: 'default',
        detail: 'Fleischner ILA 5 % (Hatabu 2020); Goh staging 20 % (Goh 2008)',
      },
      { key: 'rind_mm', name: 'Rind depth', value: 10, unit: 'mm', source: 'default' },
    ],
    plots: [
      {
        id: 'zone-bars',
        title: 'Extent per zone',
        kind: 'bar',
        xLabel: 'zone',
        yLabel: '% of zone',
        x: ['Upper zone', 'Middle zone', 'Lower zone'],
        series: [
          {
            name: 'Fibrosis extent',
            y: ['upper', 'middle', 'lower'].map(
              (z) => measurements.find((m) => m.key === `${z}_fibrosis_extent`)!.value,
            ),
          },
        ],
      },
    ],
    keyImages: [{ source: 'ct', slice: 1, axis: 'axial', caption: 'Slice with the largest fibrotic area' }],
  };
  const provenance: ResultProvenance = {
    pluginId: 'org.qiview.lung-fibrosis',
    pluginVersion: '0.1.0',
    models: [
      {
        id: 'lung-seg',
        version: '1.0',
        sha256: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
        file: 'lung-seg.onnx',
      },
    ],
    inputSeries: { ct: volume.metadata.seriesInstanceUid! },
    sdkVersion: '1.0.0',
    timestamp: '2026-11-21T14:05:00.000Z',
  };
  return { result, provenance, volumes: { ct: volume } };
}
