/*
 * Separable 3D Gaussian smoothing with WASM SIMD128.
 *
 * Kernel per axis: w[t] = exp(-t^2 / (2 sigma^2)) for |t| <= r = ceil(truncate * sigma), normalised to sum 1 (sigma in
 * voxels of that axis). Borders replicate the edge voxel (zero-flux Neumann, as ITK). All three passes run in place
 * on `out`; the y and z passes first copy one plane into scratch and then write weighted sums of its rows back.
 */
#include "qk.h"

#define QK_MAX_RADIUS 1024

static float g_w[QK_MAX_RADIUS + 1];

/* Fills g_w[0..r] for sigma (voxels); returns r, or -1 when the axis is skipped. */
static int weights(float sigma, float truncate) {
  if (!(sigma > 0.0f)) return -1;
  int r = (int)ceilf(truncate * sigma);
  if (r < 1) r = 1;
  if (r > QK_MAX_RADIUS) r = QK_MAX_RADIUS;
  double sum = 0.0;
  for (int t = 0; t <= r; t++) {
    double v = exp(-(double)t * t / (2.0 * (double)sigma * sigma));
    g_w[t] = (float)v;
    sum += t == 0 ? v : 2.0 * v;
  }
  for (int t = 0; t <= r; t++) g_w[t] = (float)(g_w[t] / sum);
  return r;
}

/* Scratch floats needed by qk_gaussian_impl. */
QK_EXPORT(qk_gaussian_scratch_floats)
int qk_gaussian_scratch_floats(int nx, int ny, int nz) {
  int plane = nx * qk_maxi(ny, nz);
  return plane + nx + 2 * QK_MAX_RADIUS + 16;
}

/* x pass: rows of nx, one padded line buffer. */
static void pass_x(const void *in, int type, float *out, int nx, int nrows, int r, float *line) {
  const float *w = g_w;
  for (int row = 0; row < nrows; row++) {
    size_t base = (size_t)row * nx;
    float *L = line + r;
    if (type == QK_I16) {
      const int16_t *s = (const int16_t *)in + base;
      int x = 0;
      for (; x + 8 <= nx; x += 8) {
        v128_t v = wasm_v128_load(s + x);
        wasm_v128_store(L + x, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_low_i16x8(v)));
        wasm_v128_store(L + x + 4, wasm_f32x4_convert_i32x4(wasm_i32x4_extend_high_i16x8(v)));
      }
      for (; x < nx; x++) L[x] = (float)s[x];
    } else {
      memcpy(L, (const float *)in + base, (size_t)nx * sizeof(float));
    }
    if (r <= 0) {
      memcpy(out + base, L, (size_t)nx * sizeof(float));
      continue;
    }
    for (int t = 1; t <= r; t++) {
      L[-t] = L[0];
      L[nx - 1 + t] = L[nx - 1];
    }
    float *o = out + base;
    const v128_t w0 = wasm_f32x4_splat(w[0]);
    int x = 0;
    for (; x + 8 <= nx; x += 8) {
      v128_t a0 = wasm_f32x4_mul(w0, wasm_v128_load(L + x));
      v128_t a1 = wasm_f32x4_mul(w0, wasm_v128_load(L + x + 4));
      for (int t = 1; t <= r; t++) {
        v128_t wt = wasm_f32x4_splat(w[t]);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(L + x - t), wasm_v128_load(L + x + t))));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(L + x + 4 - t), wasm_v128_load(L + x + 4 + t))));
      }
      wasm_v128_store(o + x, a0);
      wasm_v128_store(o + x + 4, a1);
    }
    for (; x < nx; x++) {
      float a = w[0] * L[x];
      for (int t = 1; t <= r; t++) a += w[t] * (L[x - t] + L[x + t]);
      o[x] = a;
    }
  }
}

/* Weighted sums of rows: dst row q = sum_t w[|t|] * src row clamp(q + t), rows of nx floats. */
static void pass_rows(const float *src, int nrows, int nx, float *dst, size_t dstride, int r) {
  const float *w = g_w;
  const int last = nrows - 1;
  for (int q = 0; q < nrows; q++) {
    const float *c = src + (size_t)q * nx;
    float *o = dst + (size_t)q * dstride;
    int x = 0;
    const v128_t w0 = wasm_f32x4_splat(w[0]);
    for (; x + 16 <= nx; x += 16) {
      v128_t a0 = wasm_f32x4_mul(w0, wasm_v128_load(c + x));
      v128_t a1 = wasm_f32x4_mul(w0, wasm_v128_load(c + x + 4));
      v128_t a2 = wasm_f32x4_mul(w0, wasm_v128_load(c + x + 8));
      v128_t a3 = wasm_f32x4_mul(w0, wasm_v128_load(c + x + 12));
      for (int t = 1; t <= r; t++) {
        const float *m = src + (size_t)qk_clampi(q - t, 0, last) * nx + x;
        const float *p = src + (size_t)qk_clampi(q + t, 0, last) * nx + x;
        v128_t wt = wasm_f32x4_splat(w[t]);
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(m), wasm_v128_load(p))));
        a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(m + 4), wasm_v128_load(p + 4))));
        a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(m + 8), wasm_v128_load(p + 8))));
        a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wt, wasm_f32x4_add(wasm_v128_load(m + 12), wasm_v128_load(p + 12))));
      }
      wasm_v128_store(o + x, a0);
      wasm_v128_store(o + x + 4, a1);
      wasm_v128_store(o + x + 8, a2);
      wasm_v128_store(o + x + 12, a3);
    }
    for (; x + 4 <= nx; x += 4) {
      v128_t a0 = wasm_f32x4_mul(w0, wasm_v128_load(c + x));
      for (int t = 1; t <= r; t++) {
        const float *m = src + (size_t)qk_clampi(q - t, 0, last) * nx + x;
        const float *p = src + (size_t)qk_clampi(q + t, 0, last) * nx + x;
        a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_f32x4_splat(w[t]), wasm_f32x4_add(wasm_v128_load(m), wasm_v128_load(p))));
      }
      wasm_v128_store(o + x, a0);
    }
    for (; x < nx; x++) {
      float a = w[0] * c[x];
      for (int t = 1; t <= r; t++)
        a += w[t] * (src[(size_t)qk_clampi(q - t, 0, last) * nx + x] + src[(size_t)qk_clampi(q + t, 0, last) * nx + x]);
      o[x] = a;
    }
  }
}

void qk_gaussian_impl(const void *in, int type, float *out, int nx, int ny, int nz, float sx, float sy, float sz,
                      float truncate, float *scratch) {
  const size_t plane = (size_t)nx * ny;
  float *line = scratch + (size_t)nx * qk_maxi(ny, nz);
  /* x pass (also converts int16 / copies float input into out). */
  int rx = weights(sx, truncate);
  pass_x(in, type, out, nx, ny * nz, rx, line);
  int ry = weights(sy, truncate);
  if (ry > 0 && ny > 1) {
    for (int z = 0; z < nz; z++) {
      float *s = out + (size_t)z * plane;
      memcpy(scratch, s, plane * sizeof(float));
      pass_rows(scratch, ny, nx, s, (size_t)nx, ry);
    }
  }
  int rz = weights(sz, truncate);
  if (rz > 0 && nz > 1) {
    for (int y = 0; y < ny; y++) {
      for (int z = 0; z < nz; z++) memcpy(scratch + (size_t)z * nx, out + (size_t)z * plane + (size_t)y * nx, (size_t)nx * sizeof(float));
      pass_rows(scratch, nz, nx, out + (size_t)y * nx, plane, rz);
    }
  }
}

/*
 * Exported: Gaussian smoothing. in: float32 or int16 volume (type QK_F32 / QK_I16); out: float32 (may alias a float32
 * input). sigma per axis in voxels; truncate in sigmas (radius = ceil(truncate * sigma), at most 1024).
 */
QK_EXPORT(qk_gaussian)
void qk_gaussian(const void *in, int type, float *out, int nx, int ny, int nz, float sx, float sy, float sz,
                 float truncate, float *scratch) {
  qk_gaussian_impl(in, type, out, nx, ny, nz, sx, sy, sz, truncate, scratch);
}
