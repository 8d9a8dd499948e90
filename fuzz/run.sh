#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan, build-fuzz/) and runs each one for a
# bounded time on a temporary copy of its seed corpus. Nothing is written into the source
# tree: corpora and crash files live in a temp folder; reproducers of a failure are copied
# to build-fuzz/fuzz-artifacts/ and the run fails.
#
#   fuzz/run.sh [SECONDS [TARGET...]]     default: 20 s each for fuzz_load fuzz_expr fuzz_session_log fuzz_session fuzz_editor
#                                         fuzz_text
#   fuzz/run.sh 0                         build the targets only (libFuzzer's 0 would mean no limit)
#   SIGNPOST_FUZZ_CORPUS=DIR fuzz/run.sh  keep the grown corpora in DIR/<target> (for long runs)
#
# Longer runs, reproducing a crash, minimising: docs/fuzzing.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_load fuzz_expr fuzz_session_log fuzz_session fuzz_editor fuzz_text)
build=$root/build-fuzz

if [ ! -f "$build/CMakeCache.txt" ]; then
  (cd "$root" && cmake --preset fuzz >/dev/null)
fi
cmake --build "$build" -j2 --target fuzzers
if [ "$seconds" = 0 ]; then
  echo "fuzz/run.sh: targets built in build-fuzz/fuzz/ (0 s: none run)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/signpost-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/artifacts"

# XML character references and entities back to characters (expressions live in attributes).
unescape() { sed -e 's/&gt;/>/g' -e 's/&lt;/</g' -e "s/&apos;/'/g" -e 's/&quot;/"/g' -e 's/&amp;/\&/g'; }

seed() {
  local target=$1 dir=$2
  mkdir -p "$dir"
  case "$target" in
    fuzz_load)
      cp "$root"/trees/*.xml "$root"/tests/data/broken/*.xml "$dir"/ ;;
    fuzz_text)
      # The texts of the sample trees (Markdown, {references}) and the docs' Markdown.
      cp "$root"/trees/*.xml "$root"/docs/*.md "$dir"/ ;;
    fuzz_expr)
      local n=0 value
      while IFS= read -r value; do
        n=$((n + 1))
        printf '%s' "$value" > "$dir/attr-$n"
      done < <(cat "$root"/trees/*.xml "$root"/tests/data/broken/*.xml |
               grep -oE '(if|set)="[^"]*"' | sed -E 's/^(if|set)="//; s/"$//' | unescape | sort -u)
      ;;
    fuzz_session_log)
      "$build/fuzz/signpost-fuzz-log-seeds" "$dir" ;;
    fuzz_session|fuzz_editor)
      # Each sample tree, a NUL, then action (or command) bytes: a fixed walk and three
      # pseudo-random ones (cksum of the name seeds awk's generator, so the corpus is the
      # same every run).
      local f name k
      for f in "$root"/trees/*.xml; do
        name=$(basename "$f" .xml)
        { cat "$f"; printf '\0'; printf '\0\0\0\1\0\2\0\3\0\0\0\4\0\0\0\1\0\6\3\0\5\0'; } > "$dir/$name-walk"
        for k in 1 2 3; do
          { cat "$f"; printf '\0'
            LC_ALL=C awk -v seed="$(printf '%s%s' "$name" "$k" | cksum | cut -d' ' -f1)" \
              'BEGIN { srand(seed); for (i = 0; i < 240; i++) printf "%c", int(rand() * 255) + 1 }'
          } > "$dir/$name-random-$k"
        done
      done
      ;;
  esac
}

status=0
passed=0
failed=0
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  if [ -n "${SIGNPOST_FUZZ_CORPUS:-}" ]; then
    corpus=$SIGNPOST_FUZZ_CORPUS/$target
    [ -d "$corpus" ] && [ -n "$(ls -A "$corpus")" ] || seed "$target" "$corpus"
  else
    seed "$target" "$corpus"
  fi
  dict=()
  dict_name=$target
  case "$target" in fuzz_session|fuzz_editor) dict_name=fuzz_load ;; esac  # their input is mostly a tree
  [ -f "$root/fuzz/$dict_name.dict" ] && dict=(-dict="$root/fuzz/$dict_name.dict")
  log=$work/$target.log
  printf 'fuzz/run.sh: %-17s %s s on %s seeds ... ' "$target" "$seconds" "$(ls "$corpus" | wc -l)"
  if (cd "$work" &&
      ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1 \
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$build/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/artifacts/$target-" -print_final_stats=1 "${dict[@]}" "$corpus" \
        >"$log" 2>&1); then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
    echo "ok (${execs:-?} runs, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l))"
    passed=$((passed + 1))
  else
    echo "FAILED"
    status=1
    failed=$((failed + 1))
    tail -n 60 "$log"
    mkdir -p "$build/fuzz-artifacts"
    for f in "$work"/artifacts/"$target"-*; do
      [ -e "$f" ] || continue
      cp "$f" "$build/fuzz-artifacts/"
      echo "fuzz/run.sh: reproducer kept: build-fuzz/fuzz-artifacts/$(basename "$f")"
      echo "  re-run: build-fuzz/fuzz/$target build-fuzz/fuzz-artifacts/$(basename "$f")"
    done
  fi
done
echo "fuzz/run.sh: $passed passed, $failed failed"
exit $status
