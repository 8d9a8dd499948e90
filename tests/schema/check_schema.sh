#!/usr/bin/env bash
# Usage: check_schema.sh XMLLINT SOURCE_DIR [SIGNPOST]
# Every sample tree must satisfy docs/signpost-tree.xsd, and the schema must be strict
# enough to reject files the loader rejects (otherwise accepting the samples proves nothing).
# With the signpost binary, values the schema checks by itself are also given to the loader,
# which must agree with the schema on every one.
set -uo pipefail

if [ $# -ne 2 ] && [ $# -ne 3 ]; then
  echo "usage: $0 XMLLINT SOURCE_DIR [SIGNPOST]" >&2
  exit 2
fi
xmllint=$1
source_dir=$2
signpost=${3:-}
schema="$source_dir/docs/signpost-tree.xsd"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

if [ ! -f "$schema" ]; then
  echo "FAIL: no schema at $schema" >&2
  exit 1
fi

# The samples: all of them, so a new sample is covered without touching this script.
shopt -s nullglob
samples=("$source_dir"/trees/*.xml)
if [ ${#samples[@]} -eq 0 ]; then
  fail "no sample trees in $source_dir/trees"
fi
for f in "${samples[@]}"; do
  if ! "$xmllint" --noout --schema "$schema" "$f"; then
    fail "$f does not satisfy the schema"
  fi
done

# Files the schema must refuse. Each starts from a valid tree so that only the named
# mistake can be the reason for the rejection.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

valid_tree() {  # $1: extra nodes, $2: extra attributes on <end>
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="probe" start="ask">
  <variables>
    <variable name="n" type="number" default="0"/>
  </variables>
  <question id="ask">
    <text>Ready?</text>
    <choice to="done" set="n = n + 1">Yes</choice>
  </question>
  $1
  <end id="done" outcome="resolved"$2/>
  <layout>
    <pos node="ask" x="0" y="0"/>
  </layout>
</tree>
EOF
}

# The control: the unmodified probe must be accepted, or every rejection below is meaningless.
valid_tree "" "" > "$tmp/probe.xml"
if ! "$xmllint" --noout --schema "$schema" "$tmp/probe.xml" 2> "$tmp/err"; then
  cat "$tmp/err" >&2
  fail "the valid probe tree is rejected"
fi

expect_rejected() {  # $1: what is wrong, $2: extra nodes, $3: extra attributes on <end>
  local file="$tmp/bad.xml"
  valid_tree "$2" "$3" > "$file"
  if "$xmllint" --noout --schema "$schema" "$file" 2> /dev/null; then
    fail "schema accepts a tree with $1"
  fi
}

expect_rejected "an unknown element" '<bogus id="x"/>' ''
expect_rejected "an unknown attribute" '' ' colour="red"'
expect_rejected "a step without 'to'" '<step id="s"><text>Go</text></step>' ''
expect_rejected "an unknown priority" '<escalate id="e" team="T" priority="asap"/>' ''
expect_rejected "a path-like jump target" '<jump id="j" tree="../etc/passwd" to="done"/>' ''
expect_rejected "an invalid node id" '<step id="a b" to="done"/>' ''
expect_rejected "a duplicate node id" '<step id="done" to="done"/>' ''
expect_rejected "a target that names no node" '<step id="s" to="nowhere"/>' ''
expect_rejected "an empty question" '<question id="q"><text>Hm</text></question>' ''
expect_rejected "a choice without a label" '<question id="q"><choice to="done"> </choice></question>' ''
expect_rejected "an empty logic node" '<logic id="l"/>' ''

# Mistakes in parts every tree has: edit the probe itself.
expect_rejected_edit() {  # $1: what is wrong, $2: sed expression applied to the probe
  sed "$2" "$tmp/probe.xml" > "$tmp/bad.xml"
  if cmp -s "$tmp/probe.xml" "$tmp/bad.xml"; then
    fail "probe edit for '$1' changed nothing"
  elif "$xmllint" --noout --schema "$schema" "$tmp/bad.xml" 2> /dev/null; then
    fail "schema accepts a tree with $1"
  fi
}

expect_rejected_edit "an unknown variable type" 's/type="number"/type="integer"/'
expect_rejected_edit "a duplicate variable" 's|<variable name="n" type="number" default="0"/>|&<variable name="n" type="flag"/>|'
expect_rejected_edit "format 2" 's/format="1"/format="2"/'
expect_rejected_edit "no start attribute" 's/ start="ask"//'
expect_rejected_edit "a start that names no node" 's/start="ask"/start="asks"/'
expect_rejected_edit "a bad outcome token" 's/outcome="resolved"/outcome="All good"/'
expect_rejected_edit "a non-finite layout number" 's/x="0"/x="NaN"/'
expect_rejected_edit "a layout number too large for a double" 's/x="0"/x="1e999"/'
expect_rejected_edit "markup inside a text element" 's|<text>Ready?</text>|<text>Ready <b>now</b>?</text>|'

# Values the schema checks by itself: the schema and the loader must accept and refuse the
# same spellings. $1: what is tried (for the message), $2: sed expression on the probe.
agree() {
  sed "$2" "$tmp/probe.xml" > "$tmp/probe-x/probe.xml"
  local schema_ok=no loader_ok=no
  "$xmllint" --noout --schema "$schema" "$tmp/probe-x/probe.xml" 2> /dev/null && schema_ok=yes
  "$signpost" check "$tmp/probe-x/probe.xml" > /dev/null 2>&1 && loader_ok=yes
  if [ "$schema_ok" != "$loader_ok" ]; then
    fail "$1: the schema says $schema_ok, the loader says $loader_ok"
  fi
}
if [ -n "$signpost" ]; then
  mkdir -p "$tmp/probe-x"  # the file is named after the tree id, so no id-file-mismatch
  # Layout numbers.
  for x in "0" "+5" "-5" " 7 " "+.5" "7." "-0.25" "1e3" "1E+3" "+1e-3" "1.7976931348623157E308" "1e-999" "-2E-400" \
           "1e999" "-1e999" "NaN" "INF" "-INF" "++5" "+-5" "5 5" "0x10" "" "." "+" "1e" "5,5"; do
    agree "layout x=\"$x\"" "s|x=\"0\"|x=\"$x\"|"
  done
  # Format and version numbers.
  for attr in format version; do
    for v in "1" "2" "7" " 7 " "01" "+1" "-1" "0" "1.0" "" "2147483647" "2147483648" "99999999999" "1e1"; do
      agree "$attr=\"$v\"" "s|<tree format=\"1\"|<tree format=\"1\" version=\"1\"|; s|$attr=\"1\"|$attr=\"$v\"|"
    done
  done
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures schema check(s) failed" >&2
  exit 1
fi
echo "schema: ${#samples[@]} sample(s) valid, invalid probes rejected"
