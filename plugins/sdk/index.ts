/**
 * Qiview plugin SDK: the public, versioned API that every plugin (built-in or vendor) is written against.
 * - {@link Volume}: the one image type (volume.ts).
 * - {@link AnalysisPlugin}, {@link AnalysisContext}, {@link AnalysisResult}: the analysis contract (analysis.ts).
 * - {@link Manifest}, {@link parseManifest}: the manifest schema (manifest.ts).
 * - {@link Kernels}: compute kernels offered through the context (kernels.ts).
 * @packageDocumentation
 */
export * from './volume';
export * from './analysis';
export * from './manifest';
export type * from './kernels';
export { SDK_VERSION } from './version';
