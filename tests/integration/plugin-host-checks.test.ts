import { describe, expect, it } from 'vitest';
import { parseManifest, type AnalysisResult, type Geometry, type Manifest } from '@qiview/sdk';
import manifestJson from '../../plugins/example/manifest.json';
import aslJson from '../../plugins/asl-perfusion/manifest.json';
import lungJson from '../../plugins/lung-fibrosis/manifest.json';
import { resolveParameters } from '../../core/common/plugin-host/parameters';
import { selectSeries, type SeriesCandidate } from '../../core/common/plugin-host/select-series';
import { validateResult } from '../../core/common/plugin-host/validate-result';

const manifest = (json: unknown): Manifest => {
  const r = parseManifest(json);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.manifest;
};
const ct = (id: string, slices: number, extra: Record<string, unknown> = {}): SeriesCandidate => ({
  id,
  attributes: { Modality: 'CT', ...extra },
  slices,
  frames: 1,
});

describe('selectSeries', () => {
  it('fills required and optional roles with distinct series, skipping too-short ones', () => {
    const m = manifest(lungJson);
    const r = selectSeries(m, [
      ct('scout', 1),
      ct('a', 120),
      { ...ct('mr', 50), attributes: { Modality: 'MR' } },
      ct('b', 80),
    ]);
    expect(r).toEqual({ ok: true, roles: { ct: 'a', prior: 'b' }, notes: [] });
  });
  it('explains a missing required input per candidate', () => {
    const r = selectSeries(manifest(manifestJson), [
      ct('loc', 1),
      { ...ct('mr', 50), attributes: { Modality: 'MR' } },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/required input "ct" is missing/);
    expect(r.errors[0]).toMatch(/loc: 1 slice\(s\), needs at least 3/);
    expect(r.errors[0]).toMatch(/mr: attribute rules do not match/);
  });
  it('honours multiFrame', () => {
    const m = {
      inputs: [
        { role: 'asl', required: true, rules: [{ attribute: 'Modality', equals: ['MR'] }], multiFrame: true },
      ],
    };
    const mr = { id: 'x', attributes: { Modality: 'MR' }, slices: 20, frames: 1 };
    expect(selectSeries(m, [mr]).ok).toBe(false);
    expect(selectSeries(m, [{ ...mr, frames: 60 }])).toMatchObject({ ok: true, roles: { asl: 'x' } });
  });
});

describe('resolveParameters', () => {
  const m = manifest(manifestJson);
  it('fills defaults and converts CLI strings', () => {
    expect(resolveParameters(m, { lowerHu: '150' })).toEqual({
      ok: true,
      parameters: { lowerHu: 150, upperHu: 400, binWidthHu: 10 },
    });
  });
  it('refuses unknown keys, non-numbers and out-of-range values', () => {
    const r = resolveParameters(m, { nope: 1, lowerHu: 'abc', upperHu: 5000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toHaveLength(3);
  });
  it('null stays "not set" for null-default numbers, so resolved parameters validate again (batch → worker)', () => {
    const asl = manifest(aslJson);
    const once = resolveParameters(asl, { pld: '1.8' });
    expect(once.ok).toBe(true);
    if (!once.ok) return;
    expect(once.parameters.labelDuration).toBeNull();
    expect(resolveParameters(asl, once.parameters)).toEqual(once);
    // a null-default number given a non-number is still refused, and null where the default is a number too
    expect(resolveParameters(asl, { pld: 'abc' }).ok).toBe(false);
    expect(resolveParameters(asl, { lambda: null }).ok).toBe(false);
  });
});

describe('validateResult', () => {
  const g: Geometry = {
    dimensions: [2, 2, 2],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  };
  const good: AnalysisResult = {
    labelmaps: [
      {
        id: 'l',
        name: 'l',
        geometry: g,
        data: new Uint8Array(8),
        segments: [{ label: 1, name: 's', color: [1, 2, 3] }],
      },
    ],
    maps: [],
    measurements: [{ key: 'a', name: 'a', value: 1, unit: '1' }],
    findings: [],
  };
  it('accepts a valid result', () => expect(validateResult(good)).toEqual([]));
  it('refuses wrong labelmap sizes and non-finite numbers', () => {
    const bad = {
      ...good,
      labelmaps: [{ ...good.labelmaps[0]!, data: new Uint8Array(7) }],
      measurements: [{ key: 'a', name: 'a', value: NaN, unit: '1' }],
    };
    const p = validateResult(bad);
    expect(p).toHaveLength(2);
    expect(p[0]).toMatch(/7 labels for a 2×2×2 grid \(8 voxels\)/);
    expect(p[1]).toMatch(/value NaN is not a finite number/);
  });
  it('refuses a non-object', () => expect(validateResult(undefined)).toEqual(['result is not an object']));
  it('checks registrations (SDK 0.1.1): known, different roles, 12 finite numbers, invertible A', () => {
    const matrix = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 30];
    const reg = { fixedRole: 'ct', movingRole: 'prior', matrix, method: 'elastix rigid (itk-wasm)' };
    expect(validateResult({ ...good, registrations: [reg] }, ['ct', 'prior'])).toEqual([]);
    expect(validateResult({ ...good, registrations: [reg] })).toEqual([]);
    const p = validateResult(
      {
        ...good,
        registrations: [
          { ...reg, movingRole: 'mri' },
          { ...reg, matrix: [...matrix.slice(0, 11), Infinity] },
          { ...reg, matrix: matrix.slice(0, 9) },
          { ...reg, matrix: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1] },
          { ...reg, movingRole: 'ct' },
        ],
      },
      ['ct', 'prior'],
    );
    expect(p).toEqual([
      'registrations[0]: movingRole "mri" is not an input role (ct, prior)',
      'registrations[1]: matrix has non-finite entries',
      'registrations[2]: matrix must be 12 numbers ([A | b], 3 × 4 row-major)',
      'registrations[3]: matrix has a singular A (det ≈ 0)',
      'registrations[4]: fixedRole and movingRole are the same',
    ]);
    expect(validateResult({ ...good, registrations: 'x' })).toEqual(['registrations must be an array']);
  });
});
