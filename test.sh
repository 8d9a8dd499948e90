#!/usr/bin/env bash
# Install what is missing, build, and run every test, in three stages:
#   1. the ordinary build (build/) and its ctest run;
#   2. the whole suite again under ASan+UBSan (CMake preset "sanitize", build-sanitize/);
#   3. each libFuzzer target for a short bounded time (fuzz/run.sh, clang, build-fuzz/).
# CI (.ci/run) runs all three. For a quick local run, SIGNPOST_QUICK=1 runs stage 1 only (and
# deps.sh then skips clang); it is ignored in CI (CI=true), which always runs everything.
# SIGNPOST_FUZZ_SECONDS sets the time per fuzz target (default 20).
# Arguments go to every ctest run (e.g. ./test.sh -R hostile).
set -euo pipefail
cd "$(dirname "$0")"

# Each stage's heading says when it started and how long test.sh had run by then.
stage() { echo; echo "=== test.sh: $* ($(date '+%H:%M:%S'), ${SECONDS} s in)"; }

./deps.sh
(cd build && ctest --output-on-failure -j "$(nproc)" "$@")

if [ "${SIGNPOST_QUICK:-0}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "test.sh: SIGNPOST_QUICK=1: sanitizer and fuzzing stages skipped"
  exit 0
fi

stage "ASan+UBSan build and tests (build-sanitize/)"
[ -f build-sanitize/CMakeCache.txt ] || cmake --preset sanitize >/dev/null
cmake --build build-sanitize -j "$(nproc)"
# The preset sets ASAN_OPTIONS/UBSAN_OPTIONS: the first report fails the test. Everything
# is leak-checked except the few processes that open a real GL window under Xvfb (Mesa's
# threads leave glibc TLS blocks that LeakSanitizer cannot trace to a library: tests/xvfb.sh,
# docs/fuzzing.md); the UI code they run is leak-checked in the headless UI tests.
ctest --preset sanitize -j "$(nproc)" "$@"

stage "fuzzing, ${SIGNPOST_FUZZ_SECONDS:-20} s per target (build-fuzz/)"
fuzz/run.sh "${SIGNPOST_FUZZ_SECONDS:-20}"
stage "all stages passed"
