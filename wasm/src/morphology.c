/*
 * Binary morphology with ellipsoidal structuring elements, computed exactly through the distance transform.
 *
 * Structuring element B = { offset d : sum_a (d_a * s_a)^2 <= 1 + QK_SE_EPS } where s_a = spacing_a / radius_a (radii in
 * mm) or 1 / radius_a (radii in voxels); the bindings pass s_a. An axis with radius 0 gets flag 0 (flat element).
 * Dilation: y is set iff some foreground voxel x has y - x in B  <=>  EDT^2 to the foreground at y <= 1 + eps.
 * Erosion:  y is kept iff no background voxel x has y - x in B  <=>  EDT^2 to the background at y > 1 + eps.
 * Voxels outside the volume are ignored (neither foreground for dilation nor background for erosion), so
 * closing never removes and opening never adds voxels. Cost is O(N) whatever the radius, on the foreground's
 * bounding box (grown by the element for dilation).
 * Small elements take a direct path instead (qk_morph_rows): the element as rows along x, tested against each voxel's
 * distance along x to the nearest site; cost O(N K) for K rows, with K * 16 voxels per SIMD compare.
 */
#include "qk.h"

#define QK_SE_EPS 1e-5f

/* Bounding box of the nonzero voxels: b = {x0, x1, y0, y1, z0, z1} (inclusive). Returns 0 when there is none. */
static int mask_bbox(const uint8_t *mask, int nx, int ny, int nz, int *b) {
  int x0 = nx, x1 = -1, y0 = ny, y1 = -1, z0 = nz, z1 = -1;
  for (int z = 0; z < nz; z++)
    for (int y = 0; y < ny; y++) {
      const uint8_t *m = mask + ((size_t)z * ny + y) * nx;
      int x = 0, lo = -1;
      for (; x + 16 <= nx && lo < 0; x += 16)
        if (wasm_v128_any_true(wasm_v128_load(m + x)))
          for (int t = x; t < x + 16; t++)
            if (m[t]) {
              lo = t;
              break;
            }
      for (; x < nx && lo < 0; x++)
        if (m[x]) lo = x;
      if (lo < 0) continue;
      int hi = nx - 1;
      while (!m[hi]) hi--;
      if (lo < x0) x0 = lo;
      if (hi > x1) x1 = hi;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      z1 = z;
    }
  b[0] = x0, b[1] = x1, b[2] = y0, b[3] = y1, b[4] = z0, b[5] = z1;
  return x1 >= 0;
}

/* Zeroes rows (y, z) of out outside [y0, y1] x [z0, z1] (the rows inside are written by the caller). */
static void zero_outside_rows(uint8_t *out, int nx, int ny, int nz, int y0, int y1, int z0, int z1) {
  const size_t plane = (size_t)nx * ny;
  for (int z = 0; z < nz; z++) {
    if (z < z0 || z > z1) {
      memset(out + (size_t)z * plane, 0, plane);
      continue;
    }
    if (y0 > 0) memset(out + (size_t)z * plane, 0, (size_t)y0 * nx);
    if (y1 < ny - 1) memset(out + (size_t)z * plane + (size_t)(y1 + 1) * nx, 0, (size_t)(ny - 1 - y1) * nx);
  }
}

/* Exported: op 0 = dilate, 1 = erode, through the distance transform on the part of the volume that can change:
 * the foreground's bounding box, grown by the element's extent (ex, ey, ez voxels) for dilation and by one voxel for
 * erosion (its background ring stands in for all background beyond: clamping a background voxel onto the ring moves
 * it no further from any voxel inside). Voxels outside that box are 0 in the result.
 * edt: float32 scratch of N; scratch: qk_edt_scratch_floats; box: uint8 scratch of N. out may equal mask. */
QK_EXPORT(qk_morph)
void qk_morph(const uint8_t *mask, uint8_t *out, int nx, int ny, int nz, float sx, float sy, float sz, int ax, int ay,
              int az, int op, int ex, int ey, int ez, float *edt, float *scratch, uint8_t *box) {
  const size_t n = (size_t)nx * ny * nz;
  const float lim = 1.0f + QK_SE_EPS;
  int b[6];
  if (!mask_bbox(mask, nx, ny, nz, b)) {
    memset(out, 0, n);
    return;
  }
  const int gx = op == 1 ? 1 : ex, gy = op == 1 ? 1 : ey, gz = op == 1 ? 1 : ez;
  const int x0 = qk_maxi(b[0] - gx, 0), x1 = qk_mini(b[1] + gx, nx - 1);
  const int y0 = qk_maxi(b[2] - gy, 0), y1 = qk_mini(b[3] + gy, ny - 1);
  const int z0 = qk_maxi(b[4] - gz, 0), z1 = qk_mini(b[5] + gz, nz - 1);
  const int bx = x1 - x0 + 1, by = y1 - y0 + 1, bz = z1 - z0 + 1;
  for (int z = 0; z < bz; z++)
    for (int y = 0; y < by; y++)
      memcpy(box + ((size_t)z * by + y) * bx, mask + ((size_t)(z + z0) * ny + (y + y0)) * nx + x0, (size_t)bx);
  qk_edt_sq_impl(box, op == 1, edt, bx, by, bz, sx, sy, sz, ax, ay, az, scratch);
  zero_outside_rows(out, nx, ny, nz, y0, y1, z0, z1);
  const v128_t vl = wasm_f32x4_splat(lim);
  const v128_t one = wasm_i32x4_splat(1);
  for (int z = 0; z < bz; z++)
    for (int y = 0; y < by; y++) {
      uint8_t *o = out + ((size_t)(z + z0) * ny + (y + y0)) * nx;
      const float *e = edt + ((size_t)z * by + y) * bx;
      memset(o, 0, (size_t)x0);
      memset(o + x1 + 1, 0, (size_t)(nx - 1 - x1));
      o += x0;
      int i = 0;
      for (; i + 16 <= bx; i += 16) {
        v128_t c[4];
        for (int k = 0; k < 4; k++) {
          v128_t v = wasm_v128_load(e + i + 4 * k);
          c[k] = wasm_v128_and(op == 1 ? wasm_f32x4_gt(v, vl) : wasm_f32x4_le(v, vl), one);
        }
        v128_t a = wasm_u16x8_narrow_i32x4(c[0], c[1]);
        v128_t d = wasm_u16x8_narrow_i32x4(c[2], c[3]);
        wasm_v128_store(o + i, wasm_u8x16_narrow_i16x8(a, d));
      }
      for (; i < bx; i++) o[i] = op == 1 ? (e[i] > lim) : (e[i] <= lim);
    }
}

/* Distance (in voxels, saturated at 255) along the row to the nearest site: m[x] != 0 when want, m[x] == 0 if not. */
static void row_distance(const uint8_t *m, int nx, int want, uint8_t *d) {
  int last = -1000;
  for (int x = 0; x < nx; x++) {
    if ((m[x] != 0) == want) last = x;
    int v = x - last;
    d[x] = (uint8_t)(v > 255 ? 255 : v);
  }
  last = nx + 1000;
  for (int x = nx - 1; x >= 0; x--) {
    if ((m[x] != 0) == want) last = x;
    int v = last - x;
    if (v < d[x]) d[x] = (uint8_t)v;
  }
}

/*
 * Exported: op 0 = dilate, 1 = erode, directly from the element's rows, for small elements. The element is given as
 * K rows: table[3k..3k+2] = (dy, dz, e), holding the offsets (dx, dy, dz) with |dx| <= e (0 <= e <= 254); the
 * element is symmetric. With d = distance along x to the nearest site (foreground for dilation, background for
 * erosion), voxel (x, y, z) is hit iff some row k has d(x, y + dy, z + dz) <= e_k (rows outside the volume are
 * skipped); dilation = hit, erosion = not hit. Only the foreground's bounding box rows are scanned: rows outside it
 * have no site (dilation) or are all sites (erosion).
 * dist: uint8 scratch of N; rows: int32 scratch of 2 K. out may equal mask.
 */
QK_EXPORT(qk_morph_rows)
void qk_morph_rows(const uint8_t *mask, uint8_t *out, int nx, int ny, int nz, int op, const int32_t *table, int K,
                   uint8_t *dist, int32_t *rows) {
  const size_t n = (size_t)nx * ny * nz;
  int b[6];
  if (!mask_bbox(mask, nx, ny, nz, b)) {
    memset(out, 0, n);
    return;
  }
  int ex = 0, ey = 0, ez = 0;
  for (int k = 0; k < K; k++) {
    ey = qk_maxi(ey, table[3 * k] < 0 ? -table[3 * k] : table[3 * k]);
    ez = qk_maxi(ez, table[3 * k + 1] < 0 ? -table[3 * k + 1] : table[3 * k + 1]);
    ex = qk_maxi(ex, table[3 * k + 2]);
  }
  const int fy0 = b[2], fy1 = b[3], fz0 = b[4], fz1 = b[5];
  for (int z = fz0; z <= fz1; z++)
    for (int y = fy0; y <= fy1; y++) {
      size_t r = ((size_t)z * ny + y) * nx;
      row_distance(mask + r, nx, op == 0, dist + r);
    }
  /* output rows and columns that can be nonzero */
  const int g = op == 0;
  const int x0 = g ? qk_maxi(b[0] - ex, 0) : b[0], x1 = g ? qk_mini(b[1] + ex, nx - 1) : b[1];
  const int y0 = g ? qk_maxi(fy0 - ey, 0) : fy0, y1 = g ? qk_mini(fy1 + ey, ny - 1) : fy1;
  const int z0 = g ? qk_maxi(fz0 - ez, 0) : fz0, z1 = g ? qk_mini(fz1 + ez, nz - 1) : fz1;
  zero_outside_rows(out, nx, ny, nz, y0, y1, z0, z1);
  int32_t *roff = rows, *rlim = rows + K;
  const v128_t one = wasm_i8x16_splat(1);
  for (int z = z0; z <= z1; z++)
    for (int y = y0; y <= y1; y++) {
      uint8_t *o = out + ((size_t)z * ny + y) * nx;
      /* the rows that count: inside the volume; dilation: inside the box (others hold no foreground); erosion: a
       * row inside the volume but outside the box is all background and hits every voxel. */
      int m = 0, all = 0;
      for (int k = 0; k < K && !all; k++) {
        int yy = y + table[3 * k], zz = z + table[3 * k + 1];
        if (yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
        if (yy < fy0 || yy > fy1 || zz < fz0 || zz > fz1) {
          if (!g) all = 1;
          continue;
        }
        roff[m] = (int32_t)(((size_t)zz * ny + yy) * nx);
        rlim[m] = table[3 * k + 2];
        m++;
      }
      if (all || m == 0) {
        /* erosion: every voxel hit (or, with no row at all, none: that cannot happen, the origin row is inside) */
        memset(o, 0, (size_t)nx);
        continue;
      }
      memset(o, 0, (size_t)x0);
      memset(o + x1 + 1, 0, (size_t)(nx - 1 - x1));
      int x = x0;
      for (; x + 16 <= x1 + 1; x += 16) {
        v128_t hit = wasm_i8x16_splat(0);
        for (int k = 0; k < m; k++)
          hit = wasm_v128_or(hit, wasm_u8x16_le(wasm_v128_load(dist + roff[k] + x), wasm_u8x16_splat((uint8_t)rlim[k])));
        wasm_v128_store(o + x, g ? wasm_v128_and(hit, one) : wasm_v128_andnot(one, hit));
      }
      for (; x <= x1; x++) {
        int hit = 0;
        for (int k = 0; k < m && !hit; k++) hit = dist[roff[k] + x] <= rlim[k];
        o[x] = (uint8_t)(g ? hit : !hit);
      }
    }
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
