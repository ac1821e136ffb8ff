/**
 * Clinical constants of ASL quantification, each with its source. Every one of them can be overridden by a user
 * parameter (see manifest.json); the values here are the defaults shown with provenance 'default'.
 *
 * @packageDocumentation
 */

/** Brain/blood partition coefficient λ, ml/g. Alsop et al., MRM 2015;73:102-116 (ASL white paper), Table 1. */
export const LAMBDA = 0.9;

/** Labelling efficiency α for pCASL. ASL white paper (Alsop 2015), Table 1. */
export const ALPHA_PCASL = 0.85;

/** Labelling efficiency α for PASL. ASL white paper (Alsop 2015), Table 1. */
export const ALPHA_PASL = 0.98;

/**
 * Longitudinal relaxation time of arterial blood, s, by field strength (T). 1.5 T and 3 T: ASL white paper
 * (Alsop 2015); 7 T: Zhang et al., MRM 2013;70:1082 (≈2.1 s), as used by ExploreASL.
 */
export const BLOOD_T1_BY_FIELD: ReadonlyArray<{ field: number; t1: number }> = [
  { field: 1.5, t1: 1.35 },
  { field: 3, t1: 1.65 },
  { field: 7, t1: 2.1 },
];

/** Field strength assumed when the header has none, T (the white-paper default protocol is 3 T). */
export const DEFAULT_FIELD_T = 3;

/** Grey-matter T1 at 3 T, s, used for the M0 TR correction (white paper: tissue T1 ≈ 1.2-1.3 s at 3 T). */
export const TISSUE_T1_3T = 1.3;

/**
 * Background-suppression efficiency per number of inversion pulses. ExploreASL (Mutsaerts et al., NeuroImage
 * 2020; xASL_quant_BSupCalc): 0.83 for 2 pulses, 0.81 for 4, 0.75 for 5. ASLPrep (Adebimpe et al., Nat Methods
 * 2022): 0.95^N. Used as a multiplier on α.
 */
export const BS_EXPLOREASL: Readonly<Record<number, number>> = {
  0: 1,
  1: 0.93,
  2: 0.83,
  3: 0.82,
  4: 0.81,
  5: 0.75,
};

/** Per-pulse inversion efficiency of the ASLPrep convention (efficiency = 0.95^N). */
export const BS_ASLPREP_PER_PULSE = 0.95;

/** Seconds per minute × 100 g: converts ml/g/s to ml/100g/min (white paper formula constant 6000). */
export const CBF_UNIT_FACTOR = 6000;

/**
 * QC gates. Spatial CoV < 0.8: Mutsaerts et al., JCBFM 2017;37:3184 ("sCoV" as a vascular artefact marker;
 * ExploreASL QC). GM CBF 25-120 and GM/WM 1.2-4.0 plausible ranges: ExploreASL QC defaults (domain guide §1).
 * Mean framewise displacement gates (0.5 mm warn, 1.0 mm fail): Power et al., NeuroImage 2012;59:2142.
 */
export const QC = {
  spatialCovWarn: 0.6,
  spatialCovFail: 0.8,
  gmCbfMin: 25,
  gmCbfMax: 120,
  gmWmRatioMin: 1.2,
  gmWmRatioMax: 4.0,
  negativeGmPctWarn: 10,
  negativeGmPctFail: 25,
  fdMeanWarnMm: 0.5,
  fdMeanFailMm: 1.0,
} as const;

/** Head radius used to convert rotations to displacement in framewise displacement, mm (Power et al. 2012). */
export const FD_HEAD_RADIUS_MM = 50;

/** SCORE outlier rule (Dolui et al., JCBFM 2017;37:3223): volumes whose GM CBF differs from the median by more than
 * 2.5 robust SD are rejected; at most half of the pairs may go. */
export const SCORE_THRESHOLD_SD = 2.5;
