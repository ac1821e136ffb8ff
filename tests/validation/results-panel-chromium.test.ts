/**
 * The results panel in a real browser (Debian Chromium, headless): bundles a page with esbuild that mounts
 * ResultsPanel on a result and the real viewer store, then checks overlays, segment/range controls driving the
 * store, a chart.js canvas with drawn pixels, and all five exports. Skips when Chromium is not installed.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const ENTRY = `
import { createRoot } from 'react-dom/client';
import { createElement } from 'react';
import { ResultsPanel } from './renderer/results';
import { useViewerStore } from './renderer/state/viewer-store';
const g = { dimensions: [4, 3, 2], spacing: [1, 1, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const data = new Uint8Array(24); data[5] = 1; data[17] = 3;
const result = {
  labelmaps: [{ id: 'lm', name: 'Vertebrae', geometry: g, data, segments: [{ label: 1, name: 'L1', color: [255, 0, 0] }, { label: 3, name: 'L3', color: [0, 128, 255] }] }],
  maps: [{ id: 'cbf', name: 'CBF', display: { colormap: 'viridis', range: [0, 80] }, volume: { geometry: g, data: new Float32Array(24).fill(42.5), frames: 1, unit: 'ml/100g/min', metadata: { modality: 'MR' }, warnings: [] } }],
  measurements: [{ key: 'l1_bmd', name: 'L1 BMD', value: 123.456789, unit: 'mg/cm3', uncertainty: 2.5 }],
  findings: ['Osteopenia at L1'], qc: { status: 'warn', reasons: ['Motion artefact'] },
  parameters: [{ key: 'pld', name: 'PLD', value: 1.8, unit: 's', source: 'header' }],
  plots: [{ id: 'hist', title: 'HU histogram', kind: 'histogram', xLabel: 'HU', yLabel: 'voxels', x: [0, 1, 2, 3], series: [{ name: 'L1', y: [3, 7, 5, 1] }] }],
};
window.saved = [];
window.store = useViewerStore;
createRoot(document.getElementById('root')).render(createElement(ResultsPanel, {
  result, seriesKey: 's1',
  provenance: { pluginId: 'p', pluginVersion: '1.0.0', models: [], inputSeries: {}, sdkVersion: '0.1.0', timestamp: 't' },
  exportContext: { source: { StudyInstanceUID: '1.2.3', SeriesInstanceUID: '1.2.3.4' } },
  save: (name, _m, d) => window.saved.push(name + ':' + (typeof d === 'string' ? d.length : d.byteLength)),
}));
`;

describe.skipIf(!existsSync(CHROMIUM))('results panel in Chromium', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'qiview-results-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mounts, drives the viewer store, draws the chart and exports every format', async () => {
    const esbuild = await import('esbuild');
    await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: root, loader: 'tsx' },
      bundle: true,
      outfile: path.join(dir, 'bundle.js'),
      format: 'iife',
      jsx: 'automatic',
      alias: { '@qiview/sdk': path.join(root, 'plugins/sdk/index.ts') },
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.css': 'css' },
      logLevel: 'silent',
    });
    writeFileSync(
      path.join(dir, 'index.html'),
      '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="bundle.css"></head><body><div id="root" style="width:600px"></div><script src="bundle.js"></script></body></html>',
    );
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 640, height: 1400 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto('file://' + path.join(dir, 'index.html'));
      await page.waitForSelector('[data-testid="results-panel"]');
      const state = () =>
        page.evaluate(() =>
          (window as any).store
            .getState()
            .overlays.map((o: any) => ({ id: o.id, segments: o.segments, range: o.range })),
        );
      expect((await state()).map((o: { id: string }) => o.id)).toEqual(['labelmap:lm', 'parametric:cbf']);
      await page.getByLabel('Show L3').uncheck();
      await page.getByLabel('Lowest value shown').fill('10');
      const after = await state();
      expect(after[0].segments[1]).toMatchObject({ label: 3, visible: false });
      expect(after[1].range).toEqual([10, 80]);
      await page.waitForFunction(() => {
        const c = document.querySelector('canvas');
        if (!c) return false;
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
        return false;
      });
      for (const k of ['seg', 'sr', 'pm', 'json', 'csv']) await page.click(`button[data-kind="${k}"]`);
      const saved: string[] = await page.evaluate(() => (window as any).saved);
      expect(saved.map((s) => s.split(':')[0])).toEqual([
        'p-1.0.0-lm-seg.dcm',
        'p-1.0.0-sr.dcm',
        'p-1.0.0-cbf-pm.dcm',
        'p-1.0.0.json',
        'p-1.0.0.csv',
      ]);
      expect(saved.every((s) => Number(s.split(':')[1]) > 100)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
