/** Semantic version of the plugin API. Plugins declare a compatible range in `manifest.apiVersion`. */
export const SDK_VERSION = '0.1.0';
