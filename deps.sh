#!/usr/bin/env bash
# Shared by run.sh, test.sh and bench.sh: install the Debian packages the build needs (only
# the missing ones, so a second run installs nothing), then configure and build into build/.
#   SIGNPOST_DEPS_ONLY=1  install packages only, build nothing
#   SIGNPOST_QUICK=1      skip what only test.sh's sanitizer and fuzzing stages need (clang,
#                         its sanitizer runtimes, llvm-symbolizer); ignored in CI (CI=true),
#                         which runs everything
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake g++ pkg-config make
  libpugixml-dev doctest-dev libcli11-dev libfmt-dev libmd4c-dev
  libsqlite3-dev sqlite3
  libimgui-dev libglfw3-dev libstb-dev libgl-dev
  fonts-dejavu-core fonts-noto-cjk
  libxml2-utils xvfb xauth
  libbenchmark-dev
)
# Fuzzing (fuzz/run.sh): clang 14 with libFuzzer and the sanitizer runtimes, and llvm for
# /usr/bin/llvm-symbolizer, without which clang's runtime prints crash stacks as bare
# addresses. (The g++ sanitize build needs nothing more: libasan comes with g++.)
if [ "${SIGNPOST_QUICK:-0}" != 1 ] || [ "${CI:-}" = true ]; then
  packages+=(clang libclang-rt-14-dev llvm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ "${SIGNPOST_DEPS_ONLY:-0}" = 1 ] && exit 0

build_type=${SIGNPOST_BUILD_TYPE:-RelWithDebInfo}
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE="$build_type"
fi
cmake --build build -j "$(nproc)"
