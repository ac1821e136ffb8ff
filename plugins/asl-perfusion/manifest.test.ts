import { matchesInput, parseManifest } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import manifest from './manifest.json';
import { BS_CONVENTION_DEFAULT, MANIFEST_DEFAULTS } from './params';

describe('asl-perfusion manifest', () => {
  it('validates against the SDK schema and matches ASL but not CT series', () => {
    const r = parseManifest(manifest);
    expect(r.ok, r.ok ? '' : r.errors.join('; ')).toBe(true);
    if (!r.ok) return;
    const asl = r.manifest.inputs.find((i) => i.role === 'asl')!;
    expect(matchesInput(asl, { Modality: 'MR', SeriesDescription: 'pcasl_2d' })).toBe(true);
    expect(matchesInput(asl, { Modality: 'CT', SeriesDescription: 'pcasl' })).toBe(false);
    const keys = r.manifest.parameters.map((p) => p.key);
    for (const k of [
      'pld',
      'labelDuration',
      'labelingEfficiency',
      'bloodT1',
      'lambda',
      'bsConvention',
      'm0Scale',
    ])
      expect(keys).toContain(k);
  });
});

describe('asl-perfusion manifest defaults', () => {
  it('non-null defaults equal the plugin constants (hosts pass them in; the plugin reports them as default)', () => {
    const r = parseManifest(manifest);
    if (!r.ok) throw new Error(r.errors.join('; '));
    const defaults = Object.fromEntries(r.manifest.parameters.map((p) => [p.key, p.default]));
    for (const [k, v] of Object.entries(MANIFEST_DEFAULTS)) expect(defaults[k]).toBe(v);
    expect(defaults.bsConvention).toBe(BS_CONVENTION_DEFAULT);
    const numeric = r.manifest.parameters.filter((p) => p.type === 'number' && p.default !== null);
    expect(numeric.map((p) => p.key).sort()).toEqual(Object.keys(MANIFEST_DEFAULTS).sort());
  });
});
