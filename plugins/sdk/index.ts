/**
 * Qiview plugin SDK: the public, versioned API that every plugin (built-in or vendor) is written against.
 * @packageDocumentation
 */
export * from './volume';
export { SDK_VERSION } from './version';
