import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AnalysisResult, Direction } from '@qiview/sdk';
import { useLocale } from '../i18n/i18n';
import { useViewerStore } from '../state/viewer-store';
import { ResultsPanel, segmentRowsFor } from './ResultsPanel';
import { SegmentList } from './SegmentList';
import { attachResultOverlays } from './attach-overlays';
import { colormapColor, cssGradient, hexToRgb, rgbToHex } from './colormaps';
import { formatValue, measurementLabel } from './format';
import { plotConfig } from './plot-config';
import { exportFiles, exportUnavailable } from '../../core/common/results/export-files';
import { readSeg } from '../../core/common/results/read-seg';
import { readCsv } from '../../core/common/results/result-csv';

const g = {
  dimensions: [4, 3, 2] as [number, number, number],
  spacing: [1, 1, 2] as [number, number, number],
  origin: [0, 0, 0] as [number, number, number],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Direction,
};
function result(): AnalysisResult {
  const data = new Uint8Array(24);
  data[5] = 1;
  data[17] = 3;
  return {
    labelmaps: [
      {
        id: 'lm',
        name: 'Vertebrae',
        geometry: g,
        data,
        segments: [
          { label: 1, name: 'L1', color: [255, 0, 0] },
          { label: 3, name: 'L3', color: [0, 128, 255] },
        ],
      },
    ],
    maps: [
      {
        id: 'cbf',
        name: 'CBF',
        display: { colormap: 'viridis', range: [0, 80] },
        volume: {
          geometry: g,
          data: new Float32Array(24).fill(42.5),
          frames: 1,
          unit: 'ml/100g/min',
          metadata: { modality: 'MR' },
          warnings: [],
        },
      },
    ],
    measurements: [
      {
        key: 'l1_bmd',
        name: 'L1 BMD',
        value: 123.456789,
        unit: 'mg/cm3',
        uncertainty: 2.5,
        region: { labelmapId: 'lm', label: 1, name: 'L1' },
      },
      { key: 'ratio', name: 'Ratio', value: NaN, unit: '1' },
    ],
    findings: ['Osteopenia at L1'],
    qc: { status: 'warn', reasons: ['Motion artefact', 'Low SNR'] },
    parameters: [
      {
        key: 'pld',
        name: 'Post-labelling delay',
        value: 1.8,
        unit: 's',
        source: 'header',
        detail: 'DICOM (0018,9258)',
      },
    ],
    plots: [
      {
        id: 'hist',
        title: 'HU histogram',
        kind: 'histogram',
        xLabel: 'HU',
        yLabel: 'voxels',
        x: [0.123456, 1, 2],
        series: [{ name: 'L1', y: [3, NaN, 5] }],
      },
    ],
  };
}
const strings = {
  en: { name: 'Osteo', l1_bmd: 'L1 bone density' },
  'zh-CN': { name: '骨质疏松', l1_bmd: 'L1 骨密度' },
};
const source = {
  StudyInstanceUID: '1.2.3',
  SeriesInstanceUID: '1.2.3.4',
  PatientID: 'P1',
  FrameOfReferenceUID: '1.2.3.5',
};
const provenance = {
  pluginId: 'org.qiview.osteo',
  pluginVersion: '1.0.0',
  models: [{ id: 'vseg', sha256: 'b'.repeat(64), version: '2.0' }],
  inputSeries: { ct: '1.2.3.4' },
  sdkVersion: '0.1.0',
  timestamp: '2026-01-01T00:00:00.000Z',
};

afterEach(() => {
  useLocale.setState({ locale: 'en' });
  useViewerStore.setState({ overlays: [] });
});

describe('results panel (rendered markup)', () => {
  it('shows translated measurement names, values ± SD, NaN, QC reasons, parameters, colour bar, plots, provenance (en)', () => {
    useLocale.setState({ locale: 'en' });
    const html = renderToStaticMarkup(
      createElement(ResultsPanel, {
        result: result(),
        provenance,
        manifestStrings: strings,
        exportContext: { source },
      }),
    );
    expect(html).toContain('Results: Osteo');
    expect(html).toContain('L1 bone density');
    expect(html).toContain('123.5');
    expect(html).toContain('± 2.5');
    expect(html).toContain('not a number');
    expect(html).toContain('data-status="warn"');
    expect(html).toContain('Motion artefact');
    expect(html).toContain('DICOM header');
    expect(html).toContain('DICOM (0018,9258)');
    expect(html).toContain('data-colormap="viridis"');
    expect(html).toContain('ml/100g/min');
    expect(html).toContain('data-plot="hist"');
    expect(html).toContain('org.qiview.osteo 1.0.0');
    expect(html).toContain('vseg 2.0 (bbbbbbbbbbbb)');
    // all five export buttons present and enabled (source + provenance given)
    for (const k of ['seg', 'sr', 'pm', 'json', 'csv'])
      expect(html).toMatch(new RegExp(`data-kind="${k}"(?![^>]*disabled)`));
  });

  it('segment list rows carry names, colours and visibility', () => {
    const html = renderToStaticMarkup(
      createElement(SegmentList, {
        title: 'Vertebrae',
        segments: [{ label: 1, name: 'L1', color: [255, 0, 0], visible: false }],
        opacity: 0.35,
        onVisibility: () => {},
        onColor: () => {},
        onOpacity: () => {},
      }),
    );
    expect(html).toContain('value="#ff0000"');
    expect(html).not.toMatch(/type="checkbox"[^>]*checked/);
    expect(html).toContain('35%');
  });
});

describe('viewer store wiring', () => {
  it('adds labelmap and map overlays on the series, the segment setters change them, cleanup removes them', () => {
    const detach = attachResultOverlays(result(), 'series-1');
    let o = useViewerStore.getState().overlays;
    expect(o.map((x) => x.id).sort()).toEqual(['labelmap:lm', 'parametric:cbf']);
    expect(o.every((x) => x.seriesKey === 'series-1')).toBe(true);
    useViewerStore.getState().setSegmentVisibility('labelmap:lm', 3, false);
    useViewerStore.getState().setSegmentColor('labelmap:lm', 1, [1, 2, 3]);
    o = useViewerStore.getState().overlays;
    const lm = o.find((x) => x.kind === 'labelmap');
    expect(lm && lm.kind === 'labelmap' && lm.segments).toEqual([
      { label: 1, visible: true, color: [1, 2, 3] },
      { label: 3, visible: false, color: [0, 128, 255] },
    ]);
    // the panel's segment rows show the store's state for that overlay
    const rows = segmentRowsFor(result().labelmaps[0], lm && lm.kind === 'labelmap' ? lm : undefined);
    expect(rows).toEqual([
      { label: 1, name: 'L1', color: [1, 2, 3], visible: true },
      { label: 3, name: 'L3', color: [0, 128, 255], visible: false },
    ]);
    detach();
    expect(useViewerStore.getState().overlays).toEqual([]);
  });
});

describe('results panel helpers', () => {
  it('formats values and names', () => {
    expect(formatValue(123.456789, 'en')).toBe('123.5');
    expect(formatValue(1234567, 'en')).toBe('1,234,567');
    expect(formatValue(0.00001234, 'en')).toBe('1.234e-5');
    expect(formatValue(Infinity, 'en')).toBeNull();
    expect(measurementLabel({ key: 'x', name: 'X' }, 'zh-CN', { en: { 'measurement.x': 'Ex' } })).toBe('Ex');
    expect(measurementLabel({ key: 'x', name: 'X' }, 'zh-CN')).toBe('X');
  });

  it('colour maps interpolate between stops and round-trip hex', () => {
    expect(colormapColor('hot', 0)).toEqual([0, 0, 0]);
    expect(colormapColor('hot', 0.75)).toEqual([255, 255, 0]);
    expect(colormapColor('gray', 0.5)).toEqual([128, 128, 128]);
    expect(colormapColor('viridis', 2)).toEqual([253, 231, 37]);
    expect(cssGradient('jet')).toMatch(/^linear-gradient\(to right, rgb\(0, 0, 143\) 0\.0%/);
    expect(hexToRgb(rgbToHex([12, 200, 255]))).toEqual([12, 200, 255]);
    expect(hexToRgb('nope')).toBeNull();
  });

  it('plot config: histogram bars touch, NaN becomes a gap', () => {
    const c = plotConfig(result().plots![0]);
    expect(c.type).toBe('bar');
    expect(c.data.labels).toEqual(['0.1235', '1', '2']);
    expect(c.data.datasets[0].data).toEqual([3, null, 5]);
    expect((c.data.datasets[0] as { barPercentage?: number }).barPercentage).toBe(1);
  });

  it('export files: SEG reads back, CSV has the row, unavailable formats explain why', () => {
    const ctx = { result: result(), provenance, source };
    const [seg] = exportFiles('seg', ctx);
    expect(seg.filename).toBe('org.qiview.osteo-1.0.0-lm-seg.dcm');
    const back = readSeg(seg.data as Uint8Array, g);
    expect(Array.from(back.data)).toEqual(Array.from(result().labelmaps[0].data));
    const [csv] = exportFiles('csv', ctx);
    const rows = readCsv(csv.data as string);
    expect(rows[0].l1_bmd).toBe('123.456789');
    expect(rows[0].study_instance_uid).toBe('1.2.3');
    expect(exportUnavailable('json', { result: result() })).toMatch(/provenance/);
    expect(() => exportFiles('sr', { result: result() })).toThrow(/StudyInstanceUID/);
  });
});
