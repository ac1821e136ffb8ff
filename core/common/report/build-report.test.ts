import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report';
import { sliceImage } from './slice-image';
import { syntheticAslCase, syntheticLungCase } from './synthetic-results';
import { MAX_KEY_ROWS, selectKeyMeasurements } from './select-key-measurements';
import { formatParameterValue, formatReportNumber, formatStudyDate } from './format-report-value';

const NOW = new Date('2026-11-25T06:00:00Z');

describe('buildReport (pCASL-like result)', () => {
  const c = syntheticAslCase();
  const r = buildReport(c.result, c.provenance, {
    locale: 'en',
    patient: { name: 'Doe^Jane', id: 'P1' },
    study: { date: '20261120', description: 'MR brain ASL' },
    pluginName: 'ASL perfusion',
    now: NOW,
  });

  it('has a header with patient, study, plugin version and dates', () => {
    expect(r.header.patient).toEqual({ name: 'Doe^Jane', id: 'P1' });
    expect(r.header.studyDate).toBe('2026-11-20');
    expect(r.header.pluginId).toBe('org.qiview.asl-perfusion');
    expect(r.header.pluginVersion).toBe('0.1.0');
    expect(r.header.pluginName).toBe('ASL perfusion');
    expect(r.header.analysedAt).toBe('2026-11-20T09:30:00.000Z');
    expect(r.header.generatedAt).toBe(NOW.toISOString());
    expect(r.header.inputSeries.asl).toBe('1.2.826.0.1.3680043.8.498.1');
  });

  it('keeps region means/medians and the QC measurements, in plugin order', () => {
    expect(r.keyMeasurements.map((m) => m.key)).toEqual([
      'cbf_gm_mean',
      'cbf_gm_median',
      'cbf_wm_mean',
      'cbf_wm_median',
      'cbf_brain_mean',
      'cbf_brain_median',
      'spatial_cov_gm',
      'fd_mean',
    ]);
    expect(r.omittedMeasurements).toBe(2);
    const gm = r.keyMeasurements[0]!;
    const src = c.result.measurements[0]!;
    expect(gm.value).toBe(src.value);
    expect(gm.value).toBeGreaterThan(55);
    expect(gm.value).toBeLessThan(65);
    expect(gm.unit).toBe('ml/100g/min');
    expect(gm.region).toBe('Grey matter');
    expect(gm.derivation).toBe('Mean');
    expect(gm.display).toBe(
      `${formatReportNumber(src.value, 'en')} ± ${formatReportNumber(src.uncertainty!, 'en')}`,
    );
    expect(r.keyMeasurements.find((m) => m.key === 'spatial_cov_gm')!.unit).toBe('');
  });

  it('carries the QC verdict, reasons and metrics', () => {
    expect(r.qc.status).toBe('warn');
    expect(r.qc.reasons).toHaveLength(1);
    expect(r.qc.metrics.map((m) => m.key)).toEqual(['spatial_cov', 'fd_mean_mm', 'fd_max_mm']);
    expect(r.qc.metrics[1]!.display).toBe('0.21');
  });

  it('lists every parameter with value, unit, source and detail', () => {
    expect(r.parameters).toHaveLength(c.result.parameters!.length);
    expect(r.parameters.find((p) => p.key === 't1b')).toEqual({
      key: 't1b',
      name: 'T1 of arterial blood',
      value: '1.65',
      unit: 's',
      source: 'default',
      detail: 'ASL white paper (Alsop 2015)',
    });
    expect(r.parameters.find((p) => p.key === 'alpha')!.unit).toBe('');
  });

  it('resolves the key image to the CBF map with its colour map and range', () => {
    expect(r.keyImages).toHaveLength(1);
    expect(r.keyImages[0]!.resolved).toEqual({ kind: 'map', mapId: 'cbf', colormap: 'hot', range: [0, 100] });
    expect(r.plots[0]!.series[0]!.y.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
  });

  it('is a plain copy: changing the result afterwards does not change the report', () => {
    c.result.findings.push('later');
    c.result.plots![0]!.series[0]!.y[0] = 1e6;
    expect(r.findings).toHaveLength(2);
    expect(r.plots[0]!.series[0]!.y[0]).not.toBe(1e6);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('formats numbers in Chinese locale too', () => {
    const zh = buildReport(c.result, c.provenance, { locale: 'zh-CN', now: NOW });
    expect(zh.locale).toBe('zh-CN');
    expect(zh.header.pluginName).toBe('org.qiview.asl-perfusion');
    expect(zh.keyMeasurements[0]!.display).toMatch(/^\d+(\.\d+)? ± \d/);
  });
});

describe('buildReport (lung-fibrosis-like result)', () => {
  const c = syntheticLungCase();
  const r = buildReport(c.result, c.provenance, { locale: 'en', now: NOW });

  it('uses the lung key table, one page long', () => {
    const keys = r.keyMeasurements.map((m) => m.key);
    expect(keys.slice(0, 3)).toEqual(['lungs_volume', 'lungs_mld', 'lungs_fibrosis_extent']);
    expect(keys).toContain('right_fibrosis_extent');
    expect(keys).toContain('lower_fibrosis_extent');
    expect(keys).not.toContain('lungs_fibrosis_extent_delta'); // no prior in this case
    expect(keys.length).toBeLessThanOrEqual(MAX_KEY_ROWS);
    expect(r.omittedMeasurements).toBe(c.result.measurements.length - keys.length);
    const lower = r.keyMeasurements.find((m) => m.key === 'lower_fibrosis_extent')!;
    const upper = r.keyMeasurements.find((m) => m.key === 'upper_fibrosis_extent')!;
    expect(lower.value).toBeGreaterThan(10);
    expect(upper.value).toBe(0);
    expect(lower.unit).toBe('%');
  });

  it('shows model versions and array parameters', () => {
    expect(r.header.models).toEqual([{ id: 'lung-seg', version: '1.0', sha256Prefix: 'ab12cd34ef56' }]);
    expect(r.parameters.find((p) => p.key === 'severity_thresholds')!.value).toBe('5, 20');
    expect(r.qc).toMatchObject({ status: 'pass', reasons: [] });
  });

  it('resolves the CT key image with the last labelmap (texture) as overlay', () => {
    expect(r.keyImages[0]!.resolved).toEqual({ kind: 'series', role: 'ct', overlayLabelmapId: 'texture' });
  });

  it('marks a key image on an unknown source as missing', () => {
    const res = {
      ...c.result,
      keyImages: [{ source: 'nope', slice: 0, axis: 'axial' as const, caption: 'x' }],
    };
    expect(buildReport(res, c.provenance, { locale: 'en' }).keyImages[0]!.resolved).toEqual({
      kind: 'missing',
    });
  });
});

describe('report parts', () => {
  it('handles a result without provenance, QC or parameters', () => {
    const r = buildReport(
      {
        labelmaps: [],
        maps: [],
        measurements: [{ key: 'a', name: 'A', value: NaN, unit: 'HU' }],
        findings: [],
      },
      undefined,
      { locale: 'en' },
    );
    expect(r.qc).toEqual({ status: 'none', reasons: [], metrics: [] });
    expect(r.keyMeasurements[0]!.display).toBe('—');
    expect(r.parameters).toEqual([]);
  });

  it('selects explicit keys in order', () => {
    const ms = syntheticAslCase().result.measurements;
    expect(
      selectKeyMeasurements(ms, { keys: ['pairs_used', 'cbf_gm_wm_ratio', 'missing'] }).map((m) => m.key),
    ).toEqual(['pairs_used', 'cbf_gm_wm_ratio']);
  });

  it('formats values and dates', () => {
    expect(formatReportNumber(61.23456, 'en')).toBe('61.23');
    expect(formatReportNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatParameterValue(true, 'en')).toBe('true');
    expect(formatStudyDate('20240102')).toBe('2024-01-02');
  });
});

describe('sliceImage', () => {
  it('draws the CBF map mid slice with the window given', () => {
    const c = syntheticAslCase();
    const img = sliceImage(c.volumes.asl!, { axis: 'axial', slice: 6, range: [0, 100] });
    expect([img.width, img.height]).toEqual([32, 32]);
    expect(img.pixelSpacing).toEqual([3, 3]);
    // centre pixel is white matter (~25 → grey ≈ 64), the corner is outside the brain (0 → black)
    const at = (c: number, r: number) => img.rgba[4 * (c + 32 * r)]!;
    expect(at(0, 0)).toBe(0);
    expect(Math.abs(at(16, 16) - 0.25 * 255)).toBeLessThan(0.05 * 255);
    expect(at(16, 3)).toBeGreaterThan(at(16, 16)); // grey-matter rim brighter than white matter
  });

  it('orients coronal slices superior-up and blends an overlay', () => {
    const c = syntheticLungCase();
    const tex = c.result.labelmaps[1]!;
    const img = sliceImage(c.volumes.ct!, {
      axis: 'coronal',
      slice: 16,
      range: [-1000, 100],
      overlay: tex,
      overlayAlpha: 1,
    });
    expect([img.width, img.height]).toEqual([40, 12]);
    // bottom rows (inferior, k < 4) hold reticular voxels coloured (240, 140, 40) at alpha 1
    let reticular = 0;
    for (let r = 8; r < 12; r++)
      for (let x = 0; x < 40; x++) if (img.rgba[4 * (x + 40 * r) + 1] === 140) reticular++;
    let top = 0;
    for (let r = 0; r < 4; r++)
      for (let x = 0; x < 40; x++) if (img.rgba[4 * (x + 40 * r) + 1] === 140) top++;
    expect(reticular).toBeGreaterThan(5);
    expect(top).toBe(0);
  });

  it('refuses a slice outside the volume and an overlay on another grid', () => {
    const c = syntheticAslCase();
    expect(() => sliceImage(c.volumes.asl!, { axis: 'axial', slice: 12 })).toThrow(RangeError);
    const bad = { ...c.result.labelmaps[0]!, data: new Uint8Array(5) };
    expect(() => sliceImage(c.volumes.asl!, { axis: 'axial', slice: 0, overlay: bad })).toThrow(/grid/);
  });
});
