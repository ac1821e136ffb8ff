/**
 * The one table of keyboard shortcuts: the key handler (use-shortcuts.ts) and the help panel (press ?) both read it.
 */
import { useViewerStore, LAYOUTS, type ToolName, type ViewMode } from '../state/viewer-store';
import { useLocale } from '../i18n/i18n';
import type { StringKey } from '../i18n/strings';

export interface Shortcut {
  /** `KeyboardEvent.key` values that trigger it (case-sensitive). */
  keys: string[];
  /** Help text key. */
  label: StringKey;
  run(): void;
}

const tool = (t: ToolName) => () => useViewerStore.getState().setActiveTool(t);
const mode = (m: ViewMode) => () => useViewerStore.getState().setViewMode(m);
const preset = (p: string) => () => useViewerStore.getState().setWindowPreset(p);

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: ['?'],
    label: 'viewer.shortcut.help',
    run: () => useViewerStore.getState().setHelpOpen(!useViewerStore.getState().helpOpen),
  },
  { keys: ['w'], label: 'viewer.shortcut.wl', run: tool('WindowLevel') },
  { keys: ['p'], label: 'viewer.shortcut.pan', run: tool('Pan') },
  { keys: ['z'], label: 'viewer.shortcut.zoom', run: tool('Zoom') },
  { keys: ['s'], label: 'viewer.shortcut.scroll', run: tool('StackScroll') },
  { keys: ['l'], label: 'viewer.shortcut.length', run: tool('Length') },
  { keys: ['a'], label: 'viewer.shortcut.angle', run: tool('Angle') },
  { keys: ['e'], label: 'viewer.shortcut.ellipse', run: tool('EllipticalROI') },
  { keys: ['r'], label: 'viewer.shortcut.rectangle', run: tool('RectangleROI') },
  { keys: ['b'], label: 'viewer.shortcut.probe', run: tool('Probe') },
  { keys: ['x'], label: 'viewer.shortcut.crosshairs', run: tool('Crosshairs') },
  { keys: ['1', '2', '3', '4', '5', '6'], label: 'viewer.shortcut.presets', run: () => undefined },
  { keys: ['0'], label: 'viewer.shortcut.auto', run: preset('auto') },
  {
    keys: ['h'],
    label: 'viewer.shortcut.patientText',
    run: () => useViewerStore.getState().togglePatientText(),
  },
  {
    keys: ['o'],
    label: 'viewer.shortcut.overlays',
    run: () => useViewerStore.getState().setOverlaysVisible(!useViewerStore.getState().overlaysVisible),
  },
  { keys: ['F1', 'F2', 'F3', 'F4'], label: 'viewer.shortcut.modes', run: () => undefined },
  {
    keys: [' '],
    label: 'viewer.shortcut.cine',
    run: () => useViewerStore.getState().setCine(!useViewerStore.getState().cinePlaying),
  },
  {
    keys: ['g'],
    label: 'viewer.shortcut.layout',
    run: () => {
      const s = useViewerStore.getState();
      s.setLayout(LAYOUTS[(LAYOUTS.indexOf(s.layout) + 1) % LAYOUTS.length]);
    },
  },
  {
    keys: ['L'],
    label: 'viewer.shortcut.language',
    run: () => {
      const l = useLocale.getState();
      l.setLocale(l.locale === 'en' ? 'zh-CN' : 'en');
    },
  },
];

const PRESET_KEYS = ['brain', 'lung', 'mediastinum', 'bone', 'abdomen', 'angio'];
const MODE_KEYS: ViewMode[] = ['stack', 'mpr', 'mip', '3d'];

/** Run the shortcut for `key`; returns true when one matched. */
export function runShortcut(key: string): boolean {
  const n = '123456'.indexOf(key);
  if (key.length === 1 && n >= 0) {
    preset(PRESET_KEYS[n])();
    return true;
  }
  const f = ['F1', 'F2', 'F3', 'F4'].indexOf(key);
  if (f >= 0) {
    mode(MODE_KEYS[f])();
    return true;
  }
  const s = SHORTCUTS.find((x) => x.keys.includes(key));
  if (!s) return false;
  s.run();
  return true;
}
