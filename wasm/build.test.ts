import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const KERNELS_WASM_PATH = path.join(here, 'build', 'qiview-kernels.wasm');
const hasToolchain =
  spawnSync('clang', ['--version']).status === 0 && existsSync('/usr/lib/wasm32-wasi/libc.a');

describe('qiview-kernels.wasm', () => {
  it('exports every kernel and imports nothing', async () => {
    const mod = new WebAssembly.Module(readFileSync(KERNELS_WASM_PATH));
    expect(WebAssembly.Module.imports(mod)).toEqual([]);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const n of [
      'memory',
      '__heap_base',
      'qk_gaussian',
      'qk_cc_label',
      'qk_morph',
      'qk_fill_holes',
      'qk_frangi',
      'qk_edt',
      'qk_resample_nearest',
      'qk_region_grow',
    ]) {
      expect(names).toContain(n);
    }
  });

  it.skipIf(!hasToolchain)('rebuilds from wasm/src byte-for-byte identical to the committed file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'qk-build-'));
    try {
      const out = path.join(dir, 'k.wasm');
      const r = spawnSync('bash', [path.join(here, 'build.sh'), out], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(Buffer.compare(readFileSync(out), readFileSync(KERNELS_WASM_PATH))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
