import { describe, it, expect, beforeEach } from 'vitest';
import { directionLetter, niceLength } from './overlay-geometry';
import { measurementsToCsv } from './measurement-row';
import { WINDOW_PRESETS, presetRange, findPreset } from './window-presets';
import { SHORTCUTS, runShortcut } from './shortcuts';
import { useViewerStore } from '../state/viewer-store';
import type { OpenableSeries } from '../state/openable-series';
import type { Labelmap, ParametricMap } from '@qiview/sdk';

const series = (key: string, modality = 'CT'): OpenableSeries => ({
  key,
  studyInstanceUid: 's',
  seriesInstanceUid: key,
  modality,
  imageIds: ['dicomfile:0', 'dicomfile:1'],
  hasGeometry: true,
  warnings: [],
});

describe('overlay geometry', () => {
  it('labels LPS directions (radiological axial: screen right is patient left)', () => {
    expect(directionLetter([1, 0, 0])).toBe('L');
    expect(directionLetter([-1, 0, 0])).toBe('R');
    expect(directionLetter([0, -1, 0])).toBe('A');
    expect(directionLetter([0, 0, 1])).toBe('S');
    expect(directionLetter([0.8, 0, -0.6])).toBe('LI');
    expect(directionLetter([0.99, 0.05, 0])).toBe('L');
  });
  it('picks 1/2/5 scale bar lengths', () => {
    expect(niceLength(73)).toBe(50);
    expect(niceLength(19.9)).toBe(10);
    expect(niceLength(2.5)).toBe(2);
    expect(niceLength(0)).toBe(0);
  });
});

describe('window presets', () => {
  it('has the six CT presets with their ranges', () => {
    expect(WINDOW_PRESETS.map((p) => p.id)).toEqual([
      'brain',
      'lung',
      'mediastinum',
      'bone',
      'abdomen',
      'angio',
    ]);
    expect(presetRange(findPreset('lung')!)).toEqual({ lower: -1350, upper: 150 });
    expect(presetRange(findPreset('brain')!)).toEqual({ lower: 0, upper: 80 });
    expect(findPreset('auto')).toBeUndefined();
  });
});

describe('measurements CSV', () => {
  it('quotes per RFC 4180 and keeps empty cells', () => {
    const csv = measurementsToCsv([{ uid: 'a,b', tool: 'EllipticalROI', mean: 300, stdDev: 0, unit: 'HU' }]);
    const [head, row] = csv.split('\r\n');
    expect(head.split(',')[0]).toBe('uid');
    expect(row.startsWith('"a,b",EllipticalROI,300,0,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('viewer store', () => {
  beforeEach(() => {
    useViewerStore.setState({
      series: {},
      cells: [null],
      activeCell: 0,
      activeSeriesKey: null,
      layout: '1x1',
      overlays: [],
      windowPreset: 'auto',
    });
  });
  it('opens series into the active cell and fills new cells on layout change', () => {
    const st = useViewerStore.getState();
    st.openSeries(series('a'));
    expect(useViewerStore.getState().cells).toEqual(['a']);
    useViewerStore.getState().setLayout('2x2');
    expect(useViewerStore.getState().cells).toEqual(['a', 'a', 'a', 'a']);
    useViewerStore.getState().openSeries(series('b', 'MR'), 3);
    const s = useViewerStore.getState();
    expect(s.cells).toEqual(['a', 'a', 'a', 'b']);
    expect(s.activeSeriesKey).toBe('b');
    expect(s.renderPreset).toBe('MR-Default');
    expect(s.windowPreset).toBe('auto');
  });
  it('keeps labelmap and parametric overlays with per-segment display state', () => {
    const g = {
      dimensions: [2, 2, 1] as [number, number, number],
      spacing: [1, 1, 1] as [number, number, number],
      origin: [0, 0, 0] as [number, number, number],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ],
    };
    const lm: Labelmap = {
      id: 'l1',
      name: 'lungs',
      geometry: g,
      data: new Uint8Array([0, 1, 2, 0]),
      segments: [
        { label: 1, name: 'L', color: [255, 0, 0] },
        { label: 2, name: 'R', color: [0, 255, 0] },
      ],
    };
    const st = useViewerStore.getState();
    const id = st.addLabelmap(lm, 'a');
    useViewerStore.getState().setSegmentVisibility(id, 2, false);
    useViewerStore.getState().setSegmentColor(id, 1, [1, 2, 3]);
    useViewerStore.getState().setOverlayOpacity(id, 7);
    const o = useViewerStore.getState().overlays[0];
    expect(o.kind === 'labelmap' && o.segments).toEqual([
      { label: 1, visible: true, color: [1, 2, 3] },
      { label: 2, visible: false, color: [0, 255, 0] },
    ]);
    expect(o.opacity).toBe(1);
    const map: ParametricMap = {
      id: 'm1',
      name: 'CBF',
      volume: {
        geometry: g,
        data: new Float32Array([10, NaN, 60, 30]),
        frames: 1,
        unit: 'ml/100g/min',
        metadata: { modality: 'OT' },
        warnings: [],
      },
    };
    const mid = useViewerStore.getState().addParametricMap(map, 'a');
    const p = useViewerStore.getState().overlays.find((x) => x.id === mid)!;
    expect(p.kind === 'parametric' && p.range).toEqual([10, 60]);
    expect(p.kind === 'parametric' && p.colormap).toBe('hot');
    useViewerStore.getState().removeOverlay(id);
    expect(useViewerStore.getState().overlays.map((x) => x.id)).toEqual([mid]);
  });
});

describe('shortcuts', () => {
  it('have unique keys and drive the store', () => {
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(runShortcut('2')).toBe(true);
    expect(useViewerStore.getState().windowPreset).toBe('lung');
    runShortcut('e');
    expect(useViewerStore.getState().activeTool).toBe('EllipticalROI');
    runShortcut('F2');
    expect(useViewerStore.getState().viewMode).toBe('mpr');
    expect(runShortcut('q')).toBe(false);
  });
});
