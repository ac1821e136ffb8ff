/*
 * Memory helpers for the bindings. Returning a result means copying it out of wasm memory into a fresh typed array;
 * touching fresh pages is expensive, while a fresh typed array is already zero. qk_nonzero_blocks tells which blocks
 * of a result hold any nonzero byte, so the bindings copy only those (labels and masks are mostly zero).
 */
#include "qk.h"

/* Exported: flags[b] = 1 if bytes [b * block, (b + 1) * block) of p (clipped to n) hold a nonzero byte. block must be
 * a multiple of 64. Returns the number of nonzero blocks. */
QK_EXPORT(qk_nonzero_blocks)
int qk_nonzero_blocks(const uint8_t *p, size_t n, size_t block, uint8_t *flags) {
  int count = 0;
  size_t nb = (n + block - 1) / block;
  for (size_t b = 0; b < nb; b++) {
    const uint8_t *s = p + b * block;
    size_t len = (b + 1) * block <= n ? block : n - b * block;
    int nz = 0;
    size_t i = 0;
    for (; i + 64 <= len && !nz; i += 64) {
      v128_t a = wasm_v128_or(wasm_v128_load(s + i), wasm_v128_load(s + i + 16));
      v128_t c = wasm_v128_or(wasm_v128_load(s + i + 32), wasm_v128_load(s + i + 48));
      nz = wasm_v128_any_true(wasm_v128_or(a, c));
    }
    for (; i < len && !nz; i++) nz = s[i] != 0;
    flags[b] = (uint8_t)nz;
    count += nz;
  }
  return count;
}
