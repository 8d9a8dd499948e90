#!/usr/bin/env bash
# The real signpost-player binary: console mode through stdin, --answers, no display,
# control characters, many concurrent players on one log, and the window under Xvfb.
set -u
player=$1
src=$2
png_stats=$3
. "$src/tests/xvfb.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

tree=$src/trees/internet-outage.xml
lib=$src/trees

# Console mode reads stdin line by line; an ended input abandons the call (exit 3).
out=$(printf '12345678\nJo Doe\n1\n' | "$player" --console --log "$tmp/c.db" --agent tester --library "$lib" "$tree" 2>&1)
code=$?
if [ $code -eq 3 ] && grep -q -- '--- transcript ---' <<<"$out" && grep -q '1) ' <<<"$out"; then
  ok "console via stdin"
else
  bad "console via stdin (exit $code): $out"
fi

# The session was recorded.
n=$(sqlite3 "$tmp/c.db" "select count(*) from sessions where agent='tester'" 2>&1)
[ "$n" = "1" ] && ok "console session recorded" || bad "console session recorded: $n"

# No display: one clear line that says to use --console.
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$player" --log - "$tree" 2>&1)
code=$?
if [ $code -ne 0 ] && grep -q -- '--console' <<<"$out" && [ "$(grep -vc '^glfw:' <<<"$out")" -le 1 ]; then
  ok "no display error"
else
  bad "no display error (exit $code): $out"
fi

# A broken tree is refused with its diagnostics.
printf '<tree format="1" id="x" start="nowhere"><step id="a" to="b"/></tree>\n' > "$tmp/x.xml"
out=$("$player" --console --log - "$tmp/x.xml" 2>&1 </dev/null)
code=$?
if [ $code -eq 1 ] && grep -q 'x.xml:1:' <<<"$out"; then ok "broken tree refused"; else bad "broken tree refused ($code): $out"; fi

# A folder, and a device that never ends, get the loader's own messages (the player used
# to read the whole stream first: /dev/zero ran it out of memory).
mkdir -p "$tmp/folder.xml"
out=$("$player" --console --log - "$tmp/folder.xml" 2>&1 </dev/null)
code=$?
if [ $code -eq 1 ] && grep -q 'it is a directory \[read-error\]' <<<"$out"; then ok "folder refused"; else bad "folder refused ($code): $out"; fi
# (No ulimit -v: sanitizer builds reserve terabytes of address space.)
out=$(timeout 60 "$player" --console --log - /dev/zero 2>&1 </dev/null)
code=$?
if [ $code -eq 1 ] && grep -q '\[too-large\]' <<<"$out"; then ok "endless device refused"; else bad "endless device refused ($code): $out"; fi

# Options that cannot do what they say are usage errors (exit 2), not ignored.
for args in "--library $tmp/no-such-folder" "--screenshot $tmp/x.png" "--answers 1 --after 1"; do
  # shellcheck disable=SC2086
  out=$("$player" --console --log - $args "$tree" 2>&1 </dev/null)
  code=$?
  if [ $code -eq 2 ]; then ok "usage error: $args"; else bad "usage error: $args ($code): $out"; fi
done

# --answers "" is the console with no answers (it never tries a window); "\," is a comma
# inside an answer.
out=$(env -u DISPLAY "$player" --log - --answers "" "$tree" 2>&1)
code=$?
[ $code -eq 3 ] && ok "--answers \"\" runs the console" || bad "--answers \"\" ($code): $out"
out=$("$player" --log - --library "$lib" --answers '4011\,2233' "$tree" 2>&1)
echo "$out" | grep -q "Typed in the form, not submitted: .*4011,2233" && ok "--answers keeps an escaped comma" \
  || bad "--answers escaped comma: $out"

# A refused answer stops the run (the answers after it were meant for other steps): exit 5,
# saying which answer, and the call is recorded as abandoned for that reason.
out=$("$player" --log - --library "$lib" --answers '40112233,Jo Doe,9,1' "$tree" 2>&1)
code=$?
[ $code -eq 5 ] && echo "$out" | grep -q "stopped: answer 3 ('9') was refused: There is no choice 9" \
  && echo "$out" | grep -q "^Abandoned: scripted answer 3 was refused" && ok "--answers stops at a refused answer" \
  || bad "--answers refused answer ($code): $out"

# --log naming a folder or a device is a usage error; records nothing can save are said,
# with exit 4 (a path under a regular file: neither the log nor its spill can be made).
for log in "$tmp" /dev/null; do
  out=$("$player" --log "$log" --answers 1 "$tree" 2>&1)
  code=$?
  [ $code -eq 2 ] && echo "$out" | grep -q "or '-' to record nothing" && ok "--log $log refused" || bad "--log $log ($code): $out"
done
echo x > "$tmp/a-file"
out=$("$player" --log "$tmp/a-file/sessions.db" --library "$lib" --answers "$(cat "$src/tests/player/outage-answers.txt")" "$tree" 2>&1 >/dev/null)
code=$?
[ $code -eq 4 ] && echo "$out" | grep -q "could not be saved.*they are lost" && ok "lost records exit 4" \
  || bad "lost records ($code): $out"

# Many players write one log at the same time: every event of every session is there.
answers=$(cat "$src/tests/player/outage-answers.txt")
"$player" --log - --library "$lib" --answers "$answers" "$tree" > "$tmp/single.txt" 2>&1
single_code=$?
[ $single_code -eq 0 ] && ok "answers run finishes" || bad "answers run finishes ($single_code): $(tail -5 "$tmp/single.txt")"
pids=()
for i in $(seq 1 20); do
  "$player" --log "$tmp/shared.db" --agent "agent$i" --library "$lib" --answers "$answers" "$tree" > "$tmp/p$i.txt" 2>&1 &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
[ $failed -eq 0 ] && ok "20 concurrent players exit 0" || bad "20 concurrent players: $failed failed"
sessions=$(sqlite3 "$tmp/shared.db" "select count(*) from sessions" 2>&1)
ended=$(sqlite3 "$tmp/shared.db" "select count(*) from sessions where status='completed' or status='escalated'" 2>&1)
per=$(sqlite3 "$tmp/shared.db" "select count(distinct n) from (select count(*) n from events group by session_id)" 2>&1)
gaps=$(sqlite3 "$tmp/shared.db" "select count(*) from (select session_id, max(seq)+1-count(*) g from events group by session_id) where g != 0" 2>&1)
integrity=$(sqlite3 "$tmp/shared.db" "pragma integrity_check" 2>&1)
if [ "$sessions" = "20" ] && [ "$ended" = "20" ] && [ "$per" = "1" ] && [ "$gaps" = "0" ] && [ "$integrity" = "ok" ]; then
  ok "concurrent log complete"
else
  bad "concurrent log: sessions=$sessions ended=$ended distinct-event-counts=$per gaps=$gaps integrity=$integrity"
fi
[ -e "$tmp/shared.db.spill" ] && bad "a spill file was left behind" || ok "no spill file"

# The window under a private Xvfb: play keys, write a screenshot, check it is not blank.
if start_xvfb; then
  with_gl "$player" --log "$tmp/w.db" --library "$lib" --screenshot "$tmp/shot.png" --after "text:12345678,Tab,text:Jo Doe,Enter,1" "$tree" > "$tmp/w.txt" 2>&1
  code=$?
  stats=$("$png_stats" "$tmp/shot.png" 2>&1)
  colours=$(awk '/^colours/ {print $2}' <<<"$stats")
  fg=$(awk '/^foreground/ {print $2}' <<<"$stats")
  if [ $code -eq 0 ] && [ "${colours:-0}" -gt 20 ] && awk -v f="${fg:-0}" 'BEGIN{exit !(f > 0.02)}'; then
    ok "window screenshot is not blank ($colours colours, foreground $fg)"
  else
    bad "window screenshot (exit $code): $stats $(cat "$tmp/w.txt")"
  fi
  events=$(sqlite3 "$tmp/w.db" "select count(*) from events where kind='choose'" 2>&1)
  [ "$events" = "1" ] && ok "window played the key" || bad "window played the key: choose events=$events"

  # Alt+Left goes back from inside a form field (--after plays Alt+ too).
  with_gl "$player" --log "$tmp/alt.db" --library "$lib" --screenshot "$tmp/alt.png" --after "text:Billing,Tab,text:Jo,Tab,text:refunds,Tab,text:high,Enter,1,text:In: Q1,Alt+Left" "$src/trees/department-handoff.xml" > "$tmp/alt.txt" 2>&1
  code=$?
  backs=$(sqlite3 "$tmp/alt.db" "select count(*) from events where kind='back'" 2>&1)
  [ $code -eq 0 ] && [ "$backs" = "1" ] && ok "Alt+Left in a form field goes back" ||
    bad "Alt+Left in a form field (exit $code): back events=$backs $(cat "$tmp/alt.txt")"

  # A script in Japanese: its characters come from Noto Sans CJK, added to the atlas (and
  # uploaded again) once the text is seen. Without the font the window still opens, says
  # which package is missing, and draws '?' instead: the two screenshots differ.
  cat > "$tmp/router-ja.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<tree format="1" id="router-ja" version="1" title="ルーターの確認" start="power">
  <question id="power" title="電源ランプ">
    <text>ルーターの**電源ランプ**は点灯していますか？</text>
    <choice to="done">はい</choice>
    <choice to="done">いいえ</choice>
  </question>
  <end id="done" title="解決" outcome="resolved"/>
</tree>
XML
  with_gl "$player" --log - --screenshot "$tmp/ja.png" "$tmp/router-ja.xml" > "$tmp/ja.txt" 2>&1
  code=$?
  SIGNPOST_CJK_FONT_DIR="$tmp/no-fonts" with_gl "$player" --log - --screenshot "$tmp/ja-nofont.png" \
    "$tmp/router-ja.xml" > "$tmp/ja-nofont.txt" 2>&1
  code2=$?
  # The atlas is rebuilt after the first frame: were the texture not uploaded again,
  # nothing at all would be drawn (widgets take their fill from the font texture too), as
  # a screenshot of a handful of colours.
  colours_ja=$("$png_stats" "$tmp/ja.png" 2>&1 | awk '/^colours/ {print $2}')
  if [ $code -eq 0 ] && [ ! -s "$tmp/ja.txt" ] && [ $code2 -eq 0 ] && grep -q 'fonts-noto-cjk' "$tmp/ja-nofont.txt" &&
     ! cmp -s "$tmp/ja.png" "$tmp/ja-nofont.png" && [ "${colours_ja:-0}" -gt 20 ]; then
    ok "a Japanese script is drawn with the CJK font ($colours_ja colours), and without it says what is missing"
  else
    bad "Japanese script (exit $code / $code2, $colours_ja colours): $(cat "$tmp/ja.txt" "$tmp/ja-nofont.txt")"
  fi

  # SIGTERM (a logout, kill) ends the open call as stopped instead of leaving it dangling.
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$player" --log "$tmp/term.db" --library "$lib" "$tree" > "$tmp/term.txt" 2>&1 &
  pid=$!
  sleep 2
  kill -TERM "$pid"
  wait "$pid"
  code=$?
  ended=$(sqlite3 "$tmp/term.db" "select detail || '|' || outcome from events where kind='end'" 2>&1)
  if [ $code -eq 143 ] && [ "$ended" = "abandoned|the player was stopped (SIGTERM)" ]; then
    ok "SIGTERM ends the window's call as stopped"
  else
    bad "SIGTERM (exit $code): end event '$ended' $(cat "$tmp/term.txt")"
  fi
else
  bad "Xvfb did not start"
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
