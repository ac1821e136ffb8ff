import { matchesInput, parseManifest } from '@qiview/sdk';
import { describe, expect, it } from 'vitest';
import manifest from './manifest.json';

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
