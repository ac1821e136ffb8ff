/*
 * Shared definitions for the Qiview WebAssembly kernels.
 *
 * Conventions (all kernels):
 * - Volumes are dense, i (x) fastest, then j (y), then k (z): index = x + nx * (y + ny * z).
 * - Every pointer argument is an offset into the module's linear memory; the TypeScript bindings (wasm/kernels.ts)
 *   own all allocation. The C code never allocates: scratch buffers are passed in, sized by the bindings.
 * - Masks are uint8 (nonzero = foreground). Labels are int32. Float data is float32.
 */
#ifndef QK_H
#define QK_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <math.h>
#include <wasm_simd128.h>

#define QK_EXPORT(name) __attribute__((export_name(#name)))
#define QK_INLINE static inline __attribute__((always_inline))

/* Input element type codes shared with wasm/kernels.ts. */
enum { QK_F32 = 0, QK_I16 = 1, QK_U8 = 2 };

QK_INLINE int qk_clampi(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }
QK_INLINE int qk_mini(int a, int b) { return a < b ? a : b; }
QK_INLINE int qk_maxi(int a, int b) { return a > b ? a : b; }

/* Separable Gaussian, in place on a float32 volume; `in` may be int16 (type QK_I16) or float32 (may equal out).
 * sigma in voxels per axis (<= 0: skip that axis). scratch: qk_gaussian_scratch_floats() floats. */
void qk_gaussian_impl(const void *in, int type, float *out, int nx, int ny, int nz, float sx, float sy, float sz,
                      float truncate, float *scratch);

/* Squared Euclidean distance transform (see edt.c). */
void qk_edt_sq_impl(const uint8_t *mask, int invert, float *out, int nx, int ny, int nz, float sx, float sy,
                    float sz, int ax, int ay, int az, float *scratch);

#endif
