/*
 * Resampling to a new voxel grid. The bindings pass the 3x4 affine m (row-major, double) mapping an output voxel index
 * (i, j, k) to a continuous input index: x = m0 i + (m1 j + m2 k + m3), and likewise y, z (this evaluation order is
 * part of the contract, the TypeScript reference uses it too).
 * Trilinear: defined where the point lies inside [0, n-1] (+-1e-3 voxel) on every axis, else `fill`.
 * Nearest: input voxel round-half-up(x) when inside [0, n-1] on every axis, else `fill`; copies 1, 2 or 4 byte values.
 */
#include "qk.h"

#define QK_TOL 1e-3

QK_INLINE int axis_linear(double x, int n, int *i0, float *t) {
  if (!(x >= -QK_TOL && x <= (double)(n - 1) + QK_TOL)) return 0;
  if (n == 1) {
    *i0 = 0;
    *t = 0.0f;
    return 1;
  }
  if (x < 0.0) x = 0.0;
  if (x > (double)(n - 1)) x = (double)(n - 1);
  int f = (int)floor(x);
  if (f > n - 2) f = n - 2;
  *i0 = f;
  *t = (float)(x - f);
  return 1;
}

#define QK_LINEAR_BODY(T)                                                                                              \
  const size_t sy = (size_t)nx, sz = (size_t)nx * ny;                                                                  \
  const size_t dx = nx > 1 ? 1 : 0, dy = ny > 1 ? sy : 0, dz = nz > 1 ? sz : 0;                                        \
  const int rowAligned = m[4] == 0.0 && m[8] == 0.0;                                                                   \
  size_t o = 0;                                                                                                        \
  for (int k = 0; k < mz; k++)                                                                                         \
    for (int j = 0; j < my; j++) {                                                                                     \
      const double bx = m[1] * j + m[2] * k + m[3], by = m[5] * j + m[6] * k + m[7], bz = m[9] * j + m[10] * k + m[11]; \
      /* axis-aligned rows (m4 = m8 = 0): y and z are the same along the row, found once (see QK_NEAREST_BODY) */     \
      int ry0 = 0, rz0 = 0, rowIn = 1;                                                                                 \
      float rty = 0.0f, rtz = 0.0f;                                                                                    \
      if (rowAligned) rowIn = axis_linear(by, ny, &ry0, &rty) && axis_linear(bz, nz, &rz0, &rtz);                      \
      for (int i = 0; i < mx; i++, o++) {                                                                              \
        int x0, y0 = ry0, z0 = rz0;                                                                                    \
        float tx, ty = rty, tz = rtz;                                                                                  \
        if (!rowIn || !axis_linear(m[0] * i + bx, nx, &x0, &tx) ||                                                     \
            (!rowAligned && (!axis_linear(m[4] * i + by, ny, &y0, &ty) || !axis_linear(m[8] * i + bz, nz, &z0, &tz)))) { \
          out[o] = fill;                                                                                               \
          continue;                                                                                                    \
        }                                                                                                              \
        const T *p = in + (size_t)x0 + (size_t)y0 * sy + (size_t)z0 * sz;                                              \
        float c00 = (float)p[0] + tx * ((float)p[dx] - (float)p[0]);                                                   \
        float c10 = (float)p[dy] + tx * ((float)p[dy + dx] - (float)p[dy]);                                            \
        float c01 = (float)p[dz] + tx * ((float)p[dz + dx] - (float)p[dz]);                                            \
        float c11 = (float)p[dz + dy] + tx * ((float)p[dz + dy + dx] - (float)p[dz + dy]);                             \
        float c0 = c00 + ty * (c10 - c00), c1 = c01 + ty * (c11 - c01);                                                \
        out[o] = c0 + tz * (c1 - c0);                                                                                  \
      }                                                                                                                \
    }

/* Exported: trilinear resampling of float32 input to float32 output (mx * my * mz). */
QK_EXPORT(qk_resample_linear_f32)
void qk_resample_linear_f32(const float *in, int nx, int ny, int nz, float *out, int mx, int my, int mz,
                            const double *m, float fill) {
  QK_LINEAR_BODY(float)
}

/* Exported: trilinear resampling of int16 input to float32 output. */
QK_EXPORT(qk_resample_linear_i16)
void qk_resample_linear_i16(const int16_t *in, int nx, int ny, int nz, float *out, int mx, int my, int mz,
                            const double *m, float fill) {
  QK_LINEAR_BODY(int16_t)
}

QK_INLINE int axis_nearest(double x, int n, int *i) {
  double r = floor(x + 0.5);
  if (!(r >= 0.0 && r <= (double)(n - 1))) return 0;
  *i = (int)r;
  return 1;
}

/* Longest output row whose input x indices are tabulated on the stack (16 KB). */
#define QK_NEAREST_XS 4096

/* When the output row runs along input x only (m4 = m8 = 0: axis-aligned grids), y and z are the same for the whole
 * row (m4 i + by == by exactly) and are rounded once per row; x still per voxel, by the same expression. */
#define QK_NEAREST_BODY(T)                                                                                             \
  const T *in = (const T *)inp;                                                                                        \
  T *out = (T *)outp;                                                                                                  \
  const T fv = (T)fill;                                                                                                \
  const size_t sy = (size_t)nx, sz = (size_t)nx * ny;                                                                  \
  const int rowAligned = m[4] == 0.0 && m[8] == 0.0;                                                                   \
  /* x independent of the row too (m1 = m2 = 0): the input x of each output i is found once, into xs */               \
  int32_t xs[QK_NEAREST_XS];                                                                                           \
  const int xTable = rowAligned && m[1] == 0.0 && m[2] == 0.0 && mx <= QK_NEAREST_XS;                                 \
  if (xTable) {                                                                                                        \
    const double bx0 = m[1] * 0 + m[2] * 0 + m[3];                                                                     \
    for (int i = 0; i < mx; i++) {                                                                                     \
      int x;                                                                                                           \
      xs[i] = axis_nearest(m[0] * i + bx0, nx, &x) ? x : -1;                                                           \
    }                                                                                                                  \
  }                                                                                                                    \
  size_t o = 0;                                                                                                        \
  for (int k = 0; k < mz; k++)                                                                                         \
    for (int j = 0; j < my; j++) {                                                                                     \
      const double bx = m[1] * j + m[2] * k + m[3], by = m[5] * j + m[6] * k + m[7], bz = m[9] * j + m[10] * k + m[11]; \
      if (rowAligned) {                                                                                                \
        int y, z;                                                                                                      \
        if (!axis_nearest(by, ny, &y) || !axis_nearest(bz, nz, &z)) {                                                  \
          for (int i = 0; i < mx; i++) out[o + i] = fv;                                                                \
        } else if (xTable) {                                                                                           \
          const T *row = in + (size_t)y * sy + (size_t)z * sz;                                                         \
          for (int i = 0; i < mx; i++) out[o + i] = xs[i] >= 0 ? row[xs[i]] : fv;                                      \
        } else {                                                                                                       \
          const T *row = in + (size_t)y * sy + (size_t)z * sz;                                                         \
          for (int i = 0; i < mx; i++) {                                                                               \
            int x;                                                                                                     \
            out[o + i] = axis_nearest(m[0] * i + bx, nx, &x) ? row[x] : fv;                                            \
          }                                                                                                            \
        }                                                                                                              \
        o += (size_t)mx;                                                                                               \
        continue;                                                                                                      \
      }                                                                                                                \
      for (int i = 0; i < mx; i++, o++) {                                                                              \
        int x, y, z;                                                                                                   \
        if (!axis_nearest(m[0] * i + bx, nx, &x) || !axis_nearest(m[4] * i + by, ny, &y) ||                           \
            !axis_nearest(m[8] * i + bz, nz, &z)) {                                                                    \
          out[o] = fv;                                                                                                 \
          continue;                                                                                                    \
        }                                                                                                              \
        out[o] = in[(size_t)x + (size_t)y * sy + (size_t)z * sz];                                                      \
      }                                                                                                                \
    }

/* Exported: nearest-neighbour resampling of 1, 2 or 4 byte values (bytes); fill is the raw value (bit pattern). */
QK_EXPORT(qk_resample_nearest)
void qk_resample_nearest(const void *inp, int bytes, int nx, int ny, int nz, void *outp, int mx, int my, int mz,
                         const double *m, uint32_t fill) {
  if (bytes == 1) {
    QK_NEAREST_BODY(uint8_t)
  } else if (bytes == 2) {
    QK_NEAREST_BODY(uint16_t)
  } else {
    QK_NEAREST_BODY(uint32_t)
  }
}
