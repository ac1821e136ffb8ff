/**
 * The analysis contract: what a plugin receives, what it may use while running, and what it returns. Identical in
 * the workstation (a Web Worker) and in batch (a Node worker thread); a plugin never sees files, the DOM, Node or
 * the network, only this contract.
 *
 * @packageDocumentation
 */
import type { Kernels } from './kernels';
import type { Geometry, Vec3, Volume, VoxelUnit } from './volume';

/** A coded concept (DICOM code sequence item), e.g. `{ value: '113812', scheme: 'DCM', meaning: 'Mean' }`. */
export interface CodedConcept {
  /** CodeValue. */
  value: string;
  /** CodingSchemeDesignator: 'SCT', 'DCM', 'LN', 'UCUM', or '99QIVIEW' for Qiview's private codes. */
  scheme: string;
  /** CodeMeaning, in English. */
  meaning: string;
}

/** One input series, as delivered to a plugin: a volume plus the DICOM attributes the host could read. */
export interface InputSeries {
  /** The manifest input key this series was matched to (e.g. `'asl'`, `'m0'`, `'t1'`, `'ct'`). */
  role: string;
  volume: Volume;
  /**
   * DICOM attributes of the series by keyword (first instance), plus vendor private data the host decoded
   * (e.g. `SiemensCsa`), JSON-serialisable. Per-frame values are in `volume.metadata.frameInfo`.
   */
  dicom: Record<string, unknown>;
  /** Sidecar JSON for NIfTI/BIDS input (e.g. ASL-BIDS `*_asl.json`), when there is one. */
  sidecar?: Record<string, unknown>;
  /** Extra text files that came with the series (e.g. `aslcontext.tsv`), by file name. */
  attachments?: Record<string, string>;
}

/** The input of one run. */
export interface AnalysisInput {
  /** Matched series by role. Required roles are always present; optional ones may be missing. */
  series: Record<string, InputSeries | undefined>;
  /** User parameters (validated against the manifest's `parameters` defaults/types), by key. */
  parameters: Record<string, unknown>;
  /** Prior results of the same plugin for the same patient (for follow-up), newest first, when the host has them. */
  priors?: AnalysisInput[];
}

/** Severity of a log line or a finding. */
export type Severity = 'info' | 'warning' | 'error';

/** An ONNX inference session opened by the host from a model declared in the manifest (hash already checked). */
export interface ModelSession {
  /** Input and output tensor names, as declared by the model. */
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs the model. Tensors are float32 unless the model declares otherwise; shapes are row-major. */
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** Frees the session. */
  release(): Promise<void>;
}

/** A plain tensor crossing the SDK boundary (no onnxruntime types leak into plugins). */
export interface Tensor {
  type: 'float32' | 'int32' | 'int64' | 'uint8' | 'bool';
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
  dims: number[];
}

/** The transform a {@link RegistrationApi} found. */
export interface RegistrationTransform {
  /** elastix transform name, e.g. 'EulerTransform', 'AffineTransform'. */
  kind: string;
  /** elastix TransformParameters (Euler: θx, θy, θz in radians, then tx, ty, tz in mm). */
  parameters: number[];
  /**
   * For rigid and affine results: the 3 × 4 row-major matrix [A | b] that maps a point x of the fixed image to the
   * corresponding point of the moving image, both in LPS mm: moving = A·x + b (the mapping the resampling used).
   * Lets a plugin carry other data of the moving image (labels, masks) onto the fixed grid.
   */
  matrix?: number[];
}

/** Rigid/affine registration through itk-wasm elastix, offered by the host. */
export interface RegistrationApi {
  /**
   * Registers `moving` onto `fixed` and returns `moving` resampled on the fixed grid plus the transform parameters.
   * `kind` selects a standard elastix parameter map.
   */
  register(
    fixed: Volume,
    moving: Volume,
    options: { kind: 'rigid' | 'affine' | 'bspline'; maxIterations?: number },
  ): Promise<{ resampled: Volume; transform: RegistrationTransform }>;
}

/** What the host offers a running plugin. */
export interface AnalysisContext {
  /** Reports progress in [0, 1] with a short, translated-or-plain message. Cheap; call it often. */
  progress(fraction: number, message?: string): void;
  /** Aborted when the user cancels or the run times out. Check `signal.aborted` between steps. */
  signal: AbortSignal;
  /** Throws a cancellation error when the run was cancelled; call between steps. */
  throwIfCancelled(): void;
  log(severity: Severity, message: string): void;
  /** WASM compute kernels (Gaussian, connected components, morphology, EDT, Hessian/vesselness, resampling...). */
  kernels: Kernels;
  /** Opens a session for a model declared in the manifest, by its manifest `id`. */
  model(id: string): Promise<ModelSession>;
  /** itk-wasm registration; absent when the host could not load it. */
  registration?: RegistrationApi;
  /** The UI language the results should be written in ('en' or 'zh-CN'). */
  locale: string;
}

/** One segment of a labelmap. */
export interface Segment {
  /** Label value in the labelmap (1..255). */
  label: number;
  name: string;
  /** Display colour, RGB 0-255. */
  color: [number, number, number];
  /** What the segment is (SNOMED CT where one exists). */
  category?: CodedConcept;
  type?: CodedConcept;
  /** How it was made. */
  algorithm?: { type: 'AUTOMATIC' | 'SEMIAUTOMATIC' | 'MANUAL'; name: string };
}

/** A labelmap on a volume's grid: one label value per voxel. */
export interface Labelmap {
  id: string;
  name: string;
  geometry: Geometry;
  /** Label values, length nx·ny·nz, i fastest. */
  data: Uint8Array;
  segments: Segment[];
  /** SeriesInstanceUID of the volume it was computed on (its grid is that volume's grid). */
  referencedSeriesUid?: string;
}

/** A derived scalar map (e.g. CBF in ml/100g/min), shown as a colour overlay and saved as a parametric map. */
export interface ParametricMap {
  id: string;
  name: string;
  volume: Volume & { data: Float32Array };
  /** Concept measured (e.g. SCT 'Cerebral blood flow'). */
  quantity?: CodedConcept;
  /** Suggested display: colour map name and window. */
  display?: { colormap: 'hot' | 'jet' | 'viridis' | 'gray' | 'cool-warm'; range: [number, number] };
  referencedSeriesUid?: string;
}

/** One number the plugin measured. */
export interface Measurement {
  /** Stable machine key, e.g. `cbf_gm_mean` (used as the CSV column). */
  key: string;
  /** Display name (English); translated names go in the manifest `strings`. */
  name: string;
  value: number;
  /** UCUM unit, e.g. 'ml/100g/min', 'HU', '%', 'ml', 's', '1'. */
  unit: string;
  concept?: CodedConcept;
  /** The region it was measured in (a segment label of one of the labelmaps), when any. */
  region?: { labelmapId: string; label: number; name: string };
  /** Derivation, e.g. Mean, Median, Standard Deviation (DCM codes). */
  derivation?: CodedConcept;
  /** Uncertainty (one SD) in the same unit, when known. */
  uncertainty?: number;
}

/** Quality control verdict. */
export interface QualityControl {
  status: 'pass' | 'warn' | 'fail';
  reasons: string[];
  /** Named QC metrics (e.g. `spatial_cov`, `fd_mean_mm`). */
  metrics?: Record<string, number>;
}

/** A value the analysis used, and where it came from (shown in the results panel and in reports). */
export interface ParameterProvenance {
  key: string;
  name: string;
  value: number | string | boolean | number[];
  unit?: string;
  source: 'header' | 'sidecar' | 'default' | 'user' | 'derived';
  /** Where exactly, e.g. 'DICOM (0018,9258) PostLabelingDelay' or 'ASL white paper (Alsop 2015)'. */
  detail?: string;
}

/** A slice worth showing in a report. */
export interface KeyImage {
  /** Role of the input series it is on, or a parametric map id. */
  source: string;
  /** Voxel index along the axis. */
  slice: number;
  axis: 'axial' | 'coronal' | 'sagittal';
  caption: string;
}

/** Data for a plot (drawn by the host with its charting library). */
export interface Plot {
  id: string;
  title: string;
  kind: 'histogram' | 'bar' | 'line';
  xLabel: string;
  yLabel: string;
  /** Category labels (bar) or bin centres / x values (histogram, line). */
  x: Array<number | string>;
  series: Array<{ name: string; y: number[] }>;
}

/**
 * A spatial relation a run found between two of its input series (since SDK 0.1.1): the 3 × 4 row-major matrix
 * [A | b] maps a point x of the `fixedRole` series to the corresponding point of the `movingRole` series, both in
 * patient LPS mm: moving = A·x + b (the convention of {@link RegistrationTransform.matrix}). The viewer uses it to
 * show the same anatomy in both series side by side (e.g. a prior CT next to the current one, whose table positions
 * differ); A must be invertible.
 */
export interface SeriesRegistration {
  /** Manifest input role of the fixed series (e.g. `'ct'`). */
  fixedRole: string;
  /** Manifest input role of the moving series (e.g. `'prior'`); differs from `fixedRole`. */
  movingRole: string;
  /** 12 finite numbers: [A | b] row-major, fixed → moving, LPS mm. */
  matrix: number[];
  /** How it was found, e.g. 'elastix rigid (itk-wasm)' (shown to the user). */
  method: string;
}

/** Everything a run returns. All parts are optional except `measurements` and `findings` (may be empty). */
export interface AnalysisResult {
  labelmaps: Labelmap[];
  maps: ParametricMap[];
  measurements: Measurement[];
  /** Short sentences for the report, in `context.locale`. */
  findings: string[];
  qc?: QualityControl;
  parameters?: ParameterProvenance[];
  keyImages?: KeyImage[];
  plots?: Plot[];
  /** Landmarks or points of interest, in LPS mm. */
  points?: Array<{ name: string; position: Vec3 }>;
  /**
   * Transforms between input series the run found (since SDK 0.1.1), e.g. the registration of a prior onto the
   * current CT. Roles must be manifest input roles; the host refuses a result whose matrices are not 12 finite
   * numbers with an invertible A. Hosts older than 0.1.1 ignore the field.
   */
  registrations?: SeriesRegistration[];
}

/** A plugin's code: the default export of its bundle. */
export interface AnalysisPlugin {
  /** Runs the analysis. Throw {@link AnalysisError} for an input the plugin refuses, with a reason a user can act on. */
  run(input: AnalysisInput, context: AnalysisContext): Promise<AnalysisResult>;
}

/**
 * A refusal or failure with a reason a user can act on (e.g. "PLD missing: set it in the parameters").
 * `code` is stable and machine-readable (e.g. `'missing-parameter'`, `'wrong-modality'`).
 */
export class AnalysisError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'AnalysisError';
    this.code = code;
  }
}

/** Identity helper that type-checks a plugin object. */
export function definePlugin(plugin: AnalysisPlugin): AnalysisPlugin {
  return plugin;
}

/** An empty result to build on. */
export function emptyResult(): AnalysisResult {
  return { labelmaps: [], maps: [], measurements: [], findings: [] };
}

/** Unit helper kept here so plugins don't invent spellings. */
export const UNITS = {
  cbf: 'ml/100g/min' as VoxelUnit,
  hu: 'HU' as VoxelUnit,
  percent: '%' as VoxelUnit,
  seconds: 's' as VoxelUnit,
  millilitre: 'ml' as VoxelUnit,
};
