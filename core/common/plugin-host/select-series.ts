import { attributeValues, matchesInput, type Manifest } from '@qiview/sdk';

/** A series the host could give a plugin. */
export interface SeriesCandidate {
  /** Host id (e.g. SeriesInstanceUID or a file path). */
  id: string;
  /** DICOM attributes by keyword (first instance), as for {@link matchesInput}. */
  attributes: Record<string, unknown>;
  /** Number of slices (nz). */
  slices: number;
  /** Number of frames (1 for 3D). */
  frames: number;
  /** BIDS suffix for NIfTI input (e.g. 'asl', 'T1w'). */
  bidsSuffix?: string;
}

/** Result of {@link selectSeries}: candidate ids by role, or one clear error per unfilled required role. */
export type SeriesSelection =
  | { ok: true; roles: Record<string, string>; notes: string[] }
  | { ok: false; errors: string[]; notes: string[] };

/** Why a candidate does not fit an input, or undefined when it fits. */
function misfit(input: Manifest['inputs'][number], c: SeriesCandidate): string | undefined {
  const bids = input.bidsSuffix !== undefined && c.bidsSuffix !== undefined;
  if (
    bids
      ? c.bidsSuffix!.toLowerCase() !== input.bidsSuffix!.toLowerCase()
      : !matchesInput(input, c.attributes)
  ) {
    return bids
      ? `BIDS suffix "${c.bidsSuffix}" is not "${input.bidsSuffix}"`
      : 'attribute rules do not match';
  }
  if (input.minSlices !== undefined && c.slices < input.minSlices) {
    return `${c.slices} slice(s), needs at least ${input.minSlices}`;
  }
  if (input.multiFrame === true && c.frames < 2) return 'single frame, a 4D (multi-frame) series is needed';
  if (input.multiFrame === false && c.frames > 1) return `${c.frames} frames, a 3D series is needed`;
  return undefined;
}

/**
 * Assigns candidates to the manifest's inputs, in manifest order, each candidate to at most one role: the first
 * fitting candidate in the given order that fits no later input, else the first fitting one. A required role with no
 * fitting candidate is an error naming the role and why each candidate was refused; an optional role is simply left
 * out.
 */
export function selectSeries(
  manifest: Pick<Manifest, 'inputs'>,
  candidates: SeriesCandidate[],
): SeriesSelection {
  const used = new Set<string>();
  const roles: Record<string, string> = {};
  const errors: string[] = [];
  const notes: string[] = [];
  manifest.inputs.forEach((input, index) => {
    const reasons: string[] = [];
    const fitting = candidates.filter((c) => {
      if (used.has(c.id)) return false;
      const why = misfit(input, c);
      if (why) reasons.push(`${c.id}: ${why}`);
      return why === undefined;
    });
    // A candidate that also fits a later input (a 2-volume "pCASL M0" series fits both the ASL and the M0 input) is
    // taken only when no candidate fits this input alone: otherwise the M0, numbered before the ASL series, became
    // the ASL input and the real ASL series was left out.
    const later = manifest.inputs.slice(index + 1);
    const hit = fitting.find((c) => !later.some((o) => misfit(o, c) === undefined)) ?? fitting[0];
    if (hit) {
      roles[input.role] = hit.id;
      used.add(hit.id);
    } else if (input.required) {
      const rules = input.rules
        .map(
          (r) =>
            `${r.not ? 'not ' : ''}${r.attribute} ${r.equals ? `= ${r.equals.join('|')}` : `~ /${r.pattern}/`}`,
        )
        .join(', ');
      errors.push(
        `required input "${input.role}" is missing: no series matches (${rules}` +
          `${input.minSlices ? `, ≥ ${input.minSlices} slices` : ''}${input.multiFrame ? ', multi-frame' : ''})` +
          (reasons.length ? `; ${reasons.join('; ')}` : candidates.length ? '' : '; no series given'),
      );
    } else {
      notes.push(`optional input "${input.role}" not given`);
    }
  });
  return errors.length ? { ok: false, errors, notes } : { ok: true, roles, notes };
}

/**
 * Whether a series known by only some of its attributes (a QIDO-RS answer: Modality, SeriesDescription…) could fill
 * one of the manifest's inputs: for some input, every rule on an attribute that has a value here holds. Rules on
 * attributes without a value, slice counts, frames and BIDS suffixes are not judged (they are checked once the series
 * is loaded), so a series refused here is one {@link selectSeries} would never select, and need not be retrieved.
 */
export function mayFillAnyInput(
  manifest: Pick<Manifest, 'inputs'>,
  attributes: Record<string, unknown>,
): boolean {
  return manifest.inputs.some((input) =>
    matchesInput(
      { ...input, rules: input.rules.filter((r) => attributeValues(attributes[r.attribute]).length > 0) },
      attributes,
    ),
  );
}
