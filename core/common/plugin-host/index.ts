/**
 * Environment-neutral plugin host: manifest/parameter/series checks, the worker protocol, the worker runtime and
 * the host-side run loop. Node and browser runners live in core/node/plugin-host and core/browser/plugin-host.
 */
export { parseManifest, type Manifest } from '@qiview/sdk';
export * from './protocol';
export * from './select-series';
export * from './parameters';
export * from './validate-result';
export * from './run-plugin';
export { sha256Hex } from './sha256';
