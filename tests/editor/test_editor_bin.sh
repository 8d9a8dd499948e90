#!/usr/bin/env bash
# The real signpost-editor binary under a private Xvfb: screenshots of a sample tree, of the
# preview, of the statistics overlay (a log made by `signpost generate-log`) and of a broken
# file, checked with png_stats; and the errors a person gets for bad arguments.
set -u
editor=$1
src=$2
png_stats=$3
signpost=$4
. "$src/tests/xvfb.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Untitled autosaves (offered back at start) go here, not to the user's state folder.
export XDG_STATE_HOME=$tmp/state
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

tree=$src/trees/internet-outage.xml
lib=$src/trees

# No display: one clear line, no crash.
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$editor" "$tree" 2>&1)
code=$?
if [ $code -eq 2 ] && grep -q 'needs a display' <<<"$out"; then ok "no display error"; else bad "no display error ($code): $out"; fi

if ! start_xvfb; then
  bad "Xvfb did not start"
  echo "$pass passed, $fail failed"
  exit 1
fi

# A screenshot is a picture of the whole window, with plenty drawn on it.
# check_png NAME FILE MIN_COLOURS MIN_FOREGROUND
check_png() {
  local stats colours fg width height
  stats=$("$png_stats" "$2" 2>&1)
  width=$(awk '/^width/ {print $2}' <<<"$stats")
  height=$(awk '/^height/ {print $2}' <<<"$stats")
  colours=$(awk '/^colours/ {print $2}' <<<"$stats")
  fg=$(awk '/^foreground/ {print $2}' <<<"$stats")
  if [ "${width:-0}" -ge 1000 ] && [ "${height:-0}" -ge 600 ] && [ "${colours:-0}" -gt "$3" ] &&
     awk -v f="${fg:-0}" -v m="$4" 'BEGIN{exit !(f > m)}'; then
    ok "$1 ($colours colours, foreground $fg)"
  else
    bad "$1: $stats"
  fi
}

# run_shot NAME OUT.png ARGS...: the editor writes the picture and exits 0, leaving nothing behind.
run_shot() {
  local name=$1 png=$2
  shift 2
  with_gl timeout 60 "$editor" --screenshot "$png" "$@" > "$tmp/$name.txt" 2>&1
  local code=$?
  if [ $code -eq 0 ] && [ -s "$png" ]; then ok "$name: exit 0"; else bad "$name: exit $code: $(tail -5 "$tmp/$name.txt")"; fi
}

cp "$tree" "$tmp/outage.xml"
run_shot "sample tree" "$tmp/tree.png" --library "$lib" --select power "$tmp/outage.xml"
check_png "sample tree picture" "$tmp/tree.png" 200 0.5
ls -A "$tmp" | grep -q autosave && bad "a screenshot left an autosave" || ok "no autosave left behind"
cmp -s "$tree" "$tmp/outage.xml" && ok "the tree file is untouched" || bad "the tree file changed"

run_shot "preview" "$tmp/preview.png" --library "$lib" --preview "$tree"
check_png "preview picture" "$tmp/preview.png" 200 0.5
cmp -s "$tmp/tree.png" "$tmp/preview.png" && bad "preview looks like the plain editor" || ok "preview differs from the plain editor"

# Statistics overlay: a synthetic log from the CLI, then the same view with and without it.
if "$signpost" generate-log --tree "$tree" --library "$lib" -n 500 --seed 7 --out "$tmp/sessions.db" > "$tmp/gen.txt" 2>&1; then
  ok "generate-log wrote a log"
  run_shot "overlay" "$tmp/overlay.png" --library "$lib" --select power --stats "$tmp/sessions.db" "$tree"
  check_png "overlay picture" "$tmp/overlay.png" 200 0.5
  run_shot "same view" "$tmp/plain.png" --library "$lib" --select power "$tree"
  cmp -s "$tmp/overlay.png" "$tmp/plain.png" && bad "the overlay changed nothing" || ok "the overlay is drawn"
else
  bad "generate-log: $(tail -3 "$tmp/gen.txt")"
fi

# A broken file opens with its diagnostics instead of failing.
printf '<tree format="1" id="x" start="a">\n  <step id="a" to="nowhere"/>\n' > "$tmp/broken.xml"
run_shot "broken file" "$tmp/broken.png" "$tmp/broken.xml"
check_png "broken file picture" "$tmp/broken.png" 50 0.3

# New tree from the template when no file is given.
run_shot "new tree" "$tmp/new.png"
check_png "new tree picture" "$tmp/new.png" 50 0.3
cmp -s "$tmp/new.png" "$tmp/broken.png" && bad "the broken file's diagnostics are not shown" || ok "the broken file's diagnostics are shown"

# SIGTERM (a logout, kill) keeps unsaved edits in the autosave, and the next start offers
# them back. --auto-layout is an edit: every node of this copy starts at x=0.
sed 's/x="[0-9]*"/x="0"/' "$tree" > "$tmp/term.xml"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$editor" --auto-layout "$tmp/term.xml" > "$tmp/term.txt" 2>&1 &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
code=$?
if [ $code -eq 143 ] && [ -s "$tmp/.term.xml.autosave" ] && grep -q "SIGTERM: unsaved edits of term.xml kept" "$tmp/term.txt"; then
  ok "SIGTERM keeps unsaved edits in the autosave"
else
  bad "SIGTERM ($code): $(cat "$tmp/term.txt"); autosave: $(ls -la "$tmp"/.term.xml.autosave 2>&1)"
fi
at_zero_file=$(grep -c 'x="0"' "$tmp/term.xml")
at_zero_kept=$(grep -c 'x="0"' "$tmp/.term.xml.autosave" 2>/dev/null)
[ "${at_zero_kept:-99}" -lt "$at_zero_file" ] && ok "the autosave holds the laid-out tree" ||
  bad "the autosave does not hold the edit ($at_zero_kept of $at_zero_file nodes still at x=0)"
run_shot "recovery after SIGTERM" "$tmp/term.png" "$tmp/term.xml"
[ -s "$tmp/.term.xml.autosave" ] && ok "the autosave waits for the author's answer" || bad "the autosave went before it was answered"

# Bad arguments.
out=$("$editor" --screenshot "$tmp/x.png" --select no-such-node "$tree" 2>&1)
code=$?
if [ $code -eq 2 ] && grep -q "no node 'no-such-node'" <<<"$out"; then ok "--select of an unknown node"; else bad "--select unknown ($code): $out"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
