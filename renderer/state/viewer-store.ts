/**
 * The viewer's state (zustand): which series are open and where, the layout and view mode, the active tool, the
 * window preset, overlay visibility, and the overlays results attach (labelmaps, parametric maps). The store holds
 * data only; renderer/viewer/ drives Cornerstone3D from it. Other parts of the app call:
 *  - study browser: `useViewerStore.getState().openSeries(series)`
 *  - result panels: `addLabelmap`, `addParametricMap`, `setSegmentVisibility`, `setSegmentColor`,
 *    `setLabelmapOpacity`, `setParametricMapOpacity`, `removeOverlay`
 */
import { create } from 'zustand';
import type { Labelmap, ParametricMap } from '@qiview/sdk';
import { affineProblem } from '../../core/common/itk/affine-point';
import type { OpenableSeries } from './openable-series';

export type Layout = '1x1' | '1x2' | '2x2' | '1x3';
export const LAYOUTS: readonly Layout[] = ['1x1', '1x2', '2x2', '1x3'];
/** stack: one stack per cell; mpr: axial/sagittal/coronal + crosshairs; mip: thick-slab MIP planes; 3d: volume rendering. */
export type ViewMode = 'stack' | 'mpr' | 'mip' | '3d';
export const VIEW_MODES: readonly ViewMode[] = ['stack', 'mpr', 'mip', '3d'];
export type ToolName =
  | 'WindowLevel'
  | 'Pan'
  | 'Zoom'
  | 'StackScroll'
  | 'Length'
  | 'Angle'
  | 'EllipticalROI'
  | 'RectangleROI'
  | 'Probe'
  | 'Crosshairs';
export const TOOLS: readonly ToolName[] = [
  'WindowLevel',
  'Pan',
  'Zoom',
  'StackScroll',
  'Length',
  'Angle',
  'EllipticalROI',
  'RectangleROI',
  'Probe',
  'Crosshairs',
];
/** 3D rendering presets (names of Cornerstone's VIEWPORT_PRESETS). */
export type RenderPreset =
  'CT-Bone' | 'CT-Soft-Tissue' | 'CT-Lung' | 'CT-Chest-Contrast-Enhanced' | 'MR-Default';
export const RENDER_PRESETS: readonly RenderPreset[] = [
  'CT-Bone',
  'CT-Soft-Tissue',
  'CT-Lung',
  'CT-Chest-Contrast-Enhanced',
  'MR-Default',
];

/** Display state of one segment of a labelmap overlay. */
export interface SegmentDisplay {
  label: number;
  visible: boolean;
  color: [number, number, number];
}
/** A labelmap shown over a series. */
export interface LabelmapOverlay {
  kind: 'labelmap';
  id: string;
  seriesKey: string;
  labelmap: Labelmap;
  segments: SegmentDisplay[];
  /** Fill opacity 0..1. */
  opacity: number;
  visible: boolean;
}
/** A parametric map shown as a colour-mapped fusion over a series. */
export interface ParametricOverlay {
  kind: 'parametric';
  id: string;
  seriesKey: string;
  map: ParametricMap;
  colormap: NonNullable<ParametricMap['display']>['colormap'];
  range: [number, number];
  opacity: number;
  visible: boolean;
}
export type Overlay = LabelmapOverlay | ParametricOverlay;

/**
 * Two open series related by a registration (e.g. a prior CT registered onto the current one): `matrix` is the
 * 3 × 4 row-major [A | b] mapping a point of `fixedKey`'s series to `movingKey`'s, LPS mm (moving = A·x + b, the
 * SDK's `SeriesRegistration`). Slice sync between cells showing the two maps positions through it (inverse the
 * other way); other cells keep patient-coordinate sync.
 */
export interface SeriesRelation {
  fixedKey: string;
  movingKey: string;
  matrix: number[];
  method: string;
}

export interface ViewerState {
  /** Every series opened this session, by key. */
  series: Record<string, OpenableSeries>;
  /** Series key shown in each cell of the layout (stack mode); null = empty cell. */
  cells: (string | null)[];
  activeCell: number;
  /** The series MPR/MIP/3D modes show. */
  activeSeriesKey: string | null;
  layout: Layout;
  viewMode: ViewMode;
  activeTool: ToolName;
  /** A WindowPresetId, or 'auto' (image's own VOI). */
  windowPreset: string;
  /** Bumped on every preset request so that re-applying the same preset after a drag works. */
  windowPresetRevision: number;
  /** Patient/study text overlay (hide for screen sharing). */
  patientTextVisible: boolean;
  /** All overlays (orientation markers, scale bar, labelmaps, maps) on/off. */
  overlaysVisible: boolean;
  /** Slab thickness for MIP mode, mm. */
  slabThicknessMm: number;
  renderPreset: RenderPreset;
  /** Synchronise camera/slice and VOI between cells showing series of the same frame of reference. */
  syncEnabled: boolean;
  cineFps: number;
  cinePlaying: boolean;
  overlays: Overlay[];
  /** Registrations between series shown in cells; dropped once either series leaves the cells. */
  relations: SeriesRelation[];
  helpOpen: boolean;

  openSeries(s: OpenableSeries, cell?: number): void;
  setLayout(layout: Layout): void;
  setViewMode(mode: ViewMode): void;
  setActiveCell(cell: number): void;
  setActiveTool(tool: ToolName): void;
  setWindowPreset(preset: string): void;
  togglePatientText(): void;
  setOverlaysVisible(visible: boolean): void;
  setSlabThickness(mm: number): void;
  setRenderPreset(p: RenderPreset): void;
  setSyncEnabled(on: boolean): void;
  setCine(playing: boolean, fps?: number): void;
  setHelpOpen(open: boolean): void;
  /** Show a labelmap over the series `onSeriesKey` (its grid must be that series' grid). Returns the overlay id. */
  addLabelmap(labelmap: Labelmap, onSeriesKey: string): string;
  /** Show a parametric map as a colour fusion over `onSeriesKey`. Returns the overlay id. */
  addParametricMap(map: ParametricMap, onSeriesKey: string): string;
  setSegmentVisibility(overlayId: string, label: number, visible: boolean): void;
  setSegmentColor(overlayId: string, label: number, color: [number, number, number]): void;
  /** Opacity 0..1 of a labelmap's fill or a parametric map's colours. */
  setOverlayOpacity(overlayId: string, opacity: number): void;
  setOverlayVisible(overlayId: string, visible: boolean): void;
  setParametricRange(overlayId: string, range: [number, number]): void;
  removeOverlay(overlayId: string): void;
  /** Relates two open series by a registration (replaces an earlier relation of the same pair, either way round). */
  setRelation(relation: SeriesRelation): void;
}

export function cellCount(layout: Layout): number {
  return layout === '1x1' ? 1 : layout === '1x2' ? 2 : layout === '1x3' ? 3 : 4;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1;
}

/** The relations whose two series are both still shown in `cells`. */
function shownRelations(relations: SeriesRelation[], cells: (string | null)[]): SeriesRelation[] {
  const kept = relations.filter((r) => cells.includes(r.fixedKey) && cells.includes(r.movingKey));
  return kept.length === relations.length ? relations : kept;
}

function mapOverlay(overlays: Overlay[], id: string, f: (o: Overlay) => Overlay): Overlay[] {
  return overlays.map((o) => (o.id === id ? f(o) : o));
}

export const useViewerStore = create<ViewerState>((set, get) => ({
  series: {},
  cells: [null],
  activeCell: 0,
  activeSeriesKey: null,
  layout: '1x1',
  viewMode: 'stack',
  activeTool: 'WindowLevel',
  windowPreset: 'auto',
  windowPresetRevision: 0,
  patientTextVisible: true,
  overlaysVisible: true,
  slabThicknessMm: 20,
  renderPreset: 'CT-Bone',
  syncEnabled: true,
  cineFps: 10,
  cinePlaying: false,
  overlays: [],
  relations: [],
  helpOpen: false,

  openSeries(s, cell) {
    const st = get();
    const c = Math.min(Math.max(cell ?? st.activeCell, 0), st.cells.length - 1);
    const cells = st.cells.slice();
    cells[c] = s.key;
    const ct = s.modality === 'CT';
    set({
      series: { ...st.series, [s.key]: s },
      cells,
      relations: shownRelations(st.relations, cells),
      activeCell: c,
      activeSeriesKey: s.key,
      windowPreset: ct && st.windowPreset !== 'auto' ? st.windowPreset : 'auto',
      renderPreset: ct ? (st.renderPreset === 'MR-Default' ? 'CT-Bone' : st.renderPreset) : 'MR-Default',
      cinePlaying: false,
    });
  },
  setLayout(layout) {
    const n = cellCount(layout);
    const cells = get().cells.slice(0, n);
    while (cells.length < n) cells.push(get().activeSeriesKey);
    set({
      layout,
      cells,
      relations: shownRelations(get().relations, cells),
      activeCell: Math.min(get().activeCell, n - 1),
    });
  },
  setViewMode(viewMode) {
    set({
      viewMode,
      activeTool:
        viewMode === 'mpr'
          ? 'Crosshairs'
          : get().activeTool === 'Crosshairs'
            ? 'WindowLevel'
            : get().activeTool,
    });
  },
  setActiveCell(activeCell) {
    const key = get().cells[activeCell];
    set({ activeCell, activeSeriesKey: key ?? get().activeSeriesKey });
  },
  setActiveTool(activeTool) {
    set({ activeTool });
  },
  setWindowPreset(windowPreset) {
    set({ windowPreset, windowPresetRevision: get().windowPresetRevision + 1 });
  },
  togglePatientText() {
    set({ patientTextVisible: !get().patientTextVisible });
  },
  setOverlaysVisible(overlaysVisible) {
    set({ overlaysVisible });
  },
  setSlabThickness(mm) {
    if (Number.isFinite(mm) && mm > 0) set({ slabThicknessMm: Math.min(mm, 500) });
  },
  setRenderPreset(renderPreset) {
    set({ renderPreset });
  },
  setSyncEnabled(syncEnabled) {
    set({ syncEnabled });
  },
  setCine(cinePlaying, fps) {
    set({ cinePlaying, cineFps: fps && fps > 0 ? Math.min(fps, 60) : get().cineFps });
  },
  setHelpOpen(helpOpen) {
    set({ helpOpen });
  },
  addLabelmap(labelmap, onSeriesKey) {
    const id = `labelmap:${labelmap.id}`;
    const overlay: LabelmapOverlay = {
      kind: 'labelmap',
      id,
      seriesKey: onSeriesKey,
      labelmap,
      segments: labelmap.segments.map((s) => ({ label: s.label, visible: true, color: s.color })),
      opacity: 0.5,
      visible: true,
    };
    set({ overlays: [...get().overlays.filter((o) => o.id !== id), overlay] });
    return id;
  },
  addParametricMap(map, onSeriesKey) {
    const id = `parametric:${map.id}`;
    let range = map.display?.range;
    if (!range) {
      let lo = Infinity,
        hi = -Infinity;
      const d = map.volume.data;
      for (let i = 0; i < d.length; i++) {
        const v = d[i];
        if (Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      range = lo <= hi ? [lo, hi] : [0, 1];
    }
    const overlay: ParametricOverlay = {
      kind: 'parametric',
      id,
      seriesKey: onSeriesKey,
      map,
      colormap: map.display?.colormap ?? 'hot',
      range,
      opacity: 0.6,
      visible: true,
    };
    set({ overlays: [...get().overlays.filter((o) => o.id !== id), overlay] });
    return id;
  },
  setSegmentVisibility(overlayId, label, visible) {
    set({
      overlays: mapOverlay(get().overlays, overlayId, (o) =>
        o.kind === 'labelmap'
          ? { ...o, segments: o.segments.map((s) => (s.label === label ? { ...s, visible } : s)) }
          : o,
      ),
    });
  },
  setSegmentColor(overlayId, label, color) {
    set({
      overlays: mapOverlay(get().overlays, overlayId, (o) =>
        o.kind === 'labelmap'
          ? { ...o, segments: o.segments.map((s) => (s.label === label ? { ...s, color } : s)) }
          : o,
      ),
    });
  },
  setOverlayOpacity(overlayId, opacity) {
    set({ overlays: mapOverlay(get().overlays, overlayId, (o) => ({ ...o, opacity: clamp01(opacity) })) });
  },
  setOverlayVisible(overlayId, visible) {
    set({ overlays: mapOverlay(get().overlays, overlayId, (o) => ({ ...o, visible })) });
  },
  setParametricRange(overlayId, range) {
    if (!(range[0] < range[1])) return;
    set({
      overlays: mapOverlay(get().overlays, overlayId, (o) => (o.kind === 'parametric' ? { ...o, range } : o)),
    });
  },
  removeOverlay(overlayId) {
    set({ overlays: get().overlays.filter((o) => o.id !== overlayId) });
  },
  setRelation(relation) {
    const { fixedKey: a, movingKey: b } = relation;
    if (a === b) throw new Error('a series cannot be related to itself');
    const problem = affineProblem(relation.matrix);
    if (problem) throw new Error(`registration matrix ${problem}`);
    const others = get().relations.filter(
      (r) => !((r.fixedKey === a && r.movingKey === b) || (r.fixedKey === b && r.movingKey === a)),
    );
    set({ relations: [...others, { ...relation, matrix: relation.matrix.slice() }] });
  },
}));
