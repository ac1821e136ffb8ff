/*
 * Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled
 * Functions", Theory of Computing 2012; separable like Saito & Toriwaki 1994), with anisotropic spacing.
 *
 * Result at each voxel: the squared distance (in the units of the spacing) to the nearest site voxel, where sites are
 * the mask's nonzero voxels (or its zero voxels when `invert`). INFINITY when there is no site. An axis whose flag
 * (ax/ay/az) is 0 is not propagated along: distances are then computed within lines/planes only, which is the same as
 * an infinite spacing on that axis (used by morphology for flat structuring elements).
 */
#include "qk.h"

/* Columns gathered at a time by the y and z passes (consecutive columns share cache lines). */
#define QK_EDT_BLOCK 16

/* Scratch floats needed by the EDT: (unused), d, z (n+1), v (n) for the longest axis, and QK_EDT_BLOCK gathered
 * columns. */
QK_EXPORT(qk_edt_scratch_floats)
int qk_edt_scratch_floats(int nx, int ny, int nz) {
  int n = qk_maxi(nx, qk_maxi(ny, nz));
  return (4 + QK_EDT_BLOCK) * n + 8;
}

/* 1D lower envelope of parabolas: d[p] = min_q f[q] + (s (p - q))^2, over q with finite f (f is only read). */
static void envelope(float *f, int n, float s2, float *d, float *zb, int *v) {
  int k = -1;
  for (int q = 0; q < n; q++) {
    float fq = f[q];
    if (fq == INFINITY) continue;
    float qq = fq + s2 * (float)q * (float)q;
    while (k >= 0) {
      int p = v[k];
      float sx = (qq - (f[p] + s2 * (float)p * (float)p)) / (2.0f * s2 * (float)(q - p));
      if (sx <= zb[k]) k--;
      else {
        k++;
        v[k] = q;
        zb[k] = sx;
        break;
      }
    }
    if (k < 0) {
      k = 0;
      v[0] = q;
      zb[0] = -INFINITY;
    }
  }
  if (k < 0) {
    for (int p = 0; p < n; p++) d[p] = INFINITY;
    return;
  }
  zb[k + 1] = INFINITY;
  int j = 0;
  for (int p = 0; p < n; p++) {
    while (zb[j + 1] < (float)p) j++;
    float dp = (float)(p - v[j]);
    d[p] = f[v[j]] + s2 * dp * dp;
  }
}

/* Envelope along `len` lines of stride `stride` for the `w` neighbouring columns starting at base. */
static void columns(float *base, int w, int len, size_t stride, float s2, float *cols, float *d, float *zb, int *v) {
  for (int t = 0; t < len; t++) {
    const float *row = base + (size_t)t * stride;
    for (int b = 0; b < w; b++) cols[(size_t)b * len + t] = row[b];
  }
  for (int b = 0; b < w; b++) {
    float *c = cols + (size_t)b * len;
    /* a column with no site stays INFINITY, one of sites only stays 0 (what the envelope gives for them) */
    int finite = 0, nonzero = 0;
    for (int t = 0; t < len && !(finite && nonzero); t++) {
      finite |= c[t] != INFINITY;
      nonzero |= c[t] != 0.0f;
    }
    if (!finite || !nonzero) continue;
    envelope(c, len, s2, d, zb, v);
    memcpy(c, d, (size_t)len * sizeof(float));
  }
  for (int t = 0; t < len; t++) {
    float *row = base + (size_t)t * stride;
    for (int b = 0; b < w; b++) row[b] = cols[(size_t)b * len + t];
  }
}

void qk_edt_sq_impl(const uint8_t *mask, int invert, float *out, int nx, int ny, int nz, float sx, float sy, float sz,
                    int ax, int ay, int az, float *scratch) {
  const size_t plane = (size_t)nx * ny;
  const int nmax = qk_maxi(nx, qk_maxi(ny, nz));
  float *d = scratch + nmax, *zb = scratch + 2 * nmax;
  int *v = (int *)(scratch + 3 * nmax + 4);
  const uint8_t want = invert ? 0 : 1;
  /* x: two scans per row on the binary input. */
  const float sx2 = sx * sx;
  for (size_t row = 0; row < (size_t)ny * nz; row++) {
    const uint8_t *m = mask + row * nx;
    float *o = out + row * nx;
    if (!ax) {
      for (int x = 0; x < nx; x++) o[x] = ((m[x] != 0) == want) ? 0.0f : INFINITY;
      continue;
    }
    int last = -1;
    for (int x = 0; x < nx; x++) {
      if ((m[x] != 0) == want) last = x;
      o[x] = last < 0 ? INFINITY : (float)(x - last);
    }
    last = -1;
    for (int x = nx - 1; x >= 0; x--) {
      if ((m[x] != 0) == want) last = x;
      if (last >= 0 && (float)(last - x) < o[x]) o[x] = (float)(last - x);
      if (o[x] != INFINITY) o[x] = o[x] * o[x] * sx2;
    }
  }
  /* y and z: per column, QK_EDT_BLOCK neighbouring columns gathered at a time (one contiguous run per line). */
  float *cols = scratch + 4 * nmax + 8;
  if (ay && ny > 1) {
    const float sy2 = sy * sy;
    for (int z = 0; z < nz; z++)
      for (int x0 = 0; x0 < nx; x0 += QK_EDT_BLOCK)
        columns(out + (size_t)z * plane + x0, qk_mini(QK_EDT_BLOCK, nx - x0), ny, (size_t)nx, sy2, cols, d, zb, v);
  }
  if (az && nz > 1) {
    const float sz2 = sz * sz;
    for (size_t p = 0; p < plane; p += QK_EDT_BLOCK)
      columns(out + p, (int)(plane - p < QK_EDT_BLOCK ? plane - p : QK_EDT_BLOCK), nz, plane, sz2, cols, d, zb, v);
  }
}

/*
 * Exported: distance transform of a uint8 mask. out: float32 distances to the nearest nonzero voxel (nonzero voxels
 * get 0), in the units of the spacing (mm). squared != 0 returns squared distances. No site at all: INFINITY.
 */
QK_EXPORT(qk_edt)
void qk_edt(const uint8_t *mask, float *out, int nx, int ny, int nz, float sx, float sy, float sz, int squared,
            float *scratch) {
  qk_edt_sq_impl(mask, 0, out, nx, ny, nz, sx, sy, sz, 1, 1, 1, scratch);
  if (!squared) {
    size_t n = (size_t)nx * ny * nz, i = 0;
    for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_sqrt(wasm_v128_load(out + i)));
    for (; i < n; i++) out[i] = sqrtf(out[i]);
  }
}
