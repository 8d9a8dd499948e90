#!/usr/bin/env bash
# Builds the benchmarks (RelWithDebInfo, build-bench/) and runs them all, printing one table:
# load/validate/save throughput with ratios to pugixml's bare parse, random-walk steps,
# memory per node (signpost-bench), and any other signpost-bench-* binary the build has
# (the report and editor benchmarks), whose Google Benchmark results become rows too.
#
#   ./bench.sh            all sizes (1k, 10k, 100k), 3 repetitions, medians
#   ./bench.sh --quick    1k and 10k, one repetition (a smoke run)
#   ./bench.sh -- ARGS    extra arguments for signpost-bench (e.g. --benchmark_filter=load)
#
# Figures and how to read them: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")"

quick=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

SIGNPOST_DEPS_ONLY=1 ./deps.sh
build=build-bench
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake --preset bench >/dev/null
fi
targets=(signpost-bench)
# Benchmarks added by other work through bench/*.cmake: every target named signpost-bench-*.
while read -r t; do targets+=("$t"); done < <(
  cmake --build "$build" --target help | sed -n 's/^\.\.\. \(signpost-bench-[A-Za-z0-9_-]*\).*/\1/p')
echo "bench.sh: building ${targets[*]} (RelWithDebInfo, $build/)" >&2
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows="$work/rows.tsv"
others=()

args=(--tsv)
if [ "$quick" = 1 ]; then args+=(--sizes=1k,10k --benchmark_repetitions=1); fi
started=$(date +%s)
"$build/bench/signpost-bench" "${args[@]}" "${extra[@]}" > "$rows"

# Google Benchmark JSON -> rows: name, -, -, time/op, throughput, counters. With
# repetitions only the medians are kept.
json_rows() {
  local has_median=0
  grep -q '"aggregate_name": "median"' "$1" && has_median=1
  awk -v has_median="$has_median" '
    function duration(v, u,   s) {
      s = v * (u == "ns" ? 1e-9 : u == "us" ? 1e-6 : u == "ms" ? 1e-3 : 1)
      if (s >= 1) return sprintf("%.2f s", s)
      if (s >= 1e-3) return sprintf("%.2f ms", s * 1e3)
      if (s >= 1e-6) return sprintf("%.2f us", s * 1e6)
      return sprintf("%.0f ns", s * 1e9)
    }
    function per_second(v, what) {
      v = v + 0
      if (v >= 1e6) return sprintf("%.2f M%s/s", v / 1e6, what)
      if (v >= 1e3) return sprintf("%.1f k%s/s", v / 1e3, what)
      return sprintf("%.0f %s/s", v, what)
    }
    function flush() {
      if (name == "" || (has_median && kind != "median")) return
      tp = ""
      if (items != "") tp = per_second(items, "items")
      else if (bytes != "") tp = sprintf("%.1f MB/s", bytes / 1e6)
      printf "%s\t\t\t%s\t%s\t%s\n", name, duration(rt, unit), tp, extra
    }
    /"benchmarks": \[/ { inb = 1; next }
    !inb { next }
    /^ *\{/ { name = ""; kind = ""; rt = ""; unit = ""; items = ""; bytes = ""; extra = ""; next }
    /^ *\}/ { flush(); name = ""; next }
    {
      line = $0
      sub(/^ *"/, "", line); sub(/,$/, "", line)
      key = line; sub(/".*/, "", key)
      val = line; sub(/^[^:]*: */, "", val); gsub(/"/, "", val)
      if (key == "run_name") name = val
      else if (key == "aggregate_name") kind = val
      else if (key == "real_time") rt = val
      else if (key == "time_unit") unit = val
      else if (key == "items_per_second") items = val
      else if (key == "bytes_per_second") bytes = val
      else if (key == "label" && val != "") extra = extra val " "
      else if (key !~ /^(name|family_index|per_family_instance_index|run_type|repetitions|repetition_index|threads|iterations|cpu_time|aggregate_unit|error_occurred|error_message)$/ && val ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/)
        extra = extra key "=" sprintf("%.4g", val) " "
    }
  ' "$1"
}

# The other benchmark binaries print their own reports; known lines become rows, the
# rest is shown after the table. A Google Benchmark binary gives its results as JSON.
report_rows() {  # signpost-bench-report
  awk '
    /^generated [0-9]+ sessions/ { gsub(/[(),]/, ""); write = $(NF-1) }
    /^log: / { sessions = $(NF-3); events = $(NF-1) }
    /^SELECT count\(\*\)/ { floor = $5 }
    /^report \(all figures/ { t = $6; rate = $(NF-2) " M events/s" }
    /^report \/ count/ { ratio = $4 " SQLite count(*)" }
    END {
      if (write != "") printf "session log writing (generator)\t%s sessions\t\t\t%.1f kevents/s\t\n", sessions, write / 1000
      if (floor != "") printf "report floor: SQLite count(*) of events\t%s sessions\t\t%s s\t\t1.00\n", sessions, floor
      if (t != "") printf "report (statistics + JSON)\t%s sessions\t\t%s s\t%s\t%s\n", sessions, t, rate, ratio
    }' "$1"
}
editor_rows() {  # signpost-bench-editor
  awk '
    $1 ~ /^[0-9]+$/ && NF >= 4 { printf "editor UI frame (median; p90 %s ms)\t%s\t\t%s ms\t%.0f frames/s\t%s drawn\n", $4, $1, $2, 1000 / $2, $5 }
    /node frame \// { sub(/^[^:]*: /, ""); note = $0 }
    END { if (note != "") printf "#\teditor: 10,000-node frame / 100-node frame: %s\n", note }' "$1"
}

shopt -s nullglob
sessions=${SIGNPOST_BENCH_SESSIONS:-100000}
frames=200
if [ "$quick" = 1 ]; then sessions=20000; frames=50; fi
for bin in "$build"/bench/signpost-bench-*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  name=$(basename "$bin")
  out="$work/$name.out"
  echo "bench.sh: running $name" >&2
  case "$name" in
    # Best of 3 for the report and its count(*) floor alike: at 100k sessions the floor
    # is ~0.06 s, so one run's noise would swing the ratio by a third.
    signpost-bench-report) cmd=("$bin" --sessions "$sessions" --log "$work/report.db" --runs 3) ;;
    signpost-bench-editor) cmd=("$bin" "$frames") ;;
    *) cmd=("$bin" --benchmark_out="$work/$name.json" --benchmark_out_format=json) ;;
  esac
  if ! "${cmd[@]}" >"$out" 2>"$work/err"; then
    echo "bench.sh: $name failed:" >&2
    cat "$out" "$work/err" >&2
    exit 1
  fi
  case "$name" in
    signpost-bench-report) report_rows "$out" >> "$rows" ;;
    signpost-bench-editor) editor_rows "$out" >> "$rows" ;;
    *) if [ -s "$work/$name.json" ]; then json_rows "$work/$name.json" >> "$rows"; else others+=("$out"); fi ;;
  esac
done
elapsed=$(( $(date +%s) - started ))

# One table: header, aligned columns, then the growth notes.
echo "Signpost benchmarks: $(date '+%Y-%m-%d %H:%M'), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
echo
awk -F'\t' '
  BEGIN { n = 0; split("benchmark|nodes|XML|time/op|throughput|ratio / notes", h, "|"); for (i = 1; i <= 6; i++) { cell[0, i] = h[i]; w[i] = length(h[i]) } }
  /^#\t/ { notes[++nn] = $2; next }
  { n++; for (i = 1; i <= 6; i++) { cell[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
  END {
    for (r = 0; r <= n; r++) {
      line = sprintf("%-" w[1] "s  %" w[2] "s  %" w[3] "s  %" w[4] "s  %" w[5] "s  %s", cell[r,1], cell[r,2], cell[r,3], cell[r,4], cell[r,5], cell[r,6])
      sub(/ +$/, "", line); print line
      if (r == 0) { total = 10; for (i = 1; i <= 6; i++) total += w[i]; s = ""; for (i = 0; i < total; i++) s = s "-"; print s }
    }
    if (nn) { print ""; print "Growth with tree size (time ~ n^k):"; for (i = 1; i <= nn; i++) print "  " notes[i] }
  }' "$rows"
for out in "${others[@]}"; do
  echo
  echo "--- $(basename "$out" .out) ---"
  grep -v $'\r' "$out" || true
done
echo
echo "(benchmarks ran in ${elapsed} s)"
