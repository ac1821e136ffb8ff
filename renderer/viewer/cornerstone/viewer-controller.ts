/**
 * Drives Cornerstone3D from the viewer store: creates the viewports a mode/layout needs, loads stacks and volumes
 * into them, applies window presets, tools, synchronisers and overlays (labelmaps, parametric maps).
 */
import {
  RenderingEngine,
  Enums,
  imageLoader,
  setVolumesForViewports,
  getRenderingEngine,
  metaData,
  utilities as csUtilities,
  type Types,
} from '@cornerstonejs/core';
import {
  ToolGroupManager,
  Enums as ToolEnums,
  segmentation,
  synchronizers,
  SynchronizerManager,
  WindowLevelTool,
  PanTool,
  ZoomTool,
  StackScrollTool,
  LengthTool,
  AngleTool,
  EllipticalROITool,
  RectangleROITool,
  ProbeTool,
  CrosshairsTool,
  TrackballRotateTool,
} from '@cornerstonejs/tools';
import { initCornerstone } from './init-cornerstone';
import {
  ensureVolume,
  volumeFullyLoaded,
  frameOfReferenceOf,
  createLabelmapVolume,
  defaultVoiRange,
} from './volumes';
import { releaseUnusedMaps, removeStaleMaps, showParametricMap } from './parametric-fusion';
import { findPreset, presetRange } from '../window-presets';
import type { OpenableSeries } from '../../state/openable-series';
import type { Overlay, SeriesRelation, ToolName, ViewerState } from '../../state/viewer-store';
import { relationMapping, type PointMap } from '../relation-mapping';

export const ENGINE_ID = 'qiview-engine';
const TOOL_GROUP_2D = 'qiview-2d';
const TOOL_GROUP_3D = 'qiview-3d';
const SYNC_CAMERA = 'qiview-sync-camera';
const SYNC_VOI = 'qiview-sync-voi';

export type Orientation = 'axial' | 'sagittal' | 'coronal';
/** One viewport the current mode needs. */
export interface ViewportSpec {
  id: string;
  element: HTMLDivElement;
  kind: 'stack' | 'ortho' | '3d';
  orientation: Orientation;
  seriesKey: string;
  mip: boolean;
}

const ORIENT: Record<Orientation, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};

const TOOL_NAMES: Record<ToolName, string> = {
  WindowLevel: WindowLevelTool.toolName,
  Pan: PanTool.toolName,
  Zoom: ZoomTool.toolName,
  StackScroll: StackScrollTool.toolName,
  Length: LengthTool.toolName,
  Angle: AngleTool.toolName,
  EllipticalROI: EllipticalROITool.toolName,
  RectangleROI: RectangleROITool.toolName,
  Probe: ProbeTool.toolName,
  Crosshairs: CrosshairsTool.toolName,
};

/** Performance marks (read by the load benchmark and tests): `qiview:first-image:<key>`, `qiview:volume-loaded:<key>`. */
function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}

export class ViewerController {
  private engine: RenderingEngine | null = null;
  private signature = '';
  private specs: ViewportSpec[] = [];
  private generation = 0;
  private appliedOverlays = new Map<string, string>();
  private lastPresetRevision = -1;
  private lastRenderPreset = '';
  private lastSlab = -1;
  /** Warnings to show (e.g. a series without geometry opened as a stack). */
  onWarning: (w: string | null) => void = () => {};
  /** Called after viewports are (re)created and loaded. */
  onViewportsChanged: () => void = () => {};

  /**
   * Creates the rendering engine (its pool of WebGL contexts, ~0.1 s with SwiftShader) while the page is idle, so the
   * first series opened does not wait for it.
   */
  async warmUp(): Promise<void> {
    await initCornerstone();
    this.engine ??= new RenderingEngine(ENGINE_ID);
    markOnce('qiview:engine-ready');
  }

  /**
   * Starts loading what opening `series` shows first (the middle slice a stack opens on), then streams its volume,
   * while the store, React and the viewports catch up. The viewport finds the slice in Cornerstone's cache (the
   * options are the stack viewport's own), so the first image does not wait for viewport creation (issue 2).
   */
  preload(series: OpenableSeries): void {
    if (series.imageIds.length === 0) return;
    const middle = series.imageIds[Math.floor(series.imageIds.length / 2)];
    void initCornerstone()
      .then(() =>
        imageLoader.loadAndCacheImage(middle, {
          useRGBA: false,
          priority: 5,
          requestType: Enums.RequestType.Interaction,
        } as never),
      )
      .then(() => (series.hasGeometry && series.imageIds.length > 1 ? ensureVolume(series) : undefined))
      // A failure surfaces when the viewport loads the same slice.
      .catch(() => undefined);
  }

  async apply(specs: ViewportSpec[], state: ViewerState): Promise<void> {
    // read by the slice synchroniser at each event; a relation set or dropped while the same cells stay (Compare with
    // prior on a pair already side by side) realigns the other cells to the first one below
    const relationsChanged = state.relations !== this.relations;
    this.relations = state.relations;
    await initCornerstone();
    const sig = specs.map((s) => `${s.id}|${s.kind}|${s.orientation}|${s.seriesKey}|${s.mip}`).join(';');
    if (sig !== this.signature || specs.some((s, i) => s.element !== this.specs[i]?.element)) {
      this.signature = sig;
      this.specs = specs;
      // a rebuild's setViewports takes the viewports out of every synchroniser: the latest one makes them again
      if (await this.rebuild(specs, state)) this.syncOn = null;
    }
    this.applyTool(state.activeTool);
    if (!this.applySync(state.syncEnabled) && relationsChanged) this.realign?.();
    if (state.windowPresetRevision !== this.lastPresetRevision) {
      this.lastPresetRevision = state.windowPresetRevision;
      this.applyWindowPreset(state.windowPreset);
    }
    if (state.renderPreset !== this.lastRenderPreset) {
      this.lastRenderPreset = state.renderPreset;
      this.apply3dPreset(state.renderPreset);
    }
    if (state.slabThicknessMm !== this.lastSlab) {
      this.lastSlab = state.slabThicknessMm;
      this.applySlab(state.slabThicknessMm);
    }
    await this.applyOverlays(state.overlays, state.overlaysVisible);
  }

  /** Rebuilds the viewports; true when this is still the latest rebuild when it ends. */
  private async rebuild(specs: ViewportSpec[], state: ViewerState): Promise<boolean> {
    const gen = ++this.generation;
    this.destroyTools();
    this.engine ??= new RenderingEngine(ENGINE_ID);
    const engine = this.engine;
    this.appliedOverlays.clear();
    engine.setViewports(
      specs.map((s) => ({
        viewportId: s.id,
        type:
          s.kind === 'stack'
            ? Enums.ViewportType.STACK
            : s.kind === '3d'
              ? Enums.ViewportType.VOLUME_3D
              : Enums.ViewportType.ORTHOGRAPHIC,
        element: s.element,
        defaultOptions: { orientation: ORIENT[s.orientation], background: [0, 0, 0] as Types.Point3 },
      })),
    );
    this.createToolGroups(specs);
    this.lastPresetRevision = -1;
    this.lastRenderPreset = '';
    this.lastSlab = -1;
    const loads: Promise<void>[] = [];
    for (const s of specs) {
      const series = state.series[s.seriesKey];
      if (!series) continue;
      loads.push(
        this.load(s, series, gen, state).catch((e) =>
          this.onWarning(String(e instanceof Error ? e.message : e)),
        ),
      );
    }
    await Promise.all(loads);
    if (gen !== this.generation) return false;
    this.onViewportsChanged();
    return true;
  }

  private async load(
    s: ViewportSpec,
    series: OpenableSeries,
    gen: number,
    state: ViewerState,
  ): Promise<void> {
    const engine = this.engine!;
    if (s.kind === 'stack') {
      const vp = engine.getViewport(s.id) as Types.IStackViewport;
      const firstImage = `qiview:first-image:${series.key}`;
      // The first render that shows an image (a render of the empty viewport may come first).
      const onRendered = () => {
        if (!(vp as unknown as { getCornerstoneImage?: () => unknown }).getCornerstoneImage?.()) return;
        markOnce(firstImage);
        s.element.removeEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      };
      s.element.addEventListener(Enums.Events.IMAGE_RENDERED, onRendered);
      await vp.setStack(series.imageIds, Math.floor(series.imageIds.length / 2));
      vp.render();
      // Stream the volume behind the stack (images are shared in the cache) so MPR/3D open at once.
      if (series.hasGeometry && series.imageIds.length > 1 && state.syncEnabled !== undefined) {
        void ensureVolume(series)
          .then((id) => volumeFullyLoaded(id))
          .then(() => markOnce(`qiview:volume-loaded:${series.key}`))
          .catch(() => undefined);
      }
      return;
    }
    const volumeId = await ensureVolume(series);
    if (gen !== this.generation) return;
    if (s.kind === '3d') {
      // 3D on software GL while slices stream is very slow: attach only after the volume loaded (stack.md).
      await volumeFullyLoaded(volumeId);
      markOnce(`qiview:volume-loaded:${series.key}`);
      if (gen !== this.generation) return;
      await setVolumesForViewports(engine, [{ volumeId }], [s.id]);
      const vp = engine.getViewport(s.id) as Types.IVolumeViewport;
      vp.setProperties({ preset: state.renderPreset });
      vp.render();
      this.lastRenderPreset = state.renderPreset;
      return;
    }
    const input: Types.IVolumeInput = { volumeId };
    if (s.mip) {
      input.blendMode = Enums.BlendModes.MAXIMUM_INTENSITY_BLEND;
      input.slabThickness = state.slabThicknessMm;
    }
    await setVolumesForViewports(engine, [input], [s.id]);
    const vp = engine.getViewport(s.id) as Types.IVolumeViewport;
    const range = defaultVoiRange(volumeId);
    if (range) vp.setProperties({ voiRange: range });
    s.element.addEventListener(
      Enums.Events.IMAGE_RENDERED,
      () => markOnce(`qiview:first-image:${series.key}`),
      {
        once: true,
      },
    );
    vp.render();
    void volumeFullyLoaded(volumeId)
      .then(() => markOnce(`qiview:volume-loaded:${series.key}`))
      .catch(() => undefined);
  }

  private destroyTools(): void {
    for (const id of [TOOL_GROUP_2D, TOOL_GROUP_3D]) {
      if (ToolGroupManager.getToolGroup(id)) ToolGroupManager.destroyToolGroup(id);
    }
    for (const id of [SYNC_CAMERA, SYNC_VOI]) {
      if (SynchronizerManager.getSynchronizer(id)) SynchronizerManager.destroySynchronizer(id);
    }
  }

  private createToolGroups(specs: ViewportSpec[]): void {
    const g2 = ToolGroupManager.createToolGroup(TOOL_GROUP_2D)!;
    for (const name of Object.values(TOOL_NAMES)) {
      if (name === CrosshairsTool.toolName) {
        if (specs.filter((s) => s.kind === 'ortho').length >= 2) g2.addTool(name);
      } else g2.addTool(name);
    }
    const g3 = ToolGroupManager.createToolGroup(TOOL_GROUP_3D)!;
    g3.addTool(TrackballRotateTool.toolName);
    g3.addTool(ZoomTool.toolName);
    g3.addTool(PanTool.toolName);
    g3.setToolActive(TrackballRotateTool.toolName, {
      bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }],
    });
    g3.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
    g3.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
    for (const s of specs) (s.kind === '3d' ? g3 : g2).addViewport(s.id, ENGINE_ID);
    this.activeTool = null;
  }

  private activeTool: ToolName | null = null;

  private applyTool(tool: ToolName): void {
    const g = ToolGroupManager.getToolGroup(TOOL_GROUP_2D);
    if (!g || this.activeTool === tool) return;
    const name = TOOL_NAMES[tool];
    if (!g.hasTool(name)) return;
    for (const n of Object.values(TOOL_NAMES)) {
      if (g.hasTool(n) && n !== name) g.setToolPassive(n);
    }
    g.setToolActive(name, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
    // Fixed secondary bindings: right drag zooms, middle drag pans, wheel scrolls.
    if (name !== ZoomTool.toolName)
      g.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
    if (name !== PanTool.toolName)
      g.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
    g.setToolActive(StackScrollTool.toolName, {
      bindings: [
        ...(name === StackScrollTool.toolName ? [{ mouseButton: ToolEnums.MouseBindings.Primary }] : []),
        { mouseButton: ToolEnums.MouseBindings.Wheel },
      ],
    });
    this.activeTool = tool;
  }

  private relations: SeriesRelation[] = [];

  /**
   * How a patient position of viewport `sourceId`'s series maps to `targetId`'s: through their registration when the
   * viewer store relates the two series (fixed → moving A·x + b, the inverse the other way), else unchanged.
   */
  pointMapping(sourceId: string, targetId: string): PointMap | undefined {
    const a = this.specs.find((s) => s.id === sourceId)?.seriesKey;
    const b = this.specs.find((s) => s.id === targetId)?.seriesKey;
    if (!a || !b || a === b) return undefined;
    return relationMapping(this.relations, a, b);
  }

  private syncOn: boolean | null = null;
  /** Moves the other slice cells to the first one's position (through relations); null while sync is off. */
  private realign: (() => void) | null = null;
  /** (Re)creates the synchronisers when needed; true when it did (the other cells then follow the first one). */
  private applySync(on: boolean): boolean {
    const ids2d = this.specs.filter((s) => s.kind !== '3d').map((s) => s.id);
    // Stacks and axial volume cells (a stack with overlays is shown as a volume) follow each other's slice position;
    // MPR's one axial plane has nothing to follow.
    const sliceIds = this.specs
      .filter((s) => s.kind === 'stack' || (s.kind === 'ortho' && !s.mip && s.orientation === 'axial'))
      .map((s) => s.id);
    if (this.syncOn === on && (!on || SynchronizerManager.getSynchronizer(SYNC_VOI))) return false;
    for (const id of [SYNC_CAMERA, SYNC_VOI]) {
      if (SynchronizerManager.getSynchronizer(id)) SynchronizerManager.destroySynchronizer(id);
    }
    this.syncOn = on;
    this.realign = null;
    if (!on || ids2d.length < 2) return true;
    const voi = synchronizers.createVOISynchronizer(SYNC_VOI, {
      syncInvertState: false,
      syncColormap: false,
    });
    for (const id of ids2d) voi.add({ renderingEngineId: ENGINE_ID, viewportId: id });
    if (sliceIds.length >= 2) {
      // Cells follow by patient position (series of different frames of reference too, e.g. a prior CT next to the
      // current one: same position in patient coordinates, not a registration). Cornerstone 5.x's
      // createImageSliceSynchronizer listens for 'VOLUME_NEW_IMAGE' (not the event's real name) and reads a volume
      // cell's position mirrored, so a volume cell (a series with overlays) never moved the others right.
      const follow = (sync: unknown, source: Types.IViewportId, target: Types.IViewportId) =>
        followSlice(sync, source, target, this.pointMapping(source.viewportId, target.viewportId));
      const cam = SynchronizerManager.createSynchronizer(SYNC_CAMERA, Enums.Events.STACK_NEW_IMAGE, follow, {
        auxiliaryEvents: [{ name: Enums.Events.VOLUME_NEW_IMAGE }],
      });
      for (const id of sliceIds) cam.add({ renderingEngineId: ENGINE_ID, viewportId: id });
      // the other cells start at the first cell's position (each series opens at its middle slice)
      const first = { renderingEngineId: ENGINE_ID, viewportId: sliceIds[0]! };
      this.realign = () => {
        for (const id of sliceIds.slice(1))
          void follow(cam, first, { renderingEngineId: ENGINE_ID, viewportId: id }).catch(() => undefined);
      };
      this.realign();
    }
    return true;
  }

  private applyWindowPreset(presetId: string): void {
    if (!this.engine) return;
    const preset = findPreset(presetId);
    for (const s of this.specs) {
      if (s.kind === '3d') continue;
      const vp = this.engine.getViewport(s.id) as Types.IStackViewport | Types.IVolumeViewport | undefined;
      if (!vp) continue;
      if (preset) vp.setProperties({ voiRange: presetRange(preset) });
      else {
        vp.resetProperties?.();
        // Local volumes (NIfTI, maps) have no window of their own: back to their data range.
        const baseId = 'getActors' in vp ? vp.getActors()[0]?.referencedId : undefined;
        const range = baseId ? defaultVoiRange(baseId) : undefined;
        if (range) vp.setProperties({ voiRange: range });
      }
      vp.render();
    }
  }

  private apply3dPreset(preset: string): void {
    if (!this.engine) return;
    for (const s of this.specs) {
      if (s.kind !== '3d') continue;
      const vp = this.engine.getViewport(s.id) as Types.IVolumeViewport | undefined;
      if (vp && vp.getActors().length > 0) {
        vp.setProperties({ preset });
        vp.render();
      }
    }
  }

  private applySlab(mm: number): void {
    if (!this.engine) return;
    for (const s of this.specs) {
      if (!s.mip) continue;
      const vp = this.engine.getViewport(s.id) as Types.IVolumeViewport | undefined;
      if (vp && vp.getActors().length > 0) {
        vp.setSlabThickness(mm);
        vp.render();
      }
    }
  }

  private async applyOverlays(overlays: Overlay[], allVisible: boolean): Promise<void> {
    if (!this.engine) return;
    const engine = this.engine;
    for (const s of this.specs) {
      if (s.kind !== 'ortho') continue;
      const vp = engine.getViewport(s.id) as Types.IVolumeViewport | undefined;
      if (!vp || vp.getActors().length === 0) continue;
      const baseId = vp.getActors()[0]?.referencedId ?? '';
      const forUid = frameOfReferenceOf(baseId);
      for (const id of removeStaleMaps(
        vp,
        overlays.filter((x) => x.seriesKey === s.seriesKey),
      ))
        this.appliedOverlays.delete(`${s.id}:${id}`);
      for (const o of overlays.filter((x) => x.seriesKey === s.seriesKey)) {
        const key = `${s.id}:${o.id}`;
        const state = JSON.stringify(
          o.kind === 'labelmap'
            ? { v: o.visible && allVisible, op: o.opacity, seg: o.segments }
            : { v: o.visible && allVisible, op: o.opacity, r: o.range, c: o.colormap },
        );
        if (this.appliedOverlays.get(key) === state) continue;
        const first = !this.appliedOverlays.has(key);
        this.appliedOverlays.set(key, state);
        if (o.kind === 'labelmap') {
          const segId = `qiview-seg:${o.labelmap.id}`;
          if (first) {
            createLabelmapVolume(segId, o.labelmap, forUid);
            if (!segmentation.state.getSegmentation(segId)) {
              segmentation.addSegmentations([
                {
                  segmentationId: segId,
                  representation: {
                    type: ToolEnums.SegmentationRepresentations.Labelmap,
                    data: { volumeId: segId },
                  },
                  // every label declared: without this Cornerstone knows segment 1 only, and the visibility of
                  // the others (a segment's checkbox, hiding the overlay, 'o') is silently ignored
                  config: {
                    segments: Object.fromEntries(
                      o.labelmap.segments.map((seg) => [
                        seg.label,
                        { segmentIndex: seg.label, label: seg.name },
                      ]),
                    ),
                  },
                },
              ]);
            }
            await segmentation.addLabelmapRepresentationToViewport(s.id, [{ segmentationId: segId }]);
          }
          const spec = { segmentationId: segId, type: ToolEnums.SegmentationRepresentations.Labelmap };
          for (const seg of o.segments)
            segmentation.config.color.setSegmentIndexColor(s.id, segId, seg.label, [
              ...seg.color,
              255,
            ] as Types.Color);
          // Cornerstone 5.14: hiding the representation hides each segment, showing it shows each segment, and
          // showing one segment shows the representation again (`visible ||= …`). So: the representation first, the
          // segments' own visibility only while it is shown (else a hidden overlay came back with its segments).
          const shown = o.visible && allVisible;
          segmentation.config.visibility.setSegmentationRepresentationVisibility(s.id, spec, shown);
          if (shown)
            for (const seg of o.segments)
              segmentation.config.visibility.setSegmentIndexVisibility(s.id, spec, seg.label, seg.visible);
          segmentation.config.style.setStyle(
            { viewportId: s.id, segmentationId: segId, type: ToolEnums.SegmentationRepresentations.Labelmap },
            { fillAlpha: o.opacity, outlineOpacity: Math.min(1, o.opacity + 0.3) },
          );
        } else {
          await showParametricMap(vp, o, o.visible && allVisible, forUid);
        }
        vp.render();
      }
    }
    releaseUnusedMaps(overlays);
  }

  /** Viewport ids currently shown. */
  viewportIds(): string[] {
    return this.specs.map((s) => s.id);
  }

  getEngine(): RenderingEngine | null {
    return this.engine;
  }

  destroy(): void {
    this.destroyTools();
    this.engine?.destroy();
    this.engine = null;
    this.signature = '';
    this.specs = [];
  }
}

/**
 * Slice synchroniser callback: the target shows its slice nearest (along its normal) to the source's focal point, for
 * stacks and volume cells of parallel planes alike. With `map` (the two series are related by a registration) the
 * focal point and the plane normal are first carried into the target series' patient space.
 */
async function followSlice(
  _sync: unknown,
  source: Types.IViewportId,
  target: Types.IViewportId,
  map?: PointMap,
): Promise<void> {
  const engine = getRenderingEngine(target.renderingEngineId);
  const s = engine?.getViewport(source.viewportId) as
    Types.IStackViewport | Types.IVolumeViewport | undefined;
  const t = engine?.getViewport(target.viewportId) as
    Types.IStackViewport | Types.IVolumeViewport | undefined;
  if (!s || !t) return;
  const sp = s.getCamera().focalPoint;
  const n = t.getCamera().viewPlaneNormal;
  const ssn = s.getCamera().viewPlaneNormal;
  if (!sp || !n || !ssn) return;
  const p = map ? map(sp) : sp;
  let sn: number[] = ssn;
  if (map) {
    const q = map([sp[0] + ssn[0], sp[1] + ssn[1], sp[2] + ssn[2]]);
    const v = [q[0] - p[0], q[1] - p[1], q[2] - p[2]];
    const len = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
    sn = v.map((x) => x / len);
  }
  if (Math.abs(n[0] * sn[0]! + n[1] * sn[1]! + n[2] * sn[2]!) < 0.9) return;
  const ids = t.getImageIds();
  let best = -1;
  let bestD = Infinity;
  ids.forEach((id, i) => {
    const ipp = (metaData.get('imagePlaneModule', id) as { imagePositionPatient?: number[] } | undefined)
      ?.imagePositionPatient;
    if (!ipp) return;
    const d = Math.abs((ipp[0] - p[0]) * n[0] + (ipp[1] - p[1]) * n[1] + (ipp[2] - p[2]) * n[2]);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  if (best < 0) return;
  // volume cells count their slices from the other end of the image ids (as Cornerstone's own callback does)
  const index = 'getVolumeId' in t ? ids.length - 1 - best : best;
  if (t.getCurrentImageIdIndex() !== index) await csUtilities.jumpToSlice(t.element, { imageIndex: index });
}

/** The app's one controller. */
export const viewerController = new ViewerController();
