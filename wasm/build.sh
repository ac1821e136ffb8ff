#!/usr/bin/env bash
# Builds wasm/build/qiview-kernels.wasm from wasm/src/*.c, reproducibly (fixed flags, fixed file order, no
# timestamps, names and debug info stripped). Needs Debian packages: clang (14), lld, wasi-libc.
# Usage: bash wasm/build.sh [output.wasm]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/build/qiview-kernels.wasm}"
mkdir -p "$(dirname "$out")"
CC="${CC:-clang}"
SYSROOT="${WASI_SYSROOT:-/usr}"
LIBC="$SYSROOT/lib/wasm32-wasi/libc.a"
if [ ! -f "$LIBC" ]; then echo "wasi-libc not found at $LIBC (apt-get install wasi-libc)" >&2; exit 1; fi
# Sources in a fixed (sorted, C locale) order so the link order never depends on the file system.
srcs=$(cd "$here/src" && LC_ALL=C ls *.c)
args=()
for s in $srcs; do args+=("$here/src/$s"); done
cd "$here/src"
# -ffile-prefix-map keeps absolute paths out of the binary; libc.a supplies only libm (exp, acos, cos).
"$CC" --target=wasm32-wasi --sysroot="$SYSROOT" -std=c11 -O3 -nostdlib -ffreestanding \
  -mbulk-memory -msimd128 -mnontrapping-fptoint -msign-ext \
  -Wall -Wextra -Wno-unused-parameter -Werror \
  -ffile-prefix-map="$here"=. \
  -Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,-z,stack-size=1048576 -Wl,--initial-memory=4194304 -Wl,--max-memory=4294967296 \
  "${args[@]}" "$LIBC" -o "$out"
echo "built $out ($(wc -c < "$out") bytes)"
