/**
 * Input checks and acquisition factors that bias lung densities: what is refused, what is warned on, and the
 * provenance rows shown with the results.
 *
 * @packageDocumentation
 */
import { AnalysisError, type InputSeries, type ParameterProvenance } from '@qiview/sdk';

/** Limits for the input, with their sources. */
export const ACQUISITION_LIMITS = {
  /** Thin-section CT for fibrotic lung disease: ≤ 1.5 mm (ATS/ERS/JRS/ALAT IPF guideline, Raghu et al., AJRCCM 2018). */
  recommendedMaxThicknessMm: 1.5,
  /** Above this, partial volume makes HAA/LAA and texture unreliable: refused (Qiview limit, 2× the 2.5 mm upper
   * bound of "thin-section" in the Fleischner glossary, Hansell et al. 2008). */
  maxThicknessMm: 5,
  /** Fewer slices than this, or less than `minCoverageMm` of z coverage, is not a volume: refused. */
  minSlices: 10,
  minCoverageMm: 50,
  /** Relative deviation of slice positions from even spacing before a warning (1 %). */
  unevenSpacingTolerance: 0.01,
  /** Total lung volume below this suggests a poor inspiration, which raises lung density (Qiview limit; adults'
   * CT lung volumes at full inspiration are typically 4–6 L, and HAA is volume-dependent, Podolanczuk 2016). */
  minInspirationMl: 3000,
} as const;

/** Kernel names of sharp (lung/bone/edge-enhancing) reconstructions: they widen the HU histogram and bias LAA/HAA
 * (Boedeker et al., Radiology 2004). Siemens B/I/Br ≥ 50, Philips YA–YD/L/D, Toshiba/Canon FC5x/FC8x, GE LUNG/BONE. */
const SHARP_KERNEL =
  /(^|[^A-Z0-9])(B[5-9]\d[A-Z]?|I[5-9]\d[A-Z]?|BR[5-9]\d|BL[5-9]\d|LUNG|BONE|BONEPLUS|SHARP|DETAIL|EDGE|YA|YB|YC|YD|L|D|FC5\d|FC8\d)($|[^A-Z0-9])/i;

/** Result of {@link checkInput}: warnings and provenance (a refusal throws). */
export interface InputCheck {
  warnings: string[];
  provenance: ParameterProvenance[];
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' ? parseFloat(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Checks that the series is a usable chest CT volume and collects the acquisition factors. Throws
 * {@link AnalysisError} with codes `wrong-modality`, `too-few-slices`, `slices-too-thick`.
 */
export function checkInput(series: InputSeries): InputCheck {
  const L = ACQUISITION_LIMITS;
  const v = series.volume;
  const d = series.dicom ?? {};
  const tags = v.metadata.tags ?? {};
  const warnings: string[] = [...v.warnings];
  const provenance: ParameterProvenance[] = [];
  const modality = String(d.Modality ?? v.metadata.modality ?? '').toUpperCase();
  if (modality !== 'CT' && !(v.unit === 'HU' && (modality === '' || modality === 'OT'))) {
    throw new AnalysisError(
      'wrong-modality',
      `Lung fibrosis analysis needs a CT in HU; this series is ${modality || 'unknown'}.`,
    );
  }
  const g = v.geometry;
  const nz = g.dimensions[2];
  if (nz < L.minSlices || nz * g.spacing[2] < L.minCoverageMm) {
    throw new AnalysisError(
      'too-few-slices',
      `Lung analysis needs a volumetric chest CT (at least ${L.minSlices} slices covering ${L.minCoverageMm} mm); this series has ${nz} slice(s).`,
    );
  }
  const thickness = num(d.SliceThickness) ?? v.metadata.sliceThickness ?? num(tags.SliceThickness);
  const effective = Math.max(thickness ?? 0, g.spacing[2]);
  provenance.push({
    key: 'slice_thickness',
    name: 'Slice thickness',
    value: thickness ?? g.spacing[2],
    unit: 'mm',
    source: thickness !== undefined ? 'header' : 'derived',
    detail:
      thickness !== undefined ? 'DICOM (0018,0050) SliceThickness' : 'slice spacing (no SliceThickness)',
  });
  provenance.push({
    key: 'slice_spacing',
    name: 'Slice spacing',
    value: g.spacing[2],
    unit: 'mm',
    source: 'derived',
  });
  if (effective > L.maxThicknessMm) {
    throw new AnalysisError(
      'slices-too-thick',
      `Slices of ${effective.toFixed(1)} mm are too thick for lung densitometry (limit ${L.maxThicknessMm} mm; thin-section ≤ ${L.recommendedMaxThicknessMm} mm is recommended, Raghu et al. 2018).`,
    );
  }
  if (effective > L.recommendedMaxThicknessMm) {
    warnings.push(
      `Slice thickness ${effective.toFixed(2)} mm is above the ${L.recommendedMaxThicknessMm} mm recommended for fibrotic lung disease (Raghu et al. 2018): partial volume blurs texture and shifts HAA/LAA.`,
    );
  }
  const positions = (v.metadata.frameInfo ?? [])
    .map((f) => num(f?.SliceLocation))
    .filter((x): x is number => x !== undefined);
  if (positions.length > 2) {
    const steps = positions.slice(1).map((p, i) => Math.abs(p - positions[i]));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    if (steps.some((s) => Math.abs(s - mean) > L.unevenSpacingTolerance * mean)) {
      warnings.push('Slices are unevenly spaced: volumes and zones are approximate.');
    }
  }
  const kernel = String(d.ConvolutionKernel ?? tags.ConvolutionKernel ?? '').trim();
  provenance.push({
    key: 'kernel',
    name: 'Reconstruction kernel',
    value: kernel || 'unknown',
    source: kernel ? 'header' : 'default',
    detail: 'DICOM (0018,1210) ConvolutionKernel',
  });
  if (kernel && SHARP_KERNEL.test(kernel)) {
    warnings.push(
      `Sharp reconstruction kernel "${kernel}": densities are noisier, LAA-950 and HAA are biased (Boedeker et al. 2004); a soft/standard kernel is preferred for densitometry.`,
    );
  }
  const contrast = String(d.ContrastBolusAgent ?? tags.ContrastBolusAgent ?? '').trim();
  provenance.push({
    key: 'contrast',
    name: 'Contrast agent',
    value: contrast || 'none recorded',
    source: contrast ? 'header' : 'default',
    detail: 'DICOM (0018,0010) ContrastBolusAgent',
  });
  if (contrast) {
    warnings.push(
      `Contrast-enhanced CT ("${contrast}"): enhanced vessels and parenchyma raise lung density and HAA %.`,
    );
  }
  const kvp = num(d.KVP ?? tags.KVP);
  if (kvp !== undefined)
    provenance.push({
      key: 'kvp',
      name: 'Tube voltage',
      value: kvp,
      unit: 'kV',
      source: 'header',
      detail: 'DICOM (0018,0060) KVP',
    });
  return { warnings, provenance };
}
