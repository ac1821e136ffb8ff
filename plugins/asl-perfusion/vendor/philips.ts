/**
 * Philips ASL specifics: the label/control flag of each image in private tag (2005,1429) MRImageLabelType
 * ('CONTROL' / 'LABEL'), and the private scale slope (2005,100E) MRScaleSlope. Philips stores
 * stored value SV; display value DV = SV·RS + RI (RescaleSlope/Intercept); floating-point value FP = DV / (RS·SS)
 * (Chenevert et al., Transl Oncol 2014;7:65 — "Errors in quantitative image analysis due to platform-dependent image
 * scaling"). Values that enter a ratio with an M0 from another series must be on the FP scale.
 *
 * @packageDocumentation
 */
import type { VolumeType } from '../ordering';

function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0].trim();
  return undefined;
}

/** Label type of one frame from its per-frame attributes ('x20051429' or 'MRImageLabelType'), when present. */
export function philipsLabelType(frame: Record<string, unknown>): VolumeType | undefined {
  const v = (firstString(frame.x20051429) ?? firstString(frame.MRImageLabelType))?.toUpperCase();
  if (v === 'CONTROL') return 'control';
  if (v === 'LABEL') return 'label';
  return undefined;
}

function num(v: unknown): number | undefined {
  const x = Array.isArray(v)
    ? Number(v[0])
    : typeof v === 'string' || typeof v === 'number'
      ? Number(v)
      : NaN;
  return Number.isFinite(x) ? x : undefined;
}

/**
 * Factor that turns Philips display values (rescale already applied, as in a Volume) into floating-point values:
 * 1 / (RescaleSlope · MRScaleSlope). Undefined when the private scale slope is missing (unknown scaling).
 */
export function philipsFpFactor(attributes: Record<string, unknown>): number | undefined {
  const ss = num(attributes.x2005100e ?? attributes.x2005100E ?? attributes.MRScaleSlope);
  const rs = num(attributes.RescaleSlope) ?? 1;
  if (ss === undefined || ss === 0 || rs === 0) return undefined;
  return 1 / (rs * ss);
}
