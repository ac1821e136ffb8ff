/** Type aliases shared by the parametric-map reader and the UI. */
import type { Geometry, ParametricMap } from '@qiview/sdk';

export type { Geometry, ParametricMap };
/** A colour map name a parametric map may suggest. */
export type ColormapName = NonNullable<ParametricMap['display']>['colormap'];
