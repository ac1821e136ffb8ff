/**
 * Signed plugin packages: keys, pack, verify, install, the trusted-key store and the installed-plugin registry.
 * @packageDocumentation
 */
export * from './package-format';
export * from './plugin-keys';
export * from './read-package';
export * from './verify-package';
export * from './pack-plugin';
export * from './trusted-keys';
export * from './installed-plugins';
export * from './install-plugin';
