/**
 * Display windows of key images drawn from an input series, per plugin, where the slice's own value range would
 * hide what the report is about. Lung: the standard lung window, width 1500 HU at level −600 HU (e.g. Radiopaedia,
 * "Windowing (CT)"; the viewer's lung preset), so reticulation and ground glass stay visible.
 */
export const KEY_IMAGE_WINDOWS: Record<string, [number, number]> = {
  'org.qiview.lung-fibrosis': [-1350, 150],
};

/** The window [low, high] for a series key image of `pluginId`, or undefined (the slice's 1st–99th percentile). */
export function keyImageWindow(pluginId: string): [number, number] | undefined {
  const w = KEY_IMAGE_WINDOWS[pluginId];
  return w ? [w[0], w[1]] : undefined;
}
