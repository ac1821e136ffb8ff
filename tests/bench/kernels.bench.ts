/**
 * Kernel benchmark (`npm run bench:kernels`): each WASM kernel against its TypeScript reference in the same process,
 * on a 512×512×300 int16 CT-like phantom (Hessian and vesselness on 256³). Prints one JSON object: ms per kernel
 * (wasm warm = second call, wasm cold = first call incl. memory growth, ts = reference), ratio = ts / wasm warm, and
 * whether the outputs agree. `--quick` uses a 256×256×100 volume (harness check only). Single-threaded.
 */
import { loadKernels } from '../../wasm/node/load-kernels';
import type { Geometry, Vec3 } from '../../wasm/types';
import { gaussianReference } from '../../wasm/reference/gaussian';
import { connectedComponentsReference } from '../../wasm/reference/connected-components';
import { dilateReference, erodeReference, fillHolesReference } from '../../wasm/reference/morphology';
import { distanceTransformReference } from '../../wasm/reference/edt';
import { resampleReference } from '../../wasm/reference/resample';
import { regionGrowReference } from '../../wasm/reference/region-grow';
import { hessianEigenvaluesReference, vesselnessReference } from '../../wasm/reference/hessian';
import { geometryWithSpacing } from '../../wasm/geometry';
import { ctPhantom } from './kernels-phantom';

const quick = process.argv.includes('--quick');
const skipTs = process.argv.includes('--wasm-only');
const dims: Vec3 = quick ? [256, 256, 100] : [512, 512, 300];
const spacing: Vec3 = [0.7, 0.7, 1.0];
const small: Vec3 = quick ? [128, 128, 128] : [256, 256, 256];
const smallSpacing: Vec3 = [0.7, 0.7, 0.7];

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, Math.round(performance.now() - t0)];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) c++;
  return c;
}

interface Row {
  wasmColdMs: number;
  wasmMs: number;
  tsMs: number | null;
  ratio: number | null;
  agree: boolean | null;
  detail?: string;
}
const rows: Record<string, Row> = {};

function bench<W, T>(
  name: string,
  wasm: () => W,
  ts: (() => T) | null,
  agree: (w: W, t: T) => [boolean, string],
) {
  const [, cold] = time(wasm);
  const [w, warm] = time(wasm);
  let tsMs: number | null = null,
    ok: boolean | null = null,
    detail: string | undefined;
  if (ts && !skipTs) {
    const [t, ms] = time(ts);
    tsMs = ms;
    [ok, detail] = agree(w, t);
  }
  rows[name] = {
    wasmColdMs: cold,
    wasmMs: warm,
    tsMs,
    ratio: tsMs === null ? null : Math.round((tsMs / Math.max(warm, 1)) * 10) / 10,
    agree: ok,
    detail,
  };
  console.error(`${name}: ${JSON.stringify(rows[name])}`);
}

const k = await loadKernels();
const [ct, phantomMs] = time(() => ctPhantom(dims, spacing));
const mask = Uint8Array.from(ct, (v) => (v > 200 ? 1 : 0));
const geometry: Geometry = {
  dimensions: dims,
  spacing,
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};

bench(
  'gaussian',
  () => k.gaussian(ct, dims, spacing, 1.5),
  () => gaussianReference(ct, dims, spacing, 1.5),
  (w, t) => {
    const d = maxAbsDiff(w, t);
    return [d < 0.05, `max |Δ| ${d.toExponential(2)} HU`];
  },
);
bench(
  'connectedComponents26',
  () => k.connectedComponents(mask, dims, 26),
  () => connectedComponentsReference(mask, dims, 26),
  (w, t) => [w.count === t.count && countDiff(w.labels, t.labels) === 0, `${w.count} components`],
);
bench(
  'keepLargestComponent6',
  () => k.keepLargestComponents(mask, dims, { connectivity: 6 }),
  null,
  () => [true, ''],
);
const r = { mm: 1.5 };
bench(
  'dilate1.5mm',
  () => k.dilate(mask, dims, spacing, r),
  () => dilateReference(mask, dims, spacing, r),
  (w, t) => [countDiff(w, t) === 0, ''],
);
bench(
  'erode1.5mm',
  () => k.erode(mask, dims, spacing, r),
  () => erodeReference(mask, dims, spacing, r),
  (w, t) => [countDiff(w, t) === 0, ''],
);
bench(
  'close5mm',
  () => k.close(mask, dims, spacing, { mm: 5 }),
  null,
  () => [true, ''],
);
bench(
  'fillHoles3d',
  () => k.fillHoles(mask, dims),
  () => fillHolesReference(mask, dims, '3d'),
  (w, t) => [countDiff(w, t) === 0, ''],
);
bench(
  'fillHoles2d',
  () => k.fillHoles(mask, dims, { mode: '2d' }),
  () => fillHolesReference(mask, dims, '2d', 2),
  (w, t) => [countDiff(w, t) === 0, ''],
);
bench(
  'distanceTransform',
  () => k.distanceTransform(mask, dims, spacing),
  () => distanceTransformReference(mask, dims, spacing),
  (w, t) => {
    const d = maxAbsDiff(w, t);
    return [d < 1e-3, `max |Δ| ${d.toExponential(2)} mm`];
  },
);
const iso = geometryWithSpacing(geometry, [1, 1, 1]);
bench(
  'resampleLinear1mm',
  () => k.resample(ct, geometry, iso),
  () => resampleReference(ct, geometry, iso),
  (w, t) => {
    const d = maxAbsDiff(w, t);
    return [d < 1e-2, `max |Δ| ${d.toExponential(2)} HU`];
  },
);
bench(
  'resampleNearest1mm',
  () => k.resample(mask, geometry, iso, { interpolation: 'nearest' }),
  () => resampleReference(mask, geometry, iso, 'nearest'),
  (w, t) => [countDiff(w, t) === 0, ''],
);
const seed =
  Math.floor(dims[0] / 2) + dims[0] * (Math.floor(dims[1] / 2) + dims[1] * Math.floor(dims[2] / 2));
bench(
  'regionGrow',
  () => k.regionGrow(ct, dims, [seed], [-100, 200]),
  () => regionGrowReference(ct, dims, [seed], -100, 200),
  (w, t) => [countDiff(w, t) === 0, `${w.reduce((s, v) => s + v, 0)} voxels`],
);

const ct256 = ctPhantom(small, smallSpacing, 2);
bench(
  'hessianEigenvalues256',
  () => k.hessianEigenvalues(ct256, small, smallSpacing, 1.5),
  () => hessianEigenvaluesReference(ct256, small, smallSpacing, 1.5),
  (w, t) => {
    // Eigenvalues are ordered by magnitude; where |λ2| ≈ |λ3| with opposite signs, float32 (wasm) and float64 (TS)
    // rounding may order a tie differently. Compare each voxel's spectrum as a set (sorted by value), relative to
    // the largest |λ| as the parity test does (wasm/hessian.test.ts).
    let d = 0,
      scale = 0;
    const a = [0, 0, 0],
      b = [0, 0, 0];
    for (let i = 0; i < w.lambda1.length; i++) {
      a[0] = w.lambda1[i];
      a[1] = w.lambda2[i];
      a[2] = w.lambda3[i];
      b[0] = t.lambda1[i];
      b[1] = t.lambda2[i];
      b[2] = t.lambda3[i];
      a.sort((x, y) => x - y);
      b.sort((x, y) => x - y);
      for (let j = 0; j < 3; j++) {
        d = Math.max(d, Math.abs(a[j] - b[j]));
        scale = Math.max(scale, Math.abs(b[j]));
      }
    }
    return [d <= 1e-3 * scale, `max |Δλ| ${d.toExponential(2)} (max |λ| ${scale.toFixed(0)})`];
  },
);
const vopts = { sigmasMm: [1, 2, 3] };
bench(
  'vesselness256x3scales',
  () => k.vesselness(ct256, small, smallSpacing, vopts),
  () => vesselnessReference(ct256, small, smallSpacing, vopts),
  (w, t) => {
    const d = maxAbsDiff(w, t);
    return [d < 2e-3, `max |Δ| ${d.toExponential(2)}`];
  },
);

const g = rows.gaussian,
  c = rows.connectedComponents26,
  v = rows['vesselness256x3scales'];
console.log(
  JSON.stringify({
    bench: 'kernels',
    volume: { dims, spacing, type: 'int16', phantomMs, vesselnessDims: small },
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
    wasmMemoryBytes: k.memoryBytes,
    kernels: rows,
    targets: {
      gaussianRatioAtLeast5: g.ratio === null ? null : g.ratio >= 5,
      connectedComponentsRatioAtLeast5: c.ratio === null ? null : c.ratio >= 5,
      vesselness256Under10s: v.wasmMs < 10_000,
    },
  }),
);
