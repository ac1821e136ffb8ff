import { describe, expect, it } from 'vitest';
import { matchesInput, parseManifest } from './manifest';

const good = {
  id: 'org.example.demo',
  version: '1.0.0',
  apiVersion: '^0.1.0',
  publisher: 'Example',
  license: 'Apache-2.0',
  main: 'index.js',
  inputs: [{ role: 'ct', rules: [{ attribute: 'Modality', equals: ['CT'] }] }],
  strings: { en: { name: 'Demo', description: 'd' }, 'zh-CN': { name: '演示', description: '描述' } },
};

describe('parseManifest', () => {
  it('accepts a valid manifest and fills defaults', () => {
    const r = parseManifest(good, '0.1.0');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.manifest.limits.timeoutSeconds).toBe(600);
      expect(r.manifest.models).toEqual([]);
    }
  });
  it('rejects an incompatible apiVersion with a clear message', () => {
    const r = parseManifest({ ...good, apiVersion: '^2.0.0' }, '0.1.0');
    expect(r).toEqual({ ok: false, errors: [expect.stringContaining('needs SDK ^2.0.0')] });
  });
  it('rejects path traversal in main and model files, and missing translations', () => {
    const r = parseManifest({
      ...good,
      main: '../evil.js',
      models: [{ id: 'm', file: '../../x.onnx', sha256: 'a'.repeat(64), opset: 17, inputs: [], outputs: [] }],
      strings: { en: { name: 'x', description: 'y' }, 'zh-CN': { name: 'x' } },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.some((e) => e.startsWith('main:'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('models.0.file:'))).toBe(true);
      expect(r.errors.some((e) => e.startsWith('strings:'))).toBe(true);
    }
  });
});

describe('matchesInput', () => {
  const input = {
    role: 'asl',
    required: true,
    rules: [
      { attribute: 'Modality', equals: ['MR'] },
      { attribute: 'ImageType', equals: ['ASL'] },
      { attribute: 'SeriesDescription', pattern: 'perfusion|m0', not: true },
    ],
  };
  it('matches multi-valued ImageType and honours "not"', () => {
    expect(
      matchesInput(input, {
        Modality: 'MR',
        ImageType: 'ORIGINAL\\PRIMARY\\ASL',
        SeriesDescription: 'pcasl',
      }),
    ).toBe(true);
    expect(
      matchesInput(input, { Modality: 'MR', ImageType: ['ORIGINAL', 'ASL'], SeriesDescription: 'M0' }),
    ).toBe(false);
    expect(matchesInput(input, { Modality: 'CT', ImageType: 'ASL' })).toBe(false);
    expect(matchesInput(input, { Modality: 'MR' })).toBe(false);
  });
});
