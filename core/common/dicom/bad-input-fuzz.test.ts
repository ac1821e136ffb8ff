import { describe, expect, it } from 'vitest';
import { buildVolume } from './build-volume';
import { decodeFrame } from './decode-frame';
import { DicomReadError } from './dicom-read-error';
import { openDataSet } from './open-dataset';
import { parseInstance } from './parse-instance';
import { readAttributes } from './read-attributes';
import { ctSeriesFiles, type CtTransferSyntax } from '../../../tests/phantoms/ct-series';
import { ctEnhancedInstance } from '../../../tests/phantoms/ct-enhanced';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('bad input never crashes: mutated and truncated files give DicomReadError or a result', () => {
  const syntaxes: CtTransferSyntax[] = ['explicitLE', 'implicitLE', 'explicitBE', 'rle', 'jpegLS', 'htj2k'];
  it('300 mutations across transfer syntaxes and an enhanced multi-frame file', async () => {
    const originals: Uint8Array[] = [];
    for (const ts of syntaxes)
      originals.push((await ctSeriesFiles({ dims: [16, 16, 1], transferSyntax: ts }))[0].bytes);
    originals.push(ctEnhancedInstance({ dims: [8, 8, 3] }).bytes);
    const rand = rng(42);
    const outcomes = { ok: 0, error: 0 };
    const other: string[] = [];
    for (let n = 0; n < 300; n++) {
      const src = originals[n % originals.length];
      let b = src.slice();
      const mode = n % 3;
      if (mode === 0) b = b.slice(0, Math.floor(rand() * b.length));
      else {
        const flips = 1 + Math.floor(rand() * 8);
        for (let f = 0; f < flips; f++) {
          // bias towards the header where structure lives
          const at = Math.floor(rand() * (mode === 1 ? Math.min(b.length, 600) : b.length));
          b[at] = Math.floor(rand() * 256);
        }
      }
      const attempt = async () => {
        parseInstance(b, { kind: 'memory', id: `m${n}` });
        readAttributes(b);
        await decodeFrame(openDataSet(b), 0);
        await buildVolume([{ bytes: b }]);
      };
      try {
        await attempt();
        outcomes.ok++;
      } catch (e) {
        if (e instanceof DicomReadError) outcomes.error++;
        else other.push(`#${n}: ${String(e)}`);
      }
    }
    expect(other).toEqual([]);
    expect(outcomes.error).toBeGreaterThan(50);
  });
});
