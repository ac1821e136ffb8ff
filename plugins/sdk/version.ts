/**
 * Semantic version of the plugin API. Plugins declare a compatible range in `manifest.apiVersion`.
 *
 * While the SDK is 0.x, the minor number marks a breaking change (a plugin's `^0.1.0` does not accept 0.2.0) and the
 * patch number an addition that plugins written for an earlier patch still satisfy. History:
 * - 0.1.1: `AnalysisResult.registrations` (optional): the rigid/affine transforms a run found between its input
 *   series (e.g. prior onto current CT), so the viewer can pair the series' slices through them; and
 *   `attributeValues`, the values of an attribute as series rules see them.
 * - 0.1.0: first public SDK.
 */
export const SDK_VERSION = '0.1.1';
