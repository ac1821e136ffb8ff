import { describe, expect, it } from 'vitest';
import { loadKernels } from './load-kernels';

describe('loadKernels (Node)', () => {
  it('reads the committed module once and shares the instance', async () => {
    const a = await loadKernels();
    const b = await loadKernels();
    expect(a).toBe(b);
    expect(await loadKernels({ fresh: true })).not.toBe(a);
    const out = a.gaussian(new Float32Array([0, 0, 1, 0, 0]), [5, 1, 1], [1, 1, 1], 1);
    expect(out[2]).toBeGreaterThan(out[1]);
    expect(a.memoryBytes).toBeGreaterThan(0);
  });

  it('fails clearly for a missing file', async () => {
    await expect(loadKernels({ path: '/nonexistent/k.wasm' })).rejects.toThrow(/ENOENT/);
  });
});
