/**
 * Typed bindings to the Qiview compute kernels (wasm/build/qiview-kernels.wasm, C + SIMD128, built by wasm/build.sh).
 *
 * Environment-neutral: give {@link createKernels} the module bytes (Node: wasm/node/load-kernels.ts reads the file;
 * browser: fetch it, e.g. through a Vite `?url` import). Create ONE instance and reuse it: its linear memory grows to
 * the largest job seen and is then reused (first touch of fresh memory is the slow part). The instance is
 * single-threaded and synchronous; run it in a worker to keep a UI responsive. Every function copies its inputs into
 * wasm memory and returns fresh typed arrays, so results stay valid across later calls.
 *
 * Limits: wasm32 memory is at most 4 GiB, which holds e.g. a 512×512×300 volume with every kernel's working buffers.
 *
 * @packageDocumentation
 */
import type { Kernels, LabelData, Connectivity, ScalarData, StructuringRadius, Vec3 } from './types';
import { checkConnectivity, checkData, checkSpacing, triple } from './validate';
import { indexToIndexAffine } from './geometry';
import { SE_EPS, structuringOffsets, structuringScale } from './reference/structuring-element';

export type * from './types';

type Ptr = number;
interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  qk_gaussian_scratch_floats(nx: number, ny: number, nz: number): number;
  qk_gaussian(...a: number[]): void;
  qk_edt_scratch_floats(nx: number, ny: number, nz: number): number;
  qk_edt(...a: number[]): void;
  qk_morph(...a: number[]): void;
  qk_morph_rows(...a: number[]): void;
  qk_fill_holes(...a: number[]): void;
  qk_cc_count_runs(mask: Ptr, nx: number, nrows: number): number;
  qk_cc_label(...a: number[]): number;
  qk_select_labels(labels: Ptr, keep: Ptr, out: Ptr, n: number): void;
  qk_nonzero_blocks(p: Ptr, bytes: number, block: number, flags: Ptr): number;
  qk_hessian_eigen(...a: number[]): void;
  qk_hessian_max_norm(...a: number[]): number;
  qk_frangi(...a: number[]): void;
  qk_resample_linear_f32(...a: number[]): void;
  qk_resample_linear_i16(...a: number[]): void;
  qk_resample_nearest(...a: number[]): void;
  qk_region_grow(...a: number[]): number;
}

const TYPE_F32 = 0;
const TYPE_I16 = 1;
const PAGE = 65536;
const MAX_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * Elements with at most this many rows along x (distinct (dy, dz)) take the direct morphology path (qk_morph_rows);
 * larger ones the distance transform (qk_morph). Measured on 512×512×300 at 0.7×0.7×1 mm: the direct path costs
 * about the same as the distance transform near this many rows.
 */
const MORPH_ROWS_MAX = 96;
/** Block size (bytes) for copying sparse results out. */
const SPARSE_BLOCK = 16384;

/** Bump allocator over the module memory, reset at the start of every call. */
class Arena {
  private top: number;
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly base: number,
  ) {
    this.top = base;
  }
  reset(): void {
    this.top = this.base;
  }
  alloc(bytes: number): Ptr {
    const p = Math.ceil(this.top / 16) * 16;
    const end = p + Math.max(0, bytes);
    if (end > MAX_BYTES) {
      throw new RangeError(
        `volume too large for the kernels' 4 GiB wasm memory (needs ${(end / 2 ** 30).toFixed(2)} GiB)`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return p;
  }
  /** Copies a typed array into fresh memory and returns its pointer. */
  put(a: ArrayBufferView): Ptr {
    const p = this.alloc(a.byteLength);
    new Uint8Array(this.memory.buffer, p, a.byteLength).set(
      new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    );
    return p;
  }
  f32(p: Ptr, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, p, n).slice();
  }
  u8(p: Ptr, n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, p, n).slice();
  }
  /**
   * Copies a mostly-zero result out: a fresh typed array is already zero, so only the blocks holding nonzero bytes
   * are copied (writing every page of a large fresh array costs far more than the kernels themselves).
   */
  sparse<
    T extends Uint8Array | Int8Array | Uint16Array | Int16Array | Int32Array | Uint32Array | Float32Array,
  >(
    ctor: { new (n: number): T; readonly BYTES_PER_ELEMENT: number },
    p: Ptr,
    n: number,
    nonzeroBlocks: (p: Ptr, bytes: number, block: number, flags: Ptr) => number,
  ): T {
    const bytes = n * ctor.BYTES_PER_ELEMENT;
    const nb = Math.ceil(bytes / SPARSE_BLOCK);
    const flagsPtr = this.alloc(nb);
    nonzeroBlocks(p, bytes, SPARSE_BLOCK, flagsPtr);
    const out = new ctor(n);
    const dst = new Uint8Array(out.buffer, out.byteOffset, bytes);
    const src = new Uint8Array(this.memory.buffer, p, bytes);
    const flags = new Uint8Array(this.memory.buffer, flagsPtr, nb);
    for (let b = 0; b < nb;) {
      if (!flags[b]) {
        b++;
        continue;
      }
      let e = b + 1;
      while (e < nb && flags[e]) e++;
      dst.set(src.subarray(b * SPARSE_BLOCK, Math.min(bytes, e * SPARSE_BLOCK)), b * SPARSE_BLOCK);
      b = e;
    }
    return out;
  }
}

function scalarType(data: ScalarData): number {
  if (data instanceof Float32Array) return TYPE_F32;
  if (data instanceof Int16Array) return TYPE_I16;
  throw new TypeError(`expected Float32Array or Int16Array, got ${Object.prototype.toString.call(data)}`);
}

function checkMask(mask: Uint8Array, dims: Vec3): number {
  if (!(mask instanceof Uint8Array)) throw new TypeError('mask must be a Uint8Array (nonzero = foreground)');
  return checkData(mask, dims, 'mask');
}

/**
 * Instantiates the kernels module. `wasmBytes`: the contents of wasm/build/qiview-kernels.wasm.
 * Throws if the runtime lacks WebAssembly SIMD (Node ≥ 16.4, Chromium ≥ 91 have it).
 */
export async function createKernels(wasmBytes: BufferSource): Promise<Kernels> {
  const { instance } = await WebAssembly.instantiate(wasmBytes, {});
  const x = instance.exports as unknown as Exports;
  const mem = x.memory;
  const arena = new Arena(mem, Number(x.__heap_base.value));

  /** Runs `fn` with a fresh arena. */
  const job = <T>(fn: () => T): T => {
    arena.reset();
    return fn();
  };

  function gaussianInto(
    dataPtr: Ptr,
    type: number,
    outPtr: Ptr,
    dims: Vec3,
    sp: Vec3,
    sigma: Vec3,
    truncate: number,
  ) {
    const scratch = arena.alloc(4 * x.qk_gaussian_scratch_floats(dims[0], dims[1], dims[2]));
    x.qk_gaussian(
      dataPtr,
      type,
      outPtr,
      dims[0],
      dims[1],
      dims[2],
      sigma[0] / sp[0],
      sigma[1] / sp[1],
      sigma[2] / sp[2],
      truncate,
      scratch,
    );
  }

  function checkTruncate(t: number | undefined): number {
    const v = t ?? 3;
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`truncate must be > 0, got ${t}`);
    return v;
  }

  function labelCC(
    maskPtr: Ptr,
    dims: Vec3,
    connectivity: Connectivity,
  ): { labels: Ptr; sizes: Ptr; count: number } {
    const nrows = dims[1] * dims[2];
    const runs = x.qk_cc_count_runs(maskPtr, dims[0], nrows);
    const labels = arena.alloc(4 * dims[0] * nrows);
    const sizes = arena.alloc(4 * (runs + 1));
    const rs = arena.alloc(4 * runs);
    const re = arena.alloc(4 * runs);
    const parent = arena.alloc(4 * runs);
    const rowStart = arena.alloc(4 * (nrows + 1));
    const count = x.qk_cc_label(
      maskPtr,
      labels,
      sizes,
      dims[0],
      dims[1],
      dims[2],
      connectivity,
      rs,
      re,
      parent,
      rowStart,
    );
    return { labels, sizes, count };
  }

  /** Keeps the labels for which keepFn(label, size) is true; returns the mask. */
  function selectComponents(
    mask: Uint8Array,
    dims: Vec3,
    connectivity: Connectivity,
    pick: (sizes: Uint32Array, count: number) => Uint8Array,
  ) {
    const n = checkMask(mask, dims);
    return job(() => {
      const maskPtr = arena.put(mask);
      const cc = labelCC(maskPtr, dims, checkConnectivity(connectivity));
      const sizes = new Uint32Array(mem.buffer, cc.sizes, cc.count + 1).slice();
      const keepPtr = arena.put(pick(sizes, cc.count));
      const out = arena.alloc(n);
      x.qk_select_labels(cc.labels, keepPtr, out, n);
      return arena.sparse(Uint8Array, out, n, x.qk_nonzero_blocks);
    });
  }

  /**
   * The element as rows along x: (dy, dz, e) holding the offsets with |dx| <= e, from the same offset list as the
   * reference (the element is convex and symmetric, so each row is one centred run).
   */
  function elementRows(scale: Vec3): Int32Array {
    const rows = new Map<string, [number, number, number]>();
    for (const [dx, dy, dz] of structuringOffsets(scale)) {
      const key = `${dy},${dz}`;
      const r = rows.get(key);
      if (!r) rows.set(key, [dy, dz, Math.abs(dx)]);
      else r[2] = Math.max(r[2], Math.abs(dx));
    }
    return Int32Array.from([...rows.values()].flat());
  }

  function morph(
    mask: Uint8Array,
    dims: Vec3,
    spacing: Vec3,
    radius: StructuringRadius,
    ops: Array<0 | 1>,
  ): Uint8Array {
    const n = checkMask(mask, dims);
    const scale = structuringScale(radius, spacing);
    const active = scale.map((s) => (Number.isFinite(s) ? 1 : 0));
    const s = scale.map((v) => (Number.isFinite(v) ? v : 1));
    // the element's extent in voxels per axis (as in structuringOffsets)
    const ext = scale.map((v) => (Number.isFinite(v) ? Math.floor(Math.sqrt(1 + SE_EPS) / v) : 0));
    const rowCount = (2 * ext[1] + 1) * (2 * ext[2] + 1);
    const rowsTable = rowCount <= 4 * MORPH_ROWS_MAX && ext[0] <= 254 ? elementRows(scale) : null;
    const direct = rowsTable && rowsTable.length / 3 <= MORPH_ROWS_MAX ? rowsTable : null;
    return job(() => {
      const buf = arena.put(mask);
      if (direct) {
        const tablePtr = arena.put(direct);
        const rows = arena.alloc(4 * 2 * (direct.length / 3));
        const dist = arena.alloc(n);
        for (const op of ops) {
          x.qk_morph_rows(buf, buf, dims[0], dims[1], dims[2], op, tablePtr, direct.length / 3, dist, rows);
        }
        return arena.sparse(Uint8Array, buf, n, x.qk_nonzero_blocks);
      }
      const edt = arena.alloc(4 * n);
      const scratch = arena.alloc(4 * x.qk_edt_scratch_floats(dims[0], dims[1], dims[2]));
      const box = arena.alloc(n);
      for (const op of ops) {
        x.qk_morph(
          buf,
          buf,
          dims[0],
          dims[1],
          dims[2],
          s[0],
          s[1],
          s[2],
          active[0],
          active[1],
          active[2],
          op,
          ext[0],
          ext[1],
          ext[2],
          edt,
          scratch,
          box,
        );
      }
      return arena.sparse(Uint8Array, buf, n, x.qk_nonzero_blocks);
    });
  }

  const kernels: Kernels = {
    gaussian(data, dims, spacing, sigmaMm, options) {
      const n = checkData(data, dims);
      const type = scalarType(data);
      const sp = checkSpacing(spacing);
      const sigma = triple(sigmaMm, 'sigmaMm');
      const truncate = checkTruncate(options?.truncate);
      return job(() => {
        const inPtr = arena.put(data);
        const outPtr = type === TYPE_F32 ? inPtr : arena.alloc(4 * n);
        gaussianInto(inPtr, type, outPtr, dims, sp, sigma, truncate);
        return arena.f32(outPtr, n);
      });
    },

    connectedComponents(mask, dims, connectivity = 26) {
      const n = checkMask(mask, dims);
      const conn = checkConnectivity(connectivity);
      return job(() => {
        const maskPtr = arena.put(mask);
        const cc = labelCC(maskPtr, dims, conn);
        return {
          labels: arena.sparse(Int32Array, cc.labels, n, x.qk_nonzero_blocks),
          count: cc.count,
          sizes: new Uint32Array(mem.buffer, cc.sizes, cc.count + 1).slice(),
        };
      });
    },

    keepLargestComponents(mask, dims, options) {
      const keep = options?.keep ?? 1;
      if (!(Number.isInteger(keep) && keep >= 0))
        throw new RangeError(`keep must be an integer >= 0, got ${keep}`);
      return selectComponents(mask, dims, options?.connectivity ?? 26, (sizes, count) => {
        const order = Array.from({ length: count }, (_, i) => i + 1).sort(
          (a, b) => sizes[b] - sizes[a] || a - b,
        );
        const table = new Uint8Array(count + 1);
        for (const l of order.slice(0, keep)) table[l] = 1;
        return table;
      });
    },

    removeSmallComponents(mask, dims, minVoxels, connectivity = 26) {
      if (!(Number.isFinite(minVoxels) && minVoxels >= 0))
        throw new RangeError(`minVoxels must be >= 0, got ${minVoxels}`);
      return selectComponents(mask, dims, connectivity, (sizes, count) => {
        const table = new Uint8Array(count + 1);
        for (let l = 1; l <= count; l++) table[l] = sizes[l] >= minVoxels ? 1 : 0;
        return table;
      });
    },

    dilate: (mask, dims, spacing, radius) => morph(mask, dims, spacing, radius, [0]),
    erode: (mask, dims, spacing, radius) => morph(mask, dims, spacing, radius, [1]),
    open: (mask, dims, spacing, radius) => morph(mask, dims, spacing, radius, [1, 0]),
    close: (mask, dims, spacing, radius) => morph(mask, dims, spacing, radius, [0, 1]),

    fillHoles(mask, dims, options) {
      const n = checkMask(mask, dims);
      const mode = options?.mode ?? '3d';
      const axis = options?.axis ?? 2;
      if (mode !== '3d' && mode !== '2d') throw new RangeError(`mode must be '3d' or '2d', got ${mode}`);
      if (axis !== 0 && axis !== 1 && axis !== 2) throw new RangeError(`axis must be 0, 1 or 2, got ${axis}`);
      return job(() => {
        const maskPtr = arena.put(mask);
        const out = arena.alloc(n);
        const queueLen = mode === '3d' ? n : n / dims[axis];
        const queue = arena.alloc(4 * queueLen);
        x.qk_fill_holes(maskPtr, out, dims[0], dims[1], dims[2], mode === '3d' ? 0 : 1, axis, queue);
        return arena.sparse(Uint8Array, out, n, x.qk_nonzero_blocks);
      });
    },

    hessianEigenvalues(data, dims, spacing, sigmaMm, options) {
      const n = checkData(data, dims);
      const type = scalarType(data);
      const sp = checkSpacing(spacing);
      if (!(Number.isFinite(sigmaMm) && sigmaMm > 0))
        throw new RangeError(`sigmaMm must be > 0, got ${sigmaMm}`);
      const truncate = checkTruncate(options?.truncate);
      const s2 = options?.normalize === false ? 1 : sigmaMm * sigmaMm;
      return job(() => {
        const inPtr = arena.put(data);
        const f = type === TYPE_F32 ? inPtr : arena.alloc(4 * n);
        gaussianInto(inPtr, type, f, dims, sp, [sigmaMm, sigmaMm, sigmaMm], truncate);
        const l1 = arena.alloc(4 * n),
          l2 = arena.alloc(4 * n),
          l3 = arena.alloc(4 * n);
        x.qk_hessian_eigen(f, dims[0], dims[1], dims[2], sp[0], sp[1], sp[2], s2, l1, l2, l3);
        return { lambda1: arena.f32(l1, n), lambda2: arena.f32(l2, n), lambda3: arena.f32(l3, n) };
      });
    },

    vesselness(data, dims, spacing, options) {
      const n = checkData(data, dims);
      const type = scalarType(data);
      const sp = checkSpacing(spacing);
      const sigmas = options?.sigmasMm;
      if (
        !Array.isArray(sigmas) ||
        sigmas.length === 0 ||
        !sigmas.every((s) => Number.isFinite(s) && s > 0)
      ) {
        throw new RangeError(
          `sigmasMm must be a non-empty list of positive scales (mm), got ${JSON.stringify(sigmas)}`,
        );
      }
      const alpha = options.alpha ?? 0.5,
        beta = options.beta ?? 0.5;
      for (const [k, v] of [
        ['alpha', alpha],
        ['beta', beta],
        ['c', options.c ?? 1],
      ] as const) {
        if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${k} must be > 0, got ${v}`);
      }
      const truncate = checkTruncate(options.truncate);
      return job(() => {
        const inPtr = arena.put(data);
        const f = arena.alloc(4 * n);
        const out = arena.alloc(4 * n);
        sigmas.forEach((sigma, k) => {
          const s2 = sigma * sigma;
          gaussianInto(inPtr, type, f, dims, sp, [sigma, sigma, sigma], truncate);
          let c = options.c;
          if (c === undefined) {
            const maxNorm = x.qk_hessian_max_norm(f, dims[0], dims[1], dims[2], sp[0], sp[1], sp[2], s2);
            c = maxNorm > 0 ? 0.5 * maxNorm : 1;
          }
          x.qk_frangi(
            f,
            dims[0],
            dims[1],
            dims[2],
            sp[0],
            sp[1],
            sp[2],
            s2,
            alpha,
            beta,
            c,
            out,
            k === 0 ? 1 : 0,
          );
        });
        return arena.f32(out, n);
      });
    },

    resample(data, from, to, options) {
      checkData(data, from.dimensions);
      const interpolation = options?.interpolation ?? 'linear';
      const fill = options?.fill ?? 0;
      const m = indexToIndexAffine(from, to);
      const [nx, ny, nz] = from.dimensions;
      const [mx, my, mz] = to.dimensions;
      const nOut = mx * my * mz;
      return job(() => {
        const inPtr = arena.put(data);
        const mPtr = arena.put(m);
        if (interpolation === 'linear') {
          const type = scalarType(data as unknown as ScalarData);
          const out = arena.alloc(4 * nOut);
          const fn = type === TYPE_F32 ? x.qk_resample_linear_f32 : x.qk_resample_linear_i16;
          fn(inPtr, nx, ny, nz, out, mx, my, mz, mPtr, fill);
          return arena.f32(out, nOut) as never;
        }
        if (interpolation !== 'nearest') throw new RangeError(`interpolation must be 'linear' or 'nearest'`);
        const bytes = data.BYTES_PER_ELEMENT;
        if (bytes !== 1 && bytes !== 2 && bytes !== 4)
          throw new TypeError(`nearest resampling needs 1, 2 or 4 byte values`);
        const Ctor = data.constructor as {
          new (n: number): LabelData;
          new (buffer: ArrayBufferLike, offset: number, length: number): LabelData;
        };
        const one = new Ctor(1);
        one[0] = fill;
        const raw = new Uint8Array(one.buffer, 0, bytes);
        let fillBits = 0;
        for (let b = bytes - 1; b >= 0; b--) fillBits = fillBits * 256 + raw[b];
        const out = arena.alloc(bytes * nOut);
        x.qk_resample_nearest(inPtr, bytes, nx, ny, nz, out, mx, my, mz, mPtr, fillBits);
        // labels are mostly 0: with a zero fill, copy out only the blocks holding nonzero bytes
        if (fillBits === 0) {
          const sparseCtor = data.constructor as {
            new (n: number): LabelData;
            readonly BYTES_PER_ELEMENT: number;
          };
          return arena.sparse(sparseCtor, out, nOut, x.qk_nonzero_blocks) as never;
        }
        return new Ctor(mem.buffer, out, nOut).slice() as never;
      }) as never;
    },

    regionGrow(data, dims, seeds, range) {
      const n = checkData(data, dims);
      const type = scalarType(data);
      if (
        !Array.isArray(range) ||
        range.length !== 2 ||
        !range.every(Number.isFinite) ||
        range[0] > range[1]
      ) {
        throw new RangeError(`range must be [lo, hi] with lo <= hi, got ${JSON.stringify(range)}`);
      }
      const idx = new Int32Array(seeds.length);
      seeds.forEach((s, k) => {
        if (typeof s === 'number') {
          if (!Number.isInteger(s) || s < 0 || s >= n)
            throw new RangeError(`seed index ${s} is outside the volume`);
          idx[k] = s;
        } else {
          const [i, j, kk] = s;
          if (
            ![i, j, kk].every(Number.isInteger) ||
            i < 0 ||
            j < 0 ||
            kk < 0 ||
            i >= dims[0] ||
            j >= dims[1] ||
            kk >= dims[2]
          ) {
            throw new RangeError(`seed ${JSON.stringify(s)} is outside the volume ${dims.join('×')}`);
          }
          idx[k] = i + dims[0] * (j + dims[1] * kk);
        }
      });
      return job(() => {
        const inPtr = arena.put(data);
        const seedPtr = arena.put(idx);
        const out = arena.alloc(n);
        const queue = arena.alloc(4 * n);
        x.qk_region_grow(
          inPtr,
          type,
          out,
          dims[0],
          dims[1],
          dims[2],
          seedPtr,
          idx.length,
          range[0],
          range[1],
          queue,
        );
        return arena.sparse(Uint8Array, out, n, x.qk_nonzero_blocks);
      });
    },

    distanceTransform(mask, dims, spacing, options) {
      const n = checkMask(mask, dims);
      const sp = checkSpacing(spacing);
      return job(() => {
        const maskPtr = arena.put(mask);
        const out = arena.alloc(4 * n);
        const scratch = arena.alloc(4 * x.qk_edt_scratch_floats(dims[0], dims[1], dims[2]));
        x.qk_edt(
          maskPtr,
          out,
          dims[0],
          dims[1],
          dims[2],
          sp[0],
          sp[1],
          sp[2],
          options?.squared ? 1 : 0,
          scratch,
        );
        return arena.f32(out, n);
      });
    },

    get memoryBytes() {
      return mem.buffer.byteLength;
    },
  };
  return kernels;
}
