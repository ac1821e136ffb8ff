/**
 * Patient positions from one open series to another through the viewer store's {@link SeriesRelation}s (e.g. a prior
 * CT registered onto the current one), for the slice synchroniser. Pure: no Cornerstone.
 */
import type { Vec3 } from '@qiview/sdk';
import { applyAffine, invertAffine } from '../../core/common/itk/affine-point';
import type { SeriesRelation } from '../state/viewer-store';

/** A patient-position mapping from one series to another (LPS mm). */
export type PointMap = (p: readonly number[]) => Vec3;

/**
 * The mapping of patient positions from series `from` to series `to` through a relation between them: A·x + b from
 * the fixed to the moving series, the inverse from the moving to the fixed one; undefined when none relates them
 * (the caller then pairs equal patient positions).
 */
export function relationMapping(relations: SeriesRelation[], from: string, to: string): PointMap | undefined {
  if (from === to) return undefined;
  const r = relations.find(
    (x) => (x.fixedKey === from && x.movingKey === to) || (x.fixedKey === to && x.movingKey === from),
  );
  if (!r) return undefined;
  const m = r.fixedKey === from ? r.matrix : invertAffine(r.matrix);
  return (p) => applyAffine(m, p);
}
