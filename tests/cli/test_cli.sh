#!/usr/bin/env bash
# The `signpost` tool run as a user runs it: exit codes, output format, and what it does to
# files. Usage: test_cli.sh SIGNPOST_BIN SOURCE_DIR
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 SIGNPOST_BIN SOURCE_DIR" >&2
    exit 2
fi
bin=$1
src=$2
broken_dir=$src/tests/data/broken

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

# Runs signpost with the given arguments: stdout in $out, stderr in $err, status in $rc.
run() {
    "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    out=$(cat "$tmp/stdout")
    err=$(cat "$tmp/stderr")
}

show_output() {
    printf '  command output:\n%s\n  stderr:\n%s\n' "$out" "$err" | sed 's/^/    /'
}

expect_rc() {  # NAME WANT
    if [ "$rc" -eq "$2" ]; then
        pass
    else
        fail "$1: exit $rc, expected $2"
        show_output
    fi
}

# NAME PATTERN [TEXT]: TEXT (default: $out) has a line matching the extended regex.
expect_line() {
    local text=${3-$out}
    if grep -Eq -- "$2" <<<"$text"; then
        pass
    else
        fail "$1: no line matches /$2/"
        show_output
    fi
}

expect_no_line() {  # NAME PATTERN
    if grep -Eq -- "$2" <<<"$out"; then
        fail "$1: unexpected line matching /$2/"
        show_output
    else
        pass
    fi
}

expect_equal() {  # NAME GOT WANT
    if [ "$2" == "$3" ]; then
        pass
    else
        fail "$1: got '$2', expected '$3'"
    fi
}

expect_same_file() {  # NAME FILE REFERENCE
    if cmp -s "$2" "$3"; then
        pass
    else
        fail "$1: $2 differs from $3"
        diff "$3" "$2" | head -20 | sed 's/^/    /'
    fi
}

expect_json() {  # NAME FILE
    if python3 -m json.tool <"$2" >/dev/null 2>"$tmp/json-error"; then
        pass
    else
        fail "$1: not valid JSON: $(cat "$tmp/json-error")"
    fi
}

# The summary `check` prints last.
summary_re='^checked [0-9]+ files?: (no problems|[0-9]+ errors?(, [0-9]+ warnings?)?|[0-9]+ warnings?)$'

# [SECTION] fixtures ----------------------------------------------------------------------

# A clean tree, written the way a person might: odd spacing, quotes and indentation.
mkdir -p "$tmp/fixtures"
cat >"$tmp/fixtures/router-check.xml" <<'EOF'
<tree   format='1' id="router-check" title="Router check"   start="power">
    <variables>
        <variable name="reboots" type="number" default="0"/>
        <variable name="plan"   type="choice" options="basic business" default="basic"/>
    </variables>
    <question id="power" title="Power light">
        <text>
            Is the **power light** lit?
            Look at the front of the router.
        </text>
        <choice to="fixed">Yes</choice>
        <choice to="reboot" set="reboots = reboots + 1">No</choice>
        <choice to="tier2" if="plan == 'business'">Business line down</choice>
    </question>
    <step id="reboot" to="route"><text>Unplug the router for 30 seconds.</text></step>
    <logic id="route"><branch if="reboots >= 2" to="tier2"/><otherwise to="power"/></logic>
    <escalate id="tier2" team="Network Tier 2" priority="high"><text>Hand off after {reboots} reboots.</text></escalate>
    <end id="fixed" outcome="resolved"><text>Thank the customer.</text></end>

</tree>
EOF
clean=$tmp/fixtures/router-check.xml

# A tree with a warning only: a node nothing leads to.
cat >"$tmp/fixtures/lonely.xml" <<'EOF'
<tree format="1" id="lonely" start="ask">
  <question id="ask"><text>Done?</text><choice to="done">Yes</choice></question>
  <end id="done" outcome="resolved"/>
  <end id="orphan" outcome="unresolved"/>
</tree>
EOF
lonely=$tmp/fixtures/lonely.xml

# Trees with load errors: a start node that does not exist, and XML cut short.
cat >"$tmp/fixtures/no-start.xml" <<'EOF'
<tree format="1" id="no-start" start="nowhere">
  <end id="done" outcome="resolved"/>
</tree>
EOF
cat >"$tmp/fixtures/cut-short.xml" <<'EOF'
<tree format="1" id="cut-short" start="done">
  <end id="done" outcome="resolved"
EOF

# A jump into a tree kept in another folder (found only with --library).
mkdir -p "$tmp/root" "$tmp/lib"
cat >"$tmp/root/main-line.xml" <<'EOF'
<tree format="1" id="main-line" start="verify">
  <jump id="verify" tree="id-check" to="done"/>
  <end id="done" outcome="resolved"/>
</tree>
EOF
cat >"$tmp/lib/id-check.xml" <<'EOF'
<tree format="1" id="id-check" start="ok">
  <end id="ok" outcome="resolved"/>
</tree>
EOF

# [SECTION] command line --------------------------------------------------------------------

run --help
expect_rc "--help" 0
for sub in check fmt export; do
    expect_line "--help lists $sub" "^ +$sub( |$)"
done
run nosuch
expect_rc "an unknown command" 2
expect_line "an unknown command is named, with the list" "'nosuch' is not a command; the commands are check, fmt, export, report, generate-log" "$err"
for rate in nan 0.7 -0 1e400 0.1x; do
    run generate-log --tree "$src/trees/internet-outage.xml" --out "$tmp/never.db" --back-rate "$rate"
    if [ "$rate" = -0 ]; then expect_rc "--back-rate $rate" 0; else expect_rc "--back-rate $rate" 2; fi
done
rm -f "$tmp/never.db"
# A log is a database: '-' is refused, not written as a file named '-'.
pushd "$tmp" >/dev/null || exit 1
run generate-log --tree "$src/trees/internet-outage.xml" --out - --sessions 3
popd >/dev/null || exit 1
expect_rc "generate-log --out -" 2
expect_line "generate-log --out - says why" "cannot go to standard output; give a file name" "$err"
if [ -e "$tmp/-" ]; then fail "generate-log --out - wrote a file named '-'"; else pass; fi
run generate-log --tree "$src/trees/internet-outage.xml" --out "" --sessions 3
expect_rc "generate-log --out ''" 2

run --version
expect_rc "--version" 0
expect_line "--version" '^signpost [0-9]+\.[0-9]+'
run check --help
expect_rc "check --help" 0
for opt in --strict --json --library --verbose; do expect_line "check --help: $opt" "$opt"; done
run fmt --help
expect_rc "fmt --help" 0
expect_line "fmt --help: --check" "--check"
run export --help
expect_rc "export --help" 0
expect_line "export --help: --format" "--format"

run
expect_rc "no subcommand" 2
run frobnicate
expect_rc "unknown subcommand" 2
run check --no-such-option "$clean"
expect_rc "unknown option" 2
run check
expect_rc "check without paths" 2
run check --library "$tmp/no-such-folder" "$clean"
expect_rc "check --library with a missing folder" 2
run export --format png "$clean"
expect_rc "export --format png" 2
run export "$clean"
expect_rc "export without --format" 2

# [SECTION] check ---------------------------------------------------------------------------

run check "$clean"
expect_rc "check clean fixture" 0
expect_equal "check clean fixture prints only the summary" "$out" "checked 1 file: no problems"

run check "$tmp/missing.xml"
expect_rc "check missing file" 1
expect_line "check missing file: read-error" "^$tmp/missing\.xml(:[0-9]+:[0-9]+)?: error: .*\[read-error\]$"
expect_line "check missing file: summary" '^checked 1 file: 1 error$'

run check "$lonely"
expect_rc "check warning-only fixture" 0
expect_line "check warning-only fixture: unreachable" "^$lonely:4:[0-9]+: warning: .*\[unreachable\]$"
expect_line "check warning-only fixture: summary" '^checked 1 file: 1 warning$'
run check --strict "$lonely"
expect_rc "check --strict warning-only fixture" 1

run check "$tmp/fixtures/no-start.xml" "$lonely" "$clean"
expect_rc "check several files" 1
expect_line "check several files: unknown-start" "^$tmp/fixtures/no-start\.xml:1:[0-9]+: error: .*\[unknown-start\]$"
expect_line "check several files: summary" '^checked 3 files: [0-9]+ errors?, [0-9]+ warnings?$'

run check "$tmp/root/main-line.xml"
expect_rc "jump target not in the file's folder" 1
expect_line "jump target not in the file's folder: missing-tree" \
    "^$tmp/root/main-line\.xml:2:[0-9]+: error: .*\[missing-tree\]$"
run check "$tmp/root/main-line.xml" --library "$tmp/lib"
expect_rc "check --library after the file" 0
expect_equal "check --library prints only the summary" "$out" "checked 1 file: no problems"
# --library takes one folder each time, so the file after it is still checked.
run check --library "$tmp/lib" "$tmp/root/main-line.xml"
expect_rc "check --library before the file" 0
expect_equal "check --library before the file: summary" "$out" "checked 1 file: no problems"

# Folders: recursive, *.xml only, hidden entries skipped, sorted.
mkdir -p "$tmp/walk/b" "$tmp/walk/.hidden"
cp "$clean" "$tmp/walk/b/router-check.xml"
cp "$lonely" "$tmp/walk/lonely.xml"
cp "$tmp/fixtures/no-start.xml" "$tmp/walk/.hidden/no-start.xml"
echo "not a tree" >"$tmp/walk/notes.txt"
run check --json "$tmp/walk"
expect_rc "check folder" 0
printf '%s\n' "$out" >"$tmp/walk.json"
expect_json "check folder --json" "$tmp/walk.json"
files=$(python3 -c 'import json,sys; print(" ".join(f["file"] for f in json.load(sys.stdin)["files"]))' \
    <"$tmp/walk.json" 2>&1)
expect_equal "check folder: files found" "$files" "$tmp/walk/b/router-check.xml $tmp/walk/lonely.xml"

run check --json "$tmp/missing.xml" "$lonely"
expect_rc "check --json with errors" 1
printf '%s\n' "$out" >"$tmp/check.json"
expect_json "check --json with errors" "$tmp/check.json"
fields=$(python3 -c '
import json, sys
doc = json.load(sys.stdin)
d = doc["files"][0]["diagnostics"][0]
print(doc["errors"], doc["warnings"], d["severity"], d["code"], sorted(d))' <"$tmp/check.json" 2>&1)
expect_equal "check --json fields" "$fields" \
    "1 1 error read-error ['code', 'column', 'field', 'line', 'message', 'node', 'severity']"

# [SECTION] samples -------------------------------------------------------------------------

shopt -s nullglob
samples=("$src"/trees/*.xml)
if [ ${#samples[@]} -eq 0 ]; then
    echo "note: no sample trees in $src/trees yet; sample checks skipped"
else
    run check "$src/trees"
    expect_rc "check samples" 0
    expect_equal "check samples prints only the summary" "$out" \
        "checked ${#samples[@]} file$([ ${#samples[@]} -eq 1 ] || echo s): no problems"
    run fmt --check "$src/trees"
    expect_rc "fmt --check samples" 0
    expect_equal "fmt --check samples prints nothing" "$out" ""

    # Mangle a copy's layout (not its content): fmt must give back the sample exactly.
    sample=${samples[0]}
    copy=$tmp/sample/$(basename "$sample")
    mkdir -p "$tmp/sample"
    sed -e 's/^\( \+\)</\1   </' -e '0,/<tree /s//<tree   /' "$sample" >"$copy"
    printf '\n\n' >>"$copy"
    run fmt --check "$copy"
    expect_rc "fmt --check on a mangled sample" 1
    run fmt "$copy"
    expect_rc "fmt on a mangled sample" 0
    expect_same_file "fmt restores the sample" "$copy" "$sample"
fi

# [SECTION] broken corpus -------------------------------------------------------------------

# Each file states what `check` must report, e.g. <!-- expect: error 12:5 unknown-target -->.
expect_re='expect: *(none|(error|warning|info) +[0-9]+:[0-9]+ +[A-Za-z0-9_.-]+)'
broken=("$broken_dir"/*.xml)
if [ ${#broken[@]} -eq 0 ]; then
    echo "note: no files in $broken_dir yet; corpus checks skipped"
fi
for f in "${broken[@]}"; do
    name=${f#"$src"/}
    mapfile -t expectations < <(grep -oE "$expect_re" "$f" | sed -E 's/^expect: *//')
    if [ ${#expectations[@]} -eq 0 ]; then
        fail "$name: no <!-- expect: ... --> comment"
        continue
    fi
    want_rc=0
    want_strict_rc=0
    verbose=()
    for e in "${expectations[@]}"; do
        case $e in
        error*) want_rc=1 want_strict_rc=1 ;;
        warning*) want_strict_rc=1 ;;
        info*) verbose=(--verbose) ;;
        esac
    done

    run check "${verbose[@]}" "$f"
    expect_rc "check $name" "$want_rc"
    for e in "${expectations[@]}"; do
        if [ "$e" == none ]; then
            expect_equal "check $name prints only the summary" "$out" "checked 1 file: no problems"
            continue
        fi
        read -r sev pos code <<<"$e"
        found=0
        while IFS= read -r line; do
            if [[ $line == "$f:$pos: $sev: "*" [$code]" ]]; then
                found=1
                break
            fi
        done <<<"$out"
        if [ $found -eq 1 ]; then
            pass
        else
            fail "check $name: no line '$f:$pos: $sev: ... [$code]'"
            show_output
        fi
    done
    run check --strict "$f"
    expect_rc "check --strict $name" "$want_strict_rc"
done

if [ ${#broken[@]} -gt 0 ]; then
    run check "$broken_dir"
    expect_rc "check the broken corpus folder" 1
    expect_line "check the broken corpus folder: summary" "$summary_re" "$(tail -n 1 <<<"$out")"
    text_errors=$(tail -n 1 <<<"$out" | grep -oE '[0-9]+ errors?' | grep -oE '[0-9]+')
    run check --json "$broken_dir"
    expect_rc "check --json on the broken corpus" 1
    printf '%s\n' "$out" >"$tmp/broken.json"
    expect_json "check --json on the broken corpus" "$tmp/broken.json"
    json_errors=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["errors"])' \
        <"$tmp/broken.json" 2>&1)
    expect_equal "check --json counts the same errors as text" "$json_errors" "${text_errors:-0}"
fi

# [SECTION] fmt -----------------------------------------------------------------------------

mkdir -p "$tmp/fmt"
messy=$tmp/fmt/router-check.xml
cp "$clean" "$messy"
run fmt --check "$messy"
expect_rc "fmt --check on a non-canonical file" 1
expect_equal "fmt --check names the file" "$out" "$messy: not in canonical form (run signpost fmt)"
expect_same_file "fmt --check writes nothing" "$messy" "$clean"

run export --format json "$messy"
printf '%s\n' "$out" >"$tmp/before.json"
run fmt "$messy"
expect_rc "fmt on a non-canonical file" 0
run fmt --check "$messy"
expect_rc "fmt --check after fmt" 0
expect_equal "fmt --check after fmt prints nothing" "$out" ""
run export --format json "$messy"
printf '%s\n' "$out" >"$tmp/after.json"
expect_same_file "fmt keeps the tree's content" "$tmp/after.json" "$tmp/before.json"
cp "$messy" "$tmp/fmt/once.xml"
run fmt "$messy"
expect_rc "fmt on a canonical file" 0
expect_same_file "fmt is idempotent" "$messy" "$tmp/fmt/once.xml"
run check "$messy"
expect_rc "check after fmt" 0

for b in no-start cut-short; do
    victim=$tmp/fmt/$b.xml
    cp "$tmp/fixtures/$b.xml" "$victim"
    run fmt "$victim"
    expect_rc "fmt refuses $b" 1
    expect_line "fmt $b prints the load error" "^$victim:[0-9]+:[0-9]+: error: "
    expect_same_file "fmt leaves $b untouched" "$victim" "$tmp/fixtures/$b.xml"
    run fmt --check "$victim"
    expect_rc "fmt --check refuses $b" 1
done
run fmt "$tmp/missing.xml"
expect_rc "fmt on a missing file" 1

# Comments have no place in the model: fmt keeps its hands off them unless told.
noted=$tmp/fmt/noted.xml
printf '<?xml version="1.0" encoding="UTF-8"?>\n<!-- reviewed by the billing lead -->\n<tree format="1" id="noted" version="1" title="noted" start="a">\n  <end id="a" outcome="resolved"/>\n</tree>\n' >"$noted"
cp "$noted" "$tmp/fmt/noted.orig"
run fmt "$noted"
expect_rc "fmt refuses a file with comments" 1
expect_line "fmt says comments would be lost" "^$noted: error: has 1 XML comment, which the canonical form does not keep"
expect_same_file "fmt leaves a file with comments untouched" "$noted" "$tmp/fmt/noted.orig"
run fmt --check "$noted"
expect_rc "fmt --check on a file with comments" 1
expect_line "fmt --check mentions the comments" "it has 1 XML comment, which"
# A processing instruction is a note the canonical form drops too (it used to go silently).
pi=$tmp/fmt/pi.xml
printf '<?xml version="1.0" encoding="UTF-8"?>\n<tree format="1" id="pi" version="1" title="pi" start="a">\n  <?todo ask security about the new SLA?>\n  <end id="a" outcome="resolved"/>\n</tree>\n' >"$pi"
cp "$pi" "$tmp/fmt/pi.orig"
run fmt "$pi"
expect_rc "fmt refuses a file with a processing instruction" 1
expect_line "fmt names the processing instruction" "^$pi: error: has 1 processing instruction \\(<\\?\\.\\.\\.\\?>\\), which the canonical form does not keep"
expect_same_file "fmt leaves a file with a processing instruction untouched" "$pi" "$tmp/fmt/pi.orig"
run fmt --drop-comments "$noted"
expect_rc "fmt --drop-comments" 0
out=$(cat "$noted")
expect_no_line "fmt --drop-comments removed the comment" "reviewed by"
run fmt --check "$noted"
expect_rc "fmt --check after --drop-comments" 0

# [SECTION] export --------------------------------------------------------------------------

run export --format dot "$clean"
expect_rc "export dot" 0
expect_equal "export dot starts with digraph" "$(head -c 7 "$tmp/stdout")" "digraph"
cp "$tmp/stdout" "$tmp/stdout.dot"
run export --format dot "$clean" -o "$tmp/out.dot"
expect_rc "export dot -o" 0
expect_equal "export -o prints nothing" "$out" ""
expect_same_file "export -o writes what stdout shows" "$tmp/out.dot" "$tmp/stdout.dot"

# -o /dev/stdout writes through standard output: what the shell appended stays.
echo "HEADER" > "$tmp/appended.txt"
{ echo before; "$bin" export --format dot -o /dev/stdout "$clean"; echo after; } >> "$tmp/appended.txt" 2>/dev/null
expect_equal "export -o /dev/stdout keeps what came before" "$(head -2 "$tmp/appended.txt" | tr '\n' ' ')" "HEADER before "
expect_equal "export -o /dev/stdout keeps what comes after" "$(tail -1 "$tmp/appended.txt")" "after"
expect_line "export -o /dev/stdout wrote the graph" "^digraph" "$(cat "$tmp/appended.txt")"

cp "$clean" "$tmp/self.xml"
run export --format json -o "$tmp/self.xml" "$tmp/self.xml"
expect_rc "export -o onto its own input" 2
expect_line "export -o onto its own input says so" "is the tree being exported" "$err"
expect_same_file "export -o onto its own input leaves the tree" "$tmp/self.xml" "$clean"

run export --format mermaid "$clean"
expect_rc "export mermaid" 0
expect_line "export mermaid starts a flowchart" '^(flowchart|graph) ' "$(head -n 1 <<<"$out")"

run export -f json "$clean"
expect_rc "export json" 0
expect_json "export json" "$tmp/stdout"

run export --format dot "$tmp/fixtures/no-start.xml" -o "$tmp/broken.dot"
expect_rc "export refuses a broken tree" 1
expect_line "export prints the load error" "^$tmp/fixtures/no-start\.xml:[0-9]+:[0-9]+: error: " "$err"
if [ -e "$tmp/broken.dot" ]; then fail "export of a broken tree wrote $tmp/broken.dot"; else pass; fi
run export --format dot "$tmp/missing.xml"
expect_rc "export of a missing file" 1
expect_equal "export of a missing file prints nothing on stdout" "$out" ""
expect_line "export of a missing file: read-error" '\[read-error\]$' "$err"

if [ ${#samples[@]} -gt 0 ]; then
    for s in "${samples[@]}"; do
        for format in dot mermaid json; do
            run export --format "$format" "$s"
            expect_rc "export $format $(basename "$s")" 0
        done
        expect_json "export json $(basename "$s")" "$tmp/stdout"
    done
fi

# A folder with no trees in it is an error, so a mistyped path in CI cannot pass silently.
mkdir -p "$tmp/no-trees"
run check "$tmp/no-trees"
expect_rc "check on a folder without trees" 1
expect_line "check on a folder without trees says why" "no-trees: error: no tree files \(\*\.xml\) in this folder.*\[no-trees\]$"
# fmt too (a git hook pointed at the wrong folder), and an empty folder among good ones.
run fmt --check "$tmp/no-trees"
expect_rc "fmt --check on a folder without trees" 1
expect_line "fmt on a folder without trees says why" "\[no-trees\]$"
run check "$src/trees" "$tmp/no-trees"
expect_rc "check with one folder without trees" 1
# A link named *.xml whose target is gone is reported, not skipped.
mkdir -p "$tmp/dangling"
cp "$clean" "$tmp/dangling/"
ln -s "$tmp/dangling/gone.xml" "$tmp/dangling/link.xml"
run check "$tmp/dangling"
expect_rc "check with a dangling link" 1
expect_line "check reports the dangling link" "link\.xml: error: .*\[read-error\]$"
# Findings that cannot be written (a full disk) fail the run instead of passing truncated.
"$bin" check "$src/trees" >/dev/full 2>"$tmp/stderr"
rc=$?
expect_rc "check > /dev/full" 1
expect_line "check > /dev/full says why" "cannot write to standard output" "$(cat "$tmp/stderr")"

# A line break in a file name does not split its problem over two lines.
mkdir -p "$tmp/nl"
cp "$clean" "$tmp/nl/two
lines.xml"
run check "$tmp/nl"
expect_equal "a file name's line break keeps one problem per line" "$(wc -l <<<"$out")" "2"  # and the summary
expect_line "...shown as U+FFFD" "two$(printf '\xef\xbf\xbd')lines.xml:[0-9]+:[0-9]+: warning" "$out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
