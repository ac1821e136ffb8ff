/**
 * CT window/level presets (width/centre in HU). Values are the conventional display windows listed by Radiopaedia,
 * "Windowing (CT)" (https://radiopaedia.org/articles/windowing-ct): brain W80 L40, lung W1500 L-600, mediastinum
 * W350 L50, bone W2000 L500 (Radiopaedia lists 1800/400; 2000/500 is the OHIF/Cornerstone default), soft tissue /
 * abdomen W400 L40; CT angiography W600 L170 (a common CTA window, e.g. OHIF's "Angio" is not standardised: this is
 * a display choice, not a clinical constant that changes any number). 'auto' uses the image's own VOI (DICOM Window
 * Center/Width, else min/max): the default for MR and other modalities.
 */
export interface WindowPreset {
  id: WindowPresetId;
  width: number;
  center: number;
}
export type WindowPresetId = 'brain' | 'lung' | 'mediastinum' | 'bone' | 'abdomen' | 'angio';
export const WINDOW_PRESETS: readonly WindowPreset[] = [
  { id: 'brain', width: 80, center: 40 },
  { id: 'lung', width: 1500, center: -600 },
  { id: 'mediastinum', width: 350, center: 50 },
  { id: 'bone', width: 2000, center: 500 },
  { id: 'abdomen', width: 400, center: 40 },
  { id: 'angio', width: 600, center: 170 },
];

/** VOI range (lower/upper) of a preset, as Cornerstone's `voiRange`. */
export function presetRange(p: WindowPreset): { lower: number; upper: number } {
  return { lower: p.center - p.width / 2, upper: p.center + p.width / 2 };
}

export function findPreset(id: string | null | undefined): WindowPreset | undefined {
  return WINDOW_PRESETS.find((p) => p.id === id);
}
