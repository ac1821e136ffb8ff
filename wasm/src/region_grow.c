/*
 * Region growing: the 6-connected set of voxels reachable from the seeds through voxels whose value lies in
 * [lo, hi] (inclusive). Seeds outside the range (or outside the volume) start nothing. Breadth-first, O(N).
 */
#include "qk.h"

#define QK_GROW_BODY(T)                                                                                                \
  const T *in = (const T *)inp;                                                                                        \
  const size_t n = (size_t)nx * ny * nz, plane = (size_t)nx * ny;                                                      \
  memset(out, 0, n);                                                                                                   \
  size_t head = 0, tail = 0;                                                                                           \
  for (int s = 0; s < nseeds; s++) {                                                                                   \
    int32_t i = seeds[s];                                                                                              \
    if (i < 0 || (size_t)i >= n || out[i]) continue;                                                                   \
    const float v = (float)in[i];                                                                                      \
    if (v >= lo && v <= hi) {                                                                                          \
      out[i] = 1;                                                                                                      \
      queue[tail++] = i;                                                                                               \
    }                                                                                                                  \
  }                                                                                                                    \
  while (head < tail) {                                                                                                \
    const size_t i = (size_t)queue[head++];                                                                            \
    const int x = (int)(i % nx), y = (int)((i / nx) % ny), z = (int)(i / plane);                                       \
    size_t nb[6];                                                                                                      \
    int c = 0;                                                                                                         \
    if (x > 0) nb[c++] = i - 1;                                                                                        \
    if (x < nx - 1) nb[c++] = i + 1;                                                                                   \
    if (y > 0) nb[c++] = i - nx;                                                                                       \
    if (y < ny - 1) nb[c++] = i + nx;                                                                                  \
    if (z > 0) nb[c++] = i - plane;                                                                                    \
    if (z < nz - 1) nb[c++] = i + plane;                                                                               \
    for (int t = 0; t < c; t++) {                                                                                      \
      const size_t q = nb[t];                                                                                          \
      if (out[q]) continue;                                                                                            \
      const float v = (float)in[q];                                                                                    \
      if (v >= lo && v <= hi) {                                                                                        \
        out[q] = 1;                                                                                                    \
        queue[tail++] = (int32_t)q;                                                                                    \
      }                                                                                                                \
    }                                                                                                                  \
  }                                                                                                                    \
  return (int)tail;

/* Exported: returns the region size. type: QK_F32 or QK_I16; out: uint8 (N); queue: int32 scratch (N). */
QK_EXPORT(qk_region_grow)
int qk_region_grow(const void *inp, int type, uint8_t *out, int nx, int ny, int nz, const int32_t *seeds, int nseeds,
                   float lo, float hi, int32_t *queue) {
  if (type == QK_I16) {
    QK_GROW_BODY(int16_t)
  } else {
    QK_GROW_BODY(float)
  }
}
