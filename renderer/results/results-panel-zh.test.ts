import { describe, expect, it, vi } from 'vitest';
import type { AnalysisResult, Direction } from '@qiview/sdk';

// Server rendering reads a store's initial state, so this file imports the panel only after making the saved
// locale zh-CN (no static import of the i18n store here).
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
const _source = {
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

describe('results panel in zh-CN', () => {
  it('renders the manifest translation and Chinese UI strings', async () => {
    vi.stubGlobal('localStorage', { getItem: () => 'zh-CN', setItem: () => {} });
    const { ResultsPanel } = await import('./ResultsPanel');
    const { useLocale } = await import('../i18n/i18n');
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    expect(useLocale.getState().locale).toBe('zh-CN');
    const html = renderToStaticMarkup(
      createElement(ResultsPanel, { result: result(), provenance, manifestStrings: strings }),
    );
    vi.unstubAllGlobals();
    expect(html).toContain('结果: 骨质疏松');
    expect(html).toContain('L1 骨密度');
    expect(html).toContain('质控警告');
    expect(html).toContain('非数值');
    expect(html).toContain('DICOM 头');
    expect(html).toContain('显示 L1');
    // without source attributes the DICOM exports are disabled, JSON/CSV are not
    expect(html).toMatch(/data-kind="seg"[^>]*disabled/);
    expect(html).not.toMatch(/data-kind="csv"[^>]*disabled/);
  });
});
