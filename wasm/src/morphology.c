/*
 * Binary morphology with ellipsoidal structuring elements, computed exactly through the distance transform.
 *
 * Structuring element B = { offset d : sum_a (d_a * s_a)^2 <= 1 + QK_SE_EPS } where s_a = spacing_a / radius_a (radii in
 * mm) or 1 / radius_a (radii in voxels); the bindings pass s_a. An axis with radius 0 gets flag 0 (flat element).
 * Dilation: y is set iff some foreground voxel x has y - x in B  <=>  EDT^2 to the foreground at y <= 1 + eps.
 * Erosion:  y is kept iff no background voxel x has y - x in B  <=>  EDT^2 to the background at y > 1 + eps.
 * Voxels outside the volume are ignored (neither foreground for dilation nor background for erosion), so
 * closing never removes and opening never adds voxels. Cost is O(N) whatever the radius.
 */
#include "qk.h"

#define QK_SE_EPS 1e-5f

/* Exported: op 0 = dilate, 1 = erode. edt: float32 scratch of N; scratch: qk_edt_scratch_floats. out may equal mask. */
QK_EXPORT(qk_morph)
void qk_morph(const uint8_t *mask, uint8_t *out, int nx, int ny, int nz, float sx, float sy, float sz, int ax, int ay,
              int az, int op, float *edt, float *scratch) {
  const size_t n = (size_t)nx * ny * nz;
  const float lim = 1.0f + QK_SE_EPS;
  qk_edt_sq_impl(mask, op == 1, edt, nx, ny, nz, sx, sy, sz, ax, ay, az, scratch);
  const v128_t vl = wasm_f32x4_splat(lim);
  const v128_t one = wasm_i32x4_splat(1);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t c[4];
    for (int k = 0; k < 4; k++) {
      v128_t e = wasm_v128_load(edt + i + 4 * k);
      c[k] = wasm_v128_and(op == 1 ? wasm_f32x4_gt(e, vl) : wasm_f32x4_le(e, vl), one);
    }
    v128_t a = wasm_u16x8_narrow_i32x4(c[0], c[1]);
    v128_t b = wasm_u16x8_narrow_i32x4(c[2], c[3]);
    wasm_v128_store(out + i, wasm_u8x16_narrow_i16x8(a, b));
  }
  for (; i < n; i++) out[i] = op == 1 ? (edt[i] > lim) : (edt[i] <= lim);
}

/*
 * Exported: fill holes. mode 0 = 3D (background components, 6-connected, that do not touch the volume border are
 * filled); mode 1 = per slice of axis `axis` (0 = x, 1 = y, 2 = z), 4-connected in the slice, filling background
 * regions not touching the slice border. out: uint8 (0/1); queue: int32 scratch of N (3D) or one slice (2D).
 */
QK_EXPORT(qk_fill_holes)
void qk_fill_holes(const uint8_t *mask, uint8_t *out, int nx, int ny, int nz, int mode, int axis, int32_t *queue) {
  const size_t n = (size_t)nx * ny * nz;
  const size_t plane = (size_t)nx * ny;
  /* out: 1 = foreground, 0 = background not (yet) reached from the border, 2 = reached background. */
  for (size_t i = 0; i < n; i++) out[i] = mask[i] != 0;
  if (mode == 0) {
    size_t head = 0, tail = 0;
#define QK_SEED(idx)                                                                                                   \
  do {                                                                                                                 \
    size_t _i = (idx);                                                                                                 \
    if (out[_i] == 0) {                                                                                                \
      out[_i] = 2;                                                                                                     \
      queue[tail++] = (int32_t)_i;                                                                                     \
    }                                                                                                                  \
  } while (0)
    for (int z = 0; z < nz; z++)
      for (int y = 0; y < ny; y++) {
        size_t row = (size_t)z * plane + (size_t)y * nx;
        if (z == 0 || z == nz - 1 || y == 0 || y == ny - 1) {
          for (int x = 0; x < nx; x++) QK_SEED(row + x);
        } else {
          QK_SEED(row);
          QK_SEED(row + nx - 1);
        }
      }
    while (head < tail) {
      size_t i = (size_t)queue[head++];
      int x = (int)(i % nx), y = (int)((i / nx) % ny), z = (int)(i / plane);
      if (x > 0) QK_SEED(i - 1);
      if (x < nx - 1) QK_SEED(i + 1);
      if (y > 0) QK_SEED(i - nx);
      if (y < ny - 1) QK_SEED(i + nx);
      if (z > 0) QK_SEED(i - plane);
      if (z < nz - 1) QK_SEED(i + plane);
    }
  } else {
    /* slice axis a; in-plane axes u (fast) and v with strides su, sv; slice stride sa. */
    int nu, nv, na;
    size_t su, sv, sa;
    if (axis == 0) { nu = ny; nv = nz; na = nx; su = nx; sv = plane; sa = 1; }
    else if (axis == 1) { nu = nx; nv = nz; na = ny; su = 1; sv = plane; sa = nx; }
    else { nu = nx; nv = ny; na = nz; su = 1; sv = nx; sa = plane; }
    for (int a = 0; a < na; a++) {
      size_t base = (size_t)a * sa;
      size_t head = 0, tail = 0;
      /* queue holds in-slice indices u + nu * v */
#define QK_SEED2(u, v)                                                                                                 \
  do {                                                                                                                 \
    size_t _g = base + (size_t)(u) * su + (size_t)(v) * sv;                                                            \
    if (out[_g] == 0) {                                                                                                \
      out[_g] = 2;                                                                                                     \
      queue[tail++] = (int32_t)((u) + nu * (v));                                                                       \
    }                                                                                                                  \
  } while (0)
      for (int u = 0; u < nu; u++) {
        QK_SEED2(u, 0);
        QK_SEED2(u, nv - 1);
      }
      for (int v = 0; v < nv; v++) {
        QK_SEED2(0, v);
        QK_SEED2(nu - 1, v);
      }
      while (head < tail) {
        int q = queue[head++];
        int u = q % nu, v = q / nu;
        if (u > 0) QK_SEED2(u - 1, v);
        if (u < nu - 1) QK_SEED2(u + 1, v);
        if (v > 0) QK_SEED2(u, v - 1);
        if (v < nv - 1) QK_SEED2(u, v + 1);
      }
    }
  }
  for (size_t i = 0; i < n; i++) out[i] = out[i] != 2;
}
