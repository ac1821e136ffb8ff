/**
 * Lung fibrosis plugin: lung segmentation that keeps dense pathology, densitometry and texture classes per lung and
 * zone, severity, acquisition checks, and follow-up against a prior CT.
 *
 * Public entry points: the default export (the plugin), {@link analyseLungs} (one CT → segmentation + stats, used by
 * the follow-up and by tests), and the modules' exported constants.
 *
 * @packageDocumentation
 */
import {
  AnalysisError,
  definePlugin,
  emptyResult,
  type AnalysisContext,
  type AnalysisInput,
  type AnalysisResult,
  type InputSeries,
  type Labelmap,
  type Measurement,
  type Volume,
} from '@qiview/sdk';
import { ACQUISITION_LIMITS, checkInput } from './acquisition';
import { buildFindings } from './findings';
import {
  carryPriorLabels,
  compareExtent,
  DEFAULT_MCID_PCT,
  MIN_PRIOR_OVERLAP,
  registerPrior,
  type RegionChange,
} from './follow-up';
import { PERCENTILES, quantify, severityOf, SEVERITY_THRESHOLDS, type RegionStats } from './quantify';
import { segmentLungsAuto, toKernelData, type LungSegmentation } from './segment-lungs';
import { segmentLungsOnnx } from './segment-onnx';
import { classifyTexture, TEXTURE_CLASSES } from './texture';
import { computeZones, RIND_MM, ZONES } from './zones';

/** Minimum total lung volume, ml, below which the series is refused as "no lungs in the field of view". */
export const MIN_LUNG_ML = 100;

/** Everything computed on one CT. */
export interface LungAnalysis {
  segmentation: LungSegmentation;
  zones: Uint8Array;
  texture: Uint8Array;
  stats: RegionStats[];
  method: 'kernels' | 'onnx';
}

/**
 * Segments, zones, classifies and quantifies one CT volume (no input checks; see checkInput). Progress is reported
 * per stage inside `progressRange` of the whole run.
 */
export async function analyseLungs(
  volume: Volume,
  context: AnalysisContext,
  method: 'kernels' | 'onnx' = 'kernels',
  progressRange: [number, number] = [0.05, 0.6],
): Promise<LungAnalysis> {
  const k = context.kernels;
  const [lo, hi] = progressRange;
  const stage = (f: number, message: string) => context.progress(lo + (hi - lo) * f, message);
  stage(0, 'segmenting lungs');
  const segmentation =
    method === 'onnx' ? await segmentLungsOnnx(volume, context) : segmentLungsAuto(volume, k);
  context.throwIfCancelled();
  const total = segmentation.volumeMl.right + segmentation.volumeMl.left;
  if (total < MIN_LUNG_ML) {
    throw new AnalysisError(
      'no-lungs',
      `No lungs found (${total.toFixed(0)} ml of lung-like air): not a chest CT, or the lungs are outside the field of view.`,
    );
  }
  const hu = toKernelData(volume);
  stage(0.7, 'lung zones');
  const zones = computeZones(segmentation.labels, volume.geometry, k, RIND_MM);
  context.throwIfCancelled();
  stage(0.8, 'texture classes');
  const texture = classifyTexture(hu, segmentation.labels, volume.geometry, k);
  context.throwIfCancelled();
  stage(0.95, 'quantifying');
  const sp = volume.geometry.spacing;
  const stats = quantify(hu, segmentation.labels, zones, texture, (sp[0] * sp[1] * sp[2]) / 1000);
  return { segmentation, zones, texture, stats, method };
}

const SCT = (value: string, meaning: string) => ({ value, scheme: 'SCT', meaning });
const QV = (value: string, meaning: string) => ({ value, scheme: '99QIVIEW', meaning });

function measurementsOf(stats: RegionStats[], lungsId: string): Measurement[] {
  const out: Measurement[] = [];
  for (const s of stats) {
    if (!s.voxels) continue;
    const region =
      s.key === 'right'
        ? { labelmapId: lungsId, label: 1, name: 'Right lung' }
        : s.key === 'left'
          ? { labelmapId: lungsId, label: 2, name: 'Left lung' }
          : undefined;
    const add = (key: string, name: string, value: number, unit: string, concept?: Measurement['concept']) =>
      out.push({ key: `${s.key}_${key}`, name: `${s.name}: ${name}`, value, unit, concept, region });
    add('volume', 'volume', s.volumeMl, 'ml', SCT('118565006', 'Volume'));
    add('mld', 'mean lung density', s.mld, 'HU', QV('LUNG-MLD', 'Mean lung density'));
    add('sd', 'density SD', s.sd, 'HU');
    for (const p of PERCENTILES)
      add(
        `p${p}`,
        `${p}th percentile density`,
        s.percentiles[p],
        'HU',
        QV(`LUNG-P${p}`, `Lung density percentile ${p}`),
      );
    add('skewness', 'histogram skewness', s.skewness, '1', QV('LUNG-SKEW', 'Lung density skewness'));
    add(
      'kurtosis',
      'histogram excess kurtosis',
      s.kurtosis,
      '1',
      QV('LUNG-KURT', 'Lung density excess kurtosis'),
    );
    add('haa', 'HAA [−600, −250] HU', s.haaPct, '%', QV('LUNG-HAA', 'High attenuation area percent'));
    add(
      'laa950',
      'LAA < −950 HU',
      s.laa950Pct,
      '%',
      QV('LUNG-LAA950', 'Low attenuation area percent below -950 HU'),
    );
    for (const c of TEXTURE_CLASSES)
      add(
        `${c.key}_pct`,
        `${c.name.toLowerCase()} extent`,
        s.classPct[c.key],
        '%',
        QV(`LUNG-TEX-${c.key.toUpperCase()}`, `${c.name} extent`),
      );
    add(
      'fibrosis_extent',
      'fibrosis extent (reticular + honeycombing)',
      s.fibrosisPct,
      '%',
      QV('LUNG-FIB', 'Fibrosis extent'),
    );
  }
  return out;
}

function studyUidOf(s: InputSeries): string | undefined {
  const u = s.dicom.StudyInstanceUID ?? s.volume.metadata.studyInstanceUid;
  return typeof u === 'string' && u.trim() ? u.trim() : undefined;
}

/** Study date as YYYYMMDD (DICOM DA), when known. */
function studyDateOf(s: InputSeries): string | undefined {
  const d = s.dicom.StudyDate ?? s.volume.metadata.studyDate;
  const t = typeof d === 'string' ? d.replace(/[^0-9]/g, '') : '';
  return t.length === 8 ? t : undefined;
}

function priorSeries(input: AnalysisInput): InputSeries | undefined {
  if (input.series.prior) return input.series.prior;
  for (const p of input.priors ?? []) {
    const s = p.series.ct ?? Object.values(p.series).find((x) => x !== undefined);
    if (s) return s;
  }
  return undefined;
}

/** Runs the whole analysis (exported for the batch CLI and tests; the default export wraps it). */
export async function runLungFibrosis(
  input: AnalysisInput,
  context: AnalysisContext,
): Promise<AnalysisResult> {
  const series =
    input.series.ct ?? Object.values(input.series).find((s) => s !== undefined && s.role !== 'prior');
  if (!series) throw new AnalysisError('missing-input', 'No CT series was given.');
  let volume = series.volume;
  const warnings: string[] = [];
  if (volume.frames > 1) {
    warnings.push(`4D series with ${volume.frames} frames: only the first frame was analysed.`);
    const n = volume.geometry.dimensions[0] * volume.geometry.dimensions[1] * volume.geometry.dimensions[2];
    volume = { ...volume, frames: 1, data: volume.data.subarray(0, n) as typeof volume.data };
  }
  const check = checkInput({ ...series, volume });
  warnings.push(...check.warnings);
  const method = input.parameters.segmentation === 'onnx' ? 'onnx' : 'kernels';
  const mcid = typeof input.parameters.mcidPct === 'number' ? input.parameters.mcidPct : DEFAULT_MCID_PCT;
  const a = await analyseLungs(volume, context, method, [0.05, 0.6]);
  context.progress(0.6, 'building results');
  const seg = a.segmentation;
  if (seg.truncated)
    warnings.push('The lungs are not fully in the field of view: values describe the covered part only.');
  if (!seg.tracheaFound) warnings.push('Trachea not found on the upper slices: airways were not excluded.');
  const totalMl = seg.volumeMl.right + seg.volumeMl.left;
  if (!seg.truncated && totalMl < ACQUISITION_LIMITS.minInspirationMl) {
    warnings.push(
      `Total lung volume ${totalMl.toFixed(0)} ml is below ${ACQUISITION_LIMITS.minInspirationMl} ml: possibly incomplete inspiration, which raises densities and HAA.`,
    );
  }
  if (seg.volumeMl.right === 0 || seg.volumeMl.left === 0) warnings.push('Only one lung was found.');
  warnings.push(...seg.notes.map((n) => `Segmentation: ${n}.`));

  const g = volume.geometry;
  const voxelMl = (g.spacing[0] * g.spacing[1] * g.spacing[2]) / 1000;
  const uid = volume.metadata.seriesInstanceUid;
  const alg = { type: 'AUTOMATIC' as const, name: `Qiview lung-fibrosis (${method})` };
  const lungsMap: Labelmap = {
    id: 'lungs',
    name: 'Lungs',
    geometry: g,
    data: seg.labels,
    referencedSeriesUid: uid,
    segments: [
      {
        label: 1,
        name: 'Right lung',
        color: [80, 160, 220],
        category: SCT('123037004', 'Anatomical Structure'),
        type: SCT('3341006', 'Right lung'),
        algorithm: alg,
      },
      {
        label: 2,
        name: 'Left lung',
        color: [220, 160, 80],
        category: SCT('123037004', 'Anatomical Structure'),
        type: SCT('44029006', 'Left lung'),
        algorithm: alg,
      },
    ],
  };
  const zoneColors: Array<[number, number, number]> = [
    [120, 180, 255],
    [40, 100, 220],
    [150, 230, 150],
    [40, 160, 60],
    [255, 200, 120],
    [230, 120, 30],
  ];
  const zonesMap: Labelmap = {
    id: 'zones',
    name: 'Lung zones',
    geometry: g,
    data: a.zones,
    referencedSeriesUid: uid,
    segments: ZONES.map((z, i) => ({
      label: z.label,
      name: z.name,
      color: zoneColors[i],
      category: SCT('123037004', 'Anatomical Structure'),
      type: SCT('39607008', 'Lung structure'),
      algorithm: alg,
    })),
  };
  const textureMap: Labelmap = {
    id: 'texture',
    name: 'Lung texture classes',
    geometry: g,
    data: a.texture,
    referencedSeriesUid: uid,
    segments: TEXTURE_CLASSES.map((c) => ({
      label: c.label,
      name: c.name,
      color: c.color,
      category: SCT('49755003', 'Morphologically Altered Structure'),
      algorithm: alg,
    })),
  };

  const result = emptyResult();
  result.labelmaps.push(lungsMap, zonesMap, textureMap);
  result.measurements.push(...measurementsOf(a.stats, 'lungs'));
  const all = a.stats[0];
  result.parameters = [
    ...check.provenance,
    {
      key: 'segmentation',
      name: 'Lung segmentation',
      value: method,
      source: input.parameters.segmentation ? 'user' : 'default',
    },
    {
      key: 'total_lung_volume',
      name: 'Total lung volume (inspiration)',
      value: Math.round(totalMl),
      unit: 'ml',
      source: 'derived',
    },
    {
      key: 'severity_thresholds',
      name: 'Severity thresholds (fibrosis extent)',
      value: [SEVERITY_THRESHOLDS.minimalBelowPct, SEVERITY_THRESHOLDS.extensiveAbovePct],
      unit: '%',
      source: 'default',
      detail: 'Fleischner ILA 5 % (Hatabu 2020); Goh staging 20 % (Goh 2008)',
    },
    { key: 'severity', name: 'Severity category', value: severityOf(all.fibrosisPct), source: 'derived' },
    { key: 'rind_mm', name: 'Rind depth', value: RIND_MM, unit: 'mm', source: 'default' },
  ];

  // histogram (10 HU bins from −1000 to 0) and per-zone bars
  const centres: number[] = [];
  for (let c = -995; c < 0; c += 10) centres.push(c);
  const binned = (s: RegionStats) =>
    centres.map((c) => {
      let sum = 0;
      for (let v = c - 5; v < c + 5; v++) sum += s.histogram[v + 1024];
      return s.voxels ? (100 * sum) / s.voxels : 0;
    });
  const zoneStats = ZONES.map((z) => a.stats.find((s) => s.key === z.key)!);
  result.plots = [
    {
      id: 'density-histogram',
      title: 'Lung density histogram',
      kind: 'histogram',
      xLabel: 'HU',
      yLabel: '% of lung voxels',
      x: centres,
      series: [a.stats[1], a.stats[2]].map((s) => ({ name: s.name, y: binned(s) })),
    },
    {
      id: 'zone-bars',
      title: 'Extent per zone',
      kind: 'bar',
      xLabel: 'zone',
      yLabel: '% of zone',
      x: zoneStats.map((s) => s.name),
      series: [
        { name: 'Fibrosis extent', y: zoneStats.map((s) => s.fibrosisPct || 0) },
        { name: 'Ground glass', y: zoneStats.map((s) => s.classPct.ground_glass || 0) },
        { name: 'HAA', y: zoneStats.map((s) => s.haaPct || 0) },
      ],
    },
  ];
  // key image: the axial slice with the most fibrotic voxels
  const [nx, ny, nz] = g.dimensions;
  let bestK = Math.floor(nz / 2),
    bestC = -1;
  for (let k = 0; k < nz; k++) {
    let c = 0;
    for (let q = k * nx * ny; q < (k + 1) * nx * ny; q++) if (a.texture[q] === 3 || a.texture[q] === 4) c++;
    if (c > bestC) {
      bestC = c;
      bestK = k;
    }
  }
  result.keyImages = [
    { source: series.role, slice: bestK, axis: 'axial', caption: 'Slice with the largest fibrotic area' },
  ];

  // follow-up
  let changes: RegionChange[] | undefined;
  const prior = priorSeries(input);
  if (prior) {
    context.progress(0.7, 'analysing the prior CT');
    try {
      const curStudy = studyUidOf(series);
      if (curStudy && curStudy === studyUidOf(prior))
        throw new Error(
          'the "prior" series belongs to the same study as the current CT (another reconstruction, not an earlier scan)',
        );
      const [curDate, priorDate] = [studyDateOf(series), studyDateOf(prior)];
      if (curDate && priorDate && priorDate > curDate)
        throw new Error(
          `the "prior" CT (${priorDate}) is newer than the current CT (${curDate}); analyse the newer scan with the older one as prior`,
        );
      checkInput(prior);
      const pa = await analyseLungs(prior.volume, context, method, [0.7, 0.8]);
      const priorLungs = new Uint8Array(pa.segmentation.labels.length);
      for (let q = 0; q < priorLungs.length; q++) priorLungs[q] = pa.segmentation.labels[q] ? 1 : 0;
      const curLungs = new Uint8Array(seg.labels.length);
      for (let q = 0; q < curLungs.length; q++) curLungs[q] = seg.labels[q] ? 1 : 0;
      context.progress(0.8, 'registering the prior CT');
      const reg = await registerPrior(volume, curLungs, prior.volume, priorLungs, context);
      // Carry the prior's lungs and texture classes onto the current grid and measure them in the current zones.
      const k = context.kernels;
      const carriedLungs = reg.matrix
        ? carryPriorLabels(priorLungs, prior.volume.geometry, g, reg.matrix, k)
        : undefined;
      const carriedTexture = reg.matrix
        ? carryPriorLabels(pa.texture, prior.volume.geometry, g, reg.matrix, k)
        : undefined;
      let correspondence: string;
      if (carriedLungs && carriedTexture) {
        const both = new Uint8Array(seg.labels.length);
        let inter = 0,
          nPrior = 0,
          nCur = 0;
        for (let q = 0; q < both.length; q++) {
          if (carriedLungs[q]) nPrior++;
          if (curLungs[q]) nCur++;
          if (carriedLungs[q] && seg.labels[q]) {
            both[q] = seg.labels[q];
            inter++;
          }
        }
        const overlap = (2 * inter) / (nPrior + nCur);
        result.measurements.push({
          key: 'prior_lung_overlap_dice',
          name: 'Lung overlap with the registered prior (Dice)',
          value: overlap,
          unit: '1',
        });
        if (overlap < MIN_PRIOR_OVERLAP)
          warnings.push(
            `The registered prior overlaps the current lungs poorly (Dice ${overlap.toFixed(2)} < ${MIN_PRIOR_OVERLAP}): the zone changes may compare different anatomy.`,
          );
        const ps = quantify(reg.data, both, a.zones, carriedTexture, voxelMl);
        changes = compareExtent(a.stats, ps, mcid);
        correspondence = 'prior lungs and texture carried onto the current zones by the registration';
      } else {
        changes = compareExtent(a.stats, pa.stats, mcid);
        correspondence = "each CT's own zones (no rigid transform to carry the prior over)";
        warnings.push(`Prior compared in its own zones: ${correspondence}.`);
      }
      const hu = toKernelData(volume);
      const change = new Float32Array(curLungs.length);
      for (let q = 0; q < change.length; q++) if (curLungs[q]) change[q] = hu[q] - reg.data[q];
      result.maps.push({
        id: 'density-change',
        name: 'Density change since prior (HU)',
        volume: {
          geometry: g,
          data: change,
          frames: 1,
          unit: 'HU',
          metadata: { modality: 'OT', seriesDescription: 'Lung density change' },
          warnings: [],
        },
        display: { colormap: 'cool-warm', range: [-300, 300] },
        referencedSeriesUid: uid,
      });
      // the transform travels with the result, so the viewer's Compare with prior pairs slices of the same anatomy
      if (reg.matrix)
        result.registrations = [
          { fixedRole: series.role, movingRole: 'prior', matrix: reg.matrix, method: reg.method },
        ];
      result.parameters.push(
        { key: 'registration', name: 'Prior registration', value: reg.method, source: 'derived' },
        { key: 'zone_correspondence', name: 'Zone correspondence', value: correspondence, source: 'derived' },
        {
          key: 'mcid_pct',
          name: 'MCID of fibrosis extent',
          value: mcid,
          unit: '%',
          source: input.parameters.mcidPct !== undefined ? 'user' : 'default',
          detail: 'data-driven texture analysis MCID 3–6 % (domain guide §3)',
        },
      );
      for (const c of changes) {
        result.measurements.push({
          key: `${c.key}_fibrosis_extent_delta`,
          name: `${c.name}: Δ fibrosis extent since prior`,
          value: c.deltaPct,
          unit: '%',
          concept: QV('LUNG-FIB-DELTA', 'Change in fibrosis extent'),
        });
        result.measurements.push({
          key: `${c.key}_fibrosis_progression`,
          name: `${c.name}: change ≥ MCID`,
          value: c.verdict === 'progression' ? 1 : c.verdict === 'improvement' ? -1 : 0,
          unit: '1',
        });
      }
      result.plots.push({
        id: 'zone-change',
        title: 'Δ fibrosis extent per zone',
        kind: 'bar',
        xLabel: 'zone',
        yLabel: 'percentage points',
        x: ZONES.map((z) => z.name),
        series: [
          { name: 'Δ extent', y: ZONES.map((z) => changes!.find((c) => c.key === z.key)?.deltaPct ?? 0) },
        ],
      });
    } catch (e) {
      warnings.push(`Prior CT not compared: ${(e as Error).message}`);
      changes = undefined;
    }
  }

  result.findings = buildFindings(a.stats, context.locale, { warnings, changes, mcidPct: mcid });
  result.qc = {
    status: warnings.length ? 'warn' : 'pass',
    reasons: warnings,
    metrics: {
      lung_volume_ml: totalMl,
      right_ml: seg.volumeMl.right,
      left_ml: seg.volumeMl.left,
      trachea_found: seg.tracheaFound ? 1 : 0,
    },
  };
  context.progress(1, 'done');
  return result;
}

export default definePlugin({ run: runLungFibrosis });
