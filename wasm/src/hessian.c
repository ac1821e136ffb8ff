/*
 * Hessian eigenvalues and Frangi vesselness (Frangi et al., "Multiscale vessel enhancement filtering", MICCAI 1998).
 *
 * At scale sigma (mm) the input is smoothed with a Gaussian (gaussian.c), then second derivatives are taken with
 * central differences in mm (clamped borders) and scale-normalised by sigma^2. Eigenvalues of the symmetric 3x3
 * Hessian are computed in double precision with the trigonometric closed form (Smith, CACM 1961) and sorted by
 * magnitude: |l1| <= |l2| <= |l3|.
 * Vesselness (bright tubes on a dark background): V = 0 if l2 > 0 or l3 > 0, otherwise
 *   (1 - exp(-Ra^2 / 2a^2)) exp(-Rb^2 / 2b^2) (1 - exp(-S^2 / 2c^2)),
 *   Ra = |l2|/|l3|, Rb = |l1|/sqrt(|l2 l3|), S = sqrt(l1^2 + l2^2 + l3^2); multiscale result = max over scales.
 */
#include "qk.h"

#define QK_PI 3.14159265358979323846

typedef struct {
  double xx, yy, zz, xy, xz, yz;
} hess_t;

QK_INLINE void hessian_at(const float *f, int x, int y, int z, int nx, int ny, int nz, double ix2, double iy2,
                          double iz2, double ixy, double ixz, double iyz, double s2, hess_t *h) {
  const size_t sy = (size_t)nx, sz = (size_t)nx * ny;
  const size_t xm = (size_t)(x > 0 ? x - 1 : 0), xp = (size_t)(x < nx - 1 ? x + 1 : nx - 1);
  const size_t ym = (size_t)(y > 0 ? y - 1 : 0) * sy, yp = (size_t)(y < ny - 1 ? y + 1 : ny - 1) * sy;
  const size_t zm = (size_t)(z > 0 ? z - 1 : 0) * sz, zp = (size_t)(z < nz - 1 ? z + 1 : nz - 1) * sz;
  const size_t xc = (size_t)x, yc = (size_t)y * sy, zc = (size_t)z * sz;
  const double c2 = 2.0 * f[xc + yc + zc];
  h->xx = (f[xp + yc + zc] + f[xm + yc + zc] - c2) * ix2 * s2;
  h->yy = (f[xc + yp + zc] + f[xc + ym + zc] - c2) * iy2 * s2;
  h->zz = (f[xc + yc + zp] + f[xc + yc + zm] - c2) * iz2 * s2;
  h->xy = ((double)f[xp + yp + zc] - f[xp + ym + zc] - f[xm + yp + zc] + f[xm + ym + zc]) * ixy * s2;
  h->xz = ((double)f[xp + yc + zp] - f[xp + yc + zm] - f[xm + yc + zp] + f[xm + yc + zm]) * ixz * s2;
  h->yz = ((double)f[xc + yp + zp] - f[xc + yp + zm] - f[xc + ym + zp] + f[xc + ym + zm]) * iyz * s2;
}

QK_INLINE void sort_by_magnitude(double *e) {
  double t;
  if (fabs(e[0]) > fabs(e[1])) { t = e[0]; e[0] = e[1]; e[1] = t; }
  if (fabs(e[1]) > fabs(e[2])) { t = e[1]; e[1] = e[2]; e[2] = t; }
  if (fabs(e[0]) > fabs(e[1])) { t = e[0]; e[0] = e[1]; e[1] = t; }
}

/* Eigenvalues of a symmetric 3x3 matrix, sorted by magnitude. */
static void eig3(const hess_t *h, double *e) {
  const double p1 = h->xy * h->xy + h->xz * h->xz + h->yz * h->yz;
  const double q = (h->xx + h->yy + h->zz) / 3.0;
  const double a = h->xx - q, b = h->yy - q, c = h->zz - q;
  const double p2 = a * a + b * b + c * c + 2.0 * p1;
  if (p2 <= 1e-30 * (q * q) || p2 == 0.0) {
    e[0] = e[1] = e[2] = q;
    return;
  }
  const double p = sqrt(p2 / 6.0);
  const double ip = 1.0 / p;
  /* B = (A - qI) / p; r = det(B) / 2 */
  const double b11 = a * ip, b22 = b * ip, b33 = c * ip, b12 = h->xy * ip, b13 = h->xz * ip, b23 = h->yz * ip;
  double r = 0.5 * (b11 * (b22 * b33 - b23 * b23) - b12 * (b12 * b33 - b23 * b13) + b13 * (b12 * b23 - b22 * b13));
  double phi;
  if (r <= -1.0) phi = QK_PI / 3.0;
  else if (r >= 1.0) phi = 0.0;
  else phi = acos(r) / 3.0;
  e[0] = q + 2.0 * p * cos(phi);
  e[2] = q + 2.0 * p * cos(phi + 2.0 * QK_PI / 3.0);
  e[1] = 3.0 * q - e[0] - e[2];
  sort_by_magnitude(e);
}

/*
 * Exported: Hessian eigenvalues of an already smoothed float32 volume f. Spacing in mm; s2 = sigma^2 scale factor
 * (1 for none). l1, l2, l3: float32 volumes, sorted by magnitude.
 */
QK_EXPORT(qk_hessian_eigen)
void qk_hessian_eigen(const float *f, int nx, int ny, int nz, float sx, float sy, float sz, float s2, float *l1,
                      float *l2, float *l3) {
  const double ix2 = 1.0 / ((double)sx * sx), iy2 = 1.0 / ((double)sy * sy), iz2 = 1.0 / ((double)sz * sz);
  const double ixy = 0.25 / ((double)sx * sy), ixz = 0.25 / ((double)sx * sz), iyz = 0.25 / ((double)sy * sz);
  size_t i = 0;
  hess_t h;
  double e[3];
  for (int z = 0; z < nz; z++)
    for (int y = 0; y < ny; y++)
      for (int x = 0; x < nx; x++, i++) {
        hessian_at(f, x, y, z, nx, ny, nz, ix2, iy2, iz2, ixy, ixz, iyz, s2, &h);
        eig3(&h, e);
        l1[i] = (float)e[0];
        l2[i] = (float)e[1];
        l3[i] = (float)e[2];
      }
}

/* Exported: max over voxels of the Frobenius norm of the scale-normalised Hessian (= sqrt(l1^2 + l2^2 + l3^2)). */
QK_EXPORT(qk_hessian_max_norm)
double qk_hessian_max_norm(const float *f, int nx, int ny, int nz, float sx, float sy, float sz, float s2) {
  const double ix2 = 1.0 / ((double)sx * sx), iy2 = 1.0 / ((double)sy * sy), iz2 = 1.0 / ((double)sz * sz);
  const double ixy = 0.25 / ((double)sx * sy), ixz = 0.25 / ((double)sx * sz), iyz = 0.25 / ((double)sy * sz);
  double m = 0.0;
  hess_t h;
  for (int z = 0; z < nz; z++)
    for (int y = 0; y < ny; y++)
      for (int x = 0; x < nx; x++) {
        hessian_at(f, x, y, z, nx, ny, nz, ix2, iy2, iz2, ixy, ixz, iyz, s2, &h);
        double n2 = h.xx * h.xx + h.yy * h.yy + h.zz * h.zz + 2.0 * (h.xy * h.xy + h.xz * h.xz + h.yz * h.yz);
        if (n2 > m) m = n2;
      }
  return sqrt(m);
}

/*
 * Exported: Frangi vesselness at one scale of an already smoothed volume f, combined into out by max (first != 0:
 * overwrite). alpha, beta, c as in the paper (c > 0).
 */
QK_EXPORT(qk_frangi)
void qk_frangi(const float *f, int nx, int ny, int nz, float sx, float sy, float sz, float s2, float alpha, float beta,
               float c, float *out, int first) {
  const double ix2 = 1.0 / ((double)sx * sx), iy2 = 1.0 / ((double)sy * sy), iz2 = 1.0 / ((double)sz * sz);
  const double ixy = 0.25 / ((double)sx * sy), ixz = 0.25 / ((double)sx * sz), iyz = 0.25 / ((double)sy * sz);
  const double ia = 1.0 / (2.0 * (double)alpha * alpha), ib = 1.0 / (2.0 * (double)beta * beta),
               ic = 1.0 / (2.0 * (double)c * c);
  size_t i = 0;
  hess_t h;
  double e[3];
  for (int z = 0; z < nz; z++)
    for (int y = 0; y < ny; y++)
      for (int x = 0; x < nx; x++, i++) {
        double v = 0.0;
        hessian_at(f, x, y, z, nx, ny, nz, ix2, iy2, iz2, ixy, ixz, iyz, s2, &h);
        /* l2, l3 < 0 with |l1| smallest implies trace < 0: skip the eigen solve otherwise. */
        if (h.xx + h.yy + h.zz < 0.0) {
          eig3(&h, e);
          if (e[1] < 0.0 && e[2] < 0.0) {
            const double a1 = fabs(e[0]), a2 = fabs(e[1]), a3 = fabs(e[2]);
            const double ra2 = (a2 * a2) / (a3 * a3);
            const double rb2 = (a1 * a1) / (a2 * a3);
            const double s2n = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
            v = (1.0 - exp(-ra2 * ia)) * exp(-rb2 * ib) * (1.0 - exp(-s2n * ic));
          }
        }
        if (first || (float)v > out[i]) out[i] = (float)v;
      }
}
