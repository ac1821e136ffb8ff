/**
 * Kernel types live in the SDK (plugins see the kernels through their analysis context); re-exported here for the
 * bindings and references.
 * @packageDocumentation
 */
export type * from '@qiview/sdk/kernels';
export type { Geometry, Vec3 } from '@qiview/sdk';
