#!/usr/bin/env bash
# `signpost report` and `signpost generate-log` run as a user runs them: figures against the
# log itself, filters, formats, the HTML page, bad input, and that the log is never changed.
# Usage: test_report.sh SIGNPOST_BIN SOURCE_DIR
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 SIGNPOST_BIN SOURCE_DIR" >&2
    exit 2
fi
bin=$1
src=$2
trees=$src/trees

passed=0
failed=0
tmp=$(mktemp -d)
holder_pid=
cleanup() {
    if [ -n "$holder_pid" ]; then kill "$holder_pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

# Runs signpost: stdout in $out, stderr in $err, status in $rc.
run() {
    "$bin" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    out=$(cat "$tmp/stdout")
    err=$(cat "$tmp/stderr")
}

show_output() {
    printf '  stdout:\n%s\n  stderr:\n%s\n' "$(head -c 3000 <<<"$out")" "$err" | sed 's/^/    /'
}

expect_rc() {  # NAME WANT
    if [ "$rc" -eq "$2" ]; then pass; else
        fail "$1: exit $rc, expected $2"
        show_output
    fi
}

expect_line() {  # NAME PATTERN [TEXT]
    local text=${3-$out}
    if grep -Eq -- "$2" <<<"$text"; then pass; else
        fail "$1: no line matches /$2/"
        show_output
    fi
}

expect_no_line() {  # NAME PATTERN [TEXT]
    local text=${3-$out}
    if grep -Eq -- "$2" <<<"$text"; then
        fail "$1: unexpected line matching /$2/"
        show_output
    else pass; fi
}

expect_equal() {  # NAME GOT WANT
    if [ "$2" == "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}

# Runs a Python snippet; its last line of output is the result ($py).
py() { py=$(python3 -c "$1" 2>&1); }

# What identifies the content of a log: the file's bytes and times, what its WAL holds, and
# any spill file. (Like every SQLite reader of a WAL database, a report may create the empty
# -wal and -shm companions it coordinates through; it never writes a frame or a byte of data.)
fingerprint() {  # DB
    printf '%s %s\n' "$(stat -c '%s %Y.%y' "$1")" "$(sha256sum <"$1" | cut -d' ' -f1)"
    if [ -s "$1-wal" ]; then printf 'wal %s\n' "$(sha256sum <"$1-wal" | cut -d' ' -f1)"; else echo "wal empty"; fi
    if [ -e "$1.spill" ]; then echo "spill"; fi
    find "$(dirname "$1")" -newer "$1" -name '*.db*' ! -name '*-shm' ! -name '*-wal' | sort
}

# [SECTION] generate-log --------------------------------------------------------------------

mkdir -p "$tmp/a" "$tmp/b"
db=$tmp/a/sessions.db
run generate-log --tree "$trees/internet-outage.xml" --sessions 400 --seed 3 --agents 5 --out "$db"
expect_rc "generate-log" 0
expect_line "generate-log says what it wrote" "^Wrote 400 sessions \([0-9,]+ events\) of 'internet-outage' to "
py "import sqlite3; c = sqlite3.connect('file:$db?mode=ro', uri=True); print(c.execute('select count(*) from sessions').fetchone()[0], c.execute('select count(distinct agent) from sessions').fetchone()[0])"
expect_equal "generate-log wrote the sessions, by the agents asked for" "$py" "400 5"
py "import sqlite3; c = sqlite3.connect('file:$db?mode=ro', uri=True); print(sorted(r[0] for r in c.execute('select name from sqlite_master where type = \"index\" and name not like \"sqlite_%\"')))"
expect_equal "generate-log leaves every index of the schema" "$py" \
    "['events_by_node', 'sessions_active', 'sessions_by_agent', 'sessions_by_start', 'sessions_by_tree']"
py "import sqlite3; c = sqlite3.connect('file:$db?mode=ro', uri=True); print(c.execute('pragma journal_mode').fetchone()[0], c.execute('select count(*) from events where kind in (\"back\", \"restart\", \"note\", \"field\")').fetchone()[0] > 0)"
expect_equal "generated logs are WAL logs with back presses, notes and fields" "$py" "wal True"

run generate-log --tree "$trees/internet-outage.xml" --sessions 400 --seed 3 --agents 5 --out "$tmp/b/sessions.db"
expect_rc "generate-log again" 0
# Same seed, same sessions: ids, times, every event (host and pid say who wrote them).
events_sql='select s.id, s.agent, s.started_ms, s.status, e.seq, e.time_ms, e.kind, e.tree_id, e.node, e.choice, e.detail from sessions s join events e on e.session_id = s.id order by s.id, e.seq'
py "import sqlite3, hashlib
def digest(path):
    c = sqlite3.connect('file:' + path + '?mode=ro', uri=True)
    return hashlib.sha256(repr(c.execute('''$events_sql''').fetchall()).encode()).hexdigest()
print(digest('$db') == digest('$tmp/b/sessions.db'))"
expect_equal "the same seed gives the same log" "$py" "True"

run generate-log --tree "$trees/internet-outage.xml" --sessions 400 --seed 4 --out "$tmp/b/other.db"
py "import sqlite3
def ids(path): return [r[0] for r in sqlite3.connect(path).execute('select id from sessions order by id')]
print(ids('$db') != ids('$tmp/b/other.db'))"
expect_equal "another seed gives other sessions" "$py" "True"

# The rounding note under Outcomes gives the sum of the shares as printed (it said 100.3%
# for this log, whose printed shares add up to 100.0%).
run generate-log --tree "$trees/internet-outage.xml" --library "$trees" --sessions 2000 --out "$tmp/b/rounding.db"
run report --log "$tmp/b/rounding.db" --tree "$trees/internet-outage.xml" --library "$trees"
printf '%s\n' "$out" >"$tmp/rounding.txt"
py "import re
text = open('$tmp/rounding.txt').read()
section = text.split('Outcomes (finished sessions)')[1].split('\n\n')[0]
tenths = sum(round(float(m) * 10) for m in re.findall(r' ([0-9]+\.[0-9])%\n', section + '\n'))
note = re.search(r'add up to ([0-9.]+)%', section)
print(tenths, note.group(1) if note else 'none')"
expect_equal "the rounding note sums the shares as printed" "$py" "1000 none"

before=$(fingerprint "$db")
run generate-log --tree "$trees/internet-outage.xml" --sessions 10 --out "$db"
expect_rc "generate-log refuses to touch an existing log" 1
expect_line "generate-log says to use --append" "already exists.*--append" "$err"
expect_equal "the refused log is unchanged" "$(fingerprint "$db")" "$before"

# --append with the seed used before would add nothing: said, not claimed as written.
run generate-log --tree "$trees/internet-outage.xml" --sessions 5 --seed 11 --out "$tmp/append.db"
run generate-log --tree "$trees/internet-outage.xml" --sessions 5 --seed 11 --out "$tmp/append.db" --append
expect_rc "generate-log --append with the same seed" 1
expect_line "generate-log says the sessions were there already" "5 of the 5 generated sessions were already in .*another --seed" "$err"
run generate-log --tree "$trees/internet-outage.xml" --sessions 5 --seed 12 --out "$tmp/append.db" --append
expect_rc "generate-log --append with another seed" 0
py "import sqlite3; print(sqlite3.connect('$tmp/append.db').execute('select count(*) from sessions').fetchone()[0])"
expect_equal "another seed adds its sessions" "$py" "10"

run generate-log --tree "$trees/internet-outage.xml" --sessions 10 --out "$tmp/x.db" --start "next week"
expect_rc "generate-log with a bad --start" 2
run generate-log --tree "$tmp/missing.xml" --sessions 10 --out "$tmp/y.db"
expect_rc "generate-log with a missing tree" 1
expect_line "generate-log prints the load error" '\[read-error\]$' "$err"

# Rounded outcome shares that do not add up to 100.0% say so, and by how much.
for seed in 3 5 8; do
    run generate-log --tree "$trees/internet-outage.xml" --sessions 300 --seed $seed --out "$tmp/round-$seed.db"
    run report --log "$tmp/round-$seed.db" --tree "$trees/internet-outage.xml"
    printf '%s\n' "$out" > "$tmp/round.txt"
    py "import re
text = open('$tmp/round.txt').read()
block = text.split('Outcomes (finished sessions)')[1].split('\n\n')[0]
total = sum(round(float(m) * 10) for m in re.findall(r' ([0-9]+\.[0-9])%\n', block + '\n'))
note = re.search(r'add up to ([0-9.]+)%', block)
print('ok' if (total == 1000) == (note is None) and (note is None or round(float(note.group(1)) * 10) == total) else 'bad %d %s' % (total, note))"
    expect_equal "outcome shares add up to 100.0% or say what they add up to (seed $seed)" "$py" "ok"
done

# Past 1,024 stays a quantile comes from buckets, within 1%: every output says so.
run generate-log --tree "$trees/internet-outage.xml" --sessions 900 --seed 7 --out "$tmp/many.db"
expect_rc "generate-log of 900 sessions" 0
run report --log "$tmp/many.db" --tree "$trees/internet-outage.xml"
expect_line "text marks an approximate dwell with ~" '^  identity-verification:ask-account .* ~[0-9]'
expect_line "text marks an approximate slow-step median with ~" '^  slow .* median ~[0-9]'
run report --log "$tmp/many.db" --tree "$trees/internet-outage.xml" --format csv
expect_line "CSV says which figures are approximate" '^internet-outage,node,identity-verification:ask-account,dwell_exact,false$'
expect_line "CSV says which figures are exact" '^internet-outage,node,verify,dwell_exact,true$'
run report --log "$tmp/many.db" --tree "$trees/internet-outage.xml" --html "$tmp/many.html"
expect_line "HTML marks an approximate dwell" '&asymp;[0-9]' "$(cat "$tmp/many.html")"

# Like the player, the generator runs no tree with errors, validation across jumps included.
run generate-log --tree "$src/tests/data/broken/jump-cycle.xml" --sessions 10 --out "$tmp/z.db"
expect_rc "generate-log with a tree that fails validation" 1
expect_line "generate-log prints the validation error" '\[jump-cycle\]$' "$err"
[ -e "$tmp/z.db" ] && fail "generate-log with a broken tree wrote a log" || pass

# [SECTION] report: figures agree with the log ----------------------------------------------

before=$(fingerprint "$db")

run report --log "$db" --tree "$trees/internet-outage.xml"
expect_rc "report (text)" 0
expect_line "text names the tree" '^Home internet outage \(internet-outage\)$'
expect_line "text has the session counts" '^  Started +400$'
for heading in '^Sessions$' '^Outcomes' '^Tree versions in the log$' '^Nodes' '^Links' '^Most frequent paths' \
    '^Problem spots$'; do
    expect_line "text has section $heading" "$heading"
done
expect_no_line "no agent figures unless asked" '^Agents'

run report --log "$db" --tree "$trees/internet-outage.xml" --format json -o "$tmp/report.json"
expect_rc "report --format json -o" 0
expect_equal "json -o prints nothing on stdout" "$out" ""
# Counts cross-checked against the log with plain SQL.
py "import json, sqlite3
r = json.load(open('$tmp/report.json'))
c = sqlite3.connect('file:$db?mode=ro', uri=True)
t = r['trees'][0]
s = t['sessions']
status = dict(c.execute('select status, count(*) from sessions group by status').fetchall())
ok = [len(r['trees']) == 1, t['tree_id'] == 'internet-outage', s['started'] == 400,
      s['completed'] == status.get('completed', 0), s['escalated'] == status.get('escalated', 0),
      s['abandoned'] == status.get('abandoned', 0) + status.get('active', 0),
      s['back_presses'] == c.execute('select count(*) from events where kind = \"back\"').fetchone()[0],
      s['restarts'] == c.execute('select count(*) from events where kind = \"restart\"').fetchone()[0]]
visits = dict(((t_ + ':' + n) if t_ != 'internet-outage' else n, k) for t_, n, k in c.execute('select tree_id, node, count(*) from events where kind = \"enter\" group by tree_id, node'))
ok.append(all(n['visits'] == visits.get(n['node'], 0) for n in t['nodes']))
ok.append(sum(p['sessions'] for p in t['paths']['top']) <= s['started'])
ok.append(abs(sum(o['share'] for o in t['outcomes']) - 1) < 0.001)
ok.append(all(abs(l['share'] - (l['transitions'] / max(1, [n for n in t['nodes'] if n['node'] == l['from']][0]['exits']))) < 0.0001 for l in t['links']))
print(ok)"
expect_equal "json figures match the log" "$py" "[True, True, True, True, True, True, True, True, True, True, True, True]"

run report --log "$db" --tree "$trees/internet-outage.xml" --format csv
expect_rc "report --format csv" 0
py "import csv, io, sys
rows = list(csv.reader(io.StringIO(open('$tmp/stdout').read())))
print(rows[0] == ['tree_id', 'section', 'subject', 'metric', 'value'], all(len(r) == 5 for r in rows), len(rows) > 100,
      ['internet-outage', 'sessions', '', 'started', '400'] in rows)"
expect_equal "csv: one figure per row, five columns" "$py" "True True True True"

run report --log "$db" --tree "$trees/internet-outage.xml" --by-agent
expect_line "--by-agent adds the agent table" '^Agents \(for coaching, not ranking'
expect_line "the agent table counts calls in progress" '^  Agent +Sessions +Completed +Escalated +Abandoned +In progress '
agent=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select agent from sessions order by agent limit 1').fetchone()[0])")
agent_count=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from sessions where agent = ?', ('$agent',)).fetchone()[0])")
run report --log "$db" --agent "$agent" --format json
py "import json; t = json.loads(open('$tmp/stdout').read())['trees'][0]; print(t['sessions']['started'])"
expect_equal "--agent keeps that agent's sessions" "$py" "$agent_count"
run report --log "$db" --agent "NOBODY-$agent"
expect_rc "an agent with no sessions is no error" 0
expect_line "an unknown agent is told which agents the log has" "^signpost report: note: no sessions of agent 'NOBODY-$agent' in the log \(names must match exactly\); its agents: .*$agent" "$err"

day_count=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute('select count(*) from sessions where started_ms >= 1736208000000 and started_ms < 1736294400000').fetchone()[0])")
run report --log "$db" --since 2025-01-07 --until 2025-01-07 --format json
expect_rc "report one day" 0
py "import json; t = json.loads(open('$tmp/stdout').read())['trees']; print(t[0]['sessions']['started'] if t else 0)"
expect_equal "--until DAY includes that day" "$py" "$day_count"
run report --log "$db" --since 2025-01-07T00:00:00Z --until 2025-01-08T01:00:00+01:00 --format json
py "import json; t = json.loads(open('$tmp/stdout').read())['trees']; print(t[0]['sessions']['started'] if t else 0)"
expect_equal "ISO times with offsets" "$py" "$day_count"

run report --log "$db" --since 2025-13-01
expect_rc "a bad --since" 2
expect_line "a bad date says what to type" "is not a date: use YYYY-MM-DD" "$err"
run report --log "$db" --since 2025-02-01 --until 2025-01-01
expect_rc "--since after --until" 2
run report --log "$db" --format xml
expect_rc "an unknown format" 2

run report --log "$db" --tree "$trees/internet-outage.xml" --tree-version 7 --format json
py "import json; t = json.loads(open('$tmp/stdout').read())['trees'][0]; print(t['sessions']['started'], [v['counted'] for v in t['versions']])"
expect_equal "--tree-version leaves other versions out, but lists them" "$py" "0 [False]"

# [SECTION] HTML ------------------------------------------------------------------------------

html_check='import re, sys
from html.parser import HTMLParser
VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.text = [], [], {}, []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> in %s" % (tag, "/".join(self.stack[-4:])))
        else:
            self.stack.pop()
    def handle_data(self, data): self.text.append(data)
page = open(sys.argv[1], encoding="utf-8").read()
p = Check(); p.feed(page); p.close()
problems = p.errors + (["unclosed: " + "/".join(p.stack)] if p.stack else [])
if not page.startswith("<!DOCTYPE html>"): problems.append("no doctype")
if p.tags.get("script"): problems.append("a <script> element")
if re.search(r"(src|href)=\"(https?:)?//", page): problems.append("something fetched from the network")
print("ok" if not problems else problems, p.tags.get("svg", 0), "".join(p.text).count(sys.argv[2]) if len(sys.argv) > 2 else 0)'

run report --log "$db" --tree "$trees/internet-outage.xml" --by-agent --html "$tmp/report.html"
expect_rc "report --html" 0
expect_equal "--html alone prints nothing on stdout" "$out" ""
expect_line "--html says where it wrote" "^Wrote .*report\.html \(400 sessions\)$" "$err"
html_result=$(python3 -c "$html_check" "$tmp/report.html")
expect_equal "the HTML parses, has its 3 charts, no scripts" "$html_result" "ok 3 0"
expect_line "the HTML has the outcome bars" 'aria-label="How sessions ended"' "$(cat "$tmp/report.html")"
expect_line "the HTML has the path flow" 'aria-label="Flow of the most frequent paths"' "$(cat "$tmp/report.html")"
expect_line "the HTML has the tree" 'aria-label="The tree with its traffic"' "$(cat "$tmp/report.html")"

run report --log "$db" --tree "$trees/internet-outage.xml" --html "$tmp/both.html" --format json
expect_rc "--html with --format" 0
expect_line "--html with --format also prints the format" '"report": "signpost path statistics"'
run report --log "$db" --html "$tmp/no-such-folder/r.html"
expect_rc "--html into a missing folder" 1
expect_line "the write error names the file" "no-such-folder" "$err"

# A tree whose text tries to inject markup.
mkdir -p "$tmp/evil"
cat >"$tmp/evil/evil.xml" <<'EOF'
<tree format="1" id="evil" title="Evil &lt;b&gt;tree&lt;/b&gt;" start="ask">
  <question id="ask" title="&lt;script&gt;alert(1)&lt;/script&gt;">
    <text>Pick one.</text>
    <choice to="done">&lt;script&gt;alert(2)&lt;/script&gt; yes</choice>
    <choice to="done">"quoted" &amp; 'single'</choice>
  </question>
  <end id="done" title="&lt;img src=x onerror=alert(3)&gt;" outcome="resolved"><text>Bye.</text></end>
</tree>
EOF
run generate-log --tree "$tmp/evil/evil.xml" --sessions 30 --seed 1 --out "$tmp/evil/log.db"
expect_rc "generate-log for the markup tree" 0
run report --log "$tmp/evil/log.db" --tree "$tmp/evil/evil.xml" --html "$tmp/evil.html"
expect_rc "report --html for the markup tree" 0
html_result=$(python3 -c "$html_check" "$tmp/evil.html" "<script>alert(1)</script>")
expect_equal "tree text is escaped: it shows as text, never as a tag" "$html_result" "ok 3 $(grep -o '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/evil.html" | wc -l)"
expect_line "the node title appears escaped" '&lt;script&gt;alert\(1\)&lt;/script&gt;' "$(cat "$tmp/evil.html")"
expect_line "the choice label appears escaped" '&lt;script&gt;alert\(2\)&lt;/script&gt; yes' "$(cat "$tmp/evil.html")"
expect_no_line "no raw tag from tree text" '<script|<img|<b>tree' "$(cat "$tmp/evil.html")"

# [SECTION] version drift and several trees ---------------------------------------------------

mkdir -p "$tmp/drift"
cat >"$tmp/drift/router.xml" <<'EOF'
<tree format="1" id="router" version="1" title="Router" start="power">
  <question id="power" title="Power light"><text>Lit?</text>
    <choice to="lights">Yes</choice><choice to="fixed">No</choice></question>
  <question id="lights" title="Other lights"><text>And the rest?</text><choice to="fixed">Fine</choice></question>
  <end id="fixed" outcome="resolved"><text>Thanks.</text></end>
</tree>
EOF
run generate-log --tree "$tmp/drift/router.xml" --sessions 50 --seed 5 --out "$tmp/drift/log.db"
expect_rc "generate-log for version 1" 0
cat >"$tmp/drift/router.xml" <<'EOF'
<tree format="1" id="router" version="2" title="Router" start="power">
  <question id="power" title="Power light"><text>Lit?</text>
    <choice to="status">Yes</choice><choice to="fixed">No</choice></question>
  <question id="status" title="Status light"><text>Status?</text><choice to="fixed">Fine</choice></question>
  <end id="fixed" outcome="resolved"><text>Thanks.</text></end>
</tree>
EOF
run generate-log --tree "$tmp/drift/router.xml" --sessions 50 --seed 6 --out "$tmp/drift/log.db" --append
expect_rc "generate-log --append for version 2" 0
run report --log "$tmp/drift/log.db" --tree "$tmp/drift/router.xml" --format json
py "import json; t = json.loads(open('$tmp/stdout').read())['trees'][0]
d = t['drift']
print([n['node'] for n in d['retired_nodes']], [(l['from'], l['to']) for l in d['retired_links']],
      [n['node'] for n in t['nodes']], [(v['version'], v['sessions'], v['current']) for v in t['versions']],
      d['retired_nodes'][0]['versions'] if d['retired_nodes'] else None)"
expect_equal "nodes and links of the old version are listed apart" "$py" \
    "['lights'] [('power', 'lights'), ('lights', 'fixed')] ['power', 'status', 'fixed'] [(1, 50, False), (2, 50, True)] [1]"
run report --log "$tmp/drift/log.db" --tree "$tmp/drift/router.xml"
expect_line "text lists the drift" '^Version drift: nodes the log has but the tree file does not'

run generate-log --tree "$trees/password-reset.xml" --sessions 20 --seed 2 --out "$tmp/drift/log.db" --append
run report --log "$tmp/drift/log.db" --format json
py "import json; print([(t['tree_id'], t['sessions']['started']) for t in json.loads(open('$tmp/stdout').read())['trees']])"
expect_equal "without --tree every tree in the log has its report" "$py" "[('password-reset', 20), ('router', 100)]"

# [SECTION] bad input ---------------------------------------------------------------------------

run report --log "$tmp/none.db"
expect_rc "a missing log" 1
expect_line "a missing log says so" "no such file" "$err"
if [ -e "$tmp/none.db" ]; then fail "report created the missing log"; else pass; fi

echo "just text" >"$tmp/text.db"
run report --log "$tmp/text.db"
expect_rc "a file that is not SQLite" 1
expect_line "not SQLite says so" "not a Signpost session log: it is not an SQLite database" "$err"

python3 -c "import sqlite3; c = sqlite3.connect('$tmp/other.db'); c.execute('create table t(x)'); c.commit()"
run report --log "$tmp/other.db"
expect_rc "another program's database" 1
expect_line "another database says so" "not a Signpost session log" "$err"

run report --log "$db" --tree "$trees/password-reset.xml"
expect_rc "a tree the log does not have" 1
expect_line "the mismatch names what the log has" "does not match the log: the log has no sessions of it, only of: internet-outage" "$err"

# A log with no calls yet (a fresh one, a report scheduled before the first shift) is no
# mismatch: an empty report, exit 0 (it was exit 1 with --tree).
run generate-log --tree "$trees/password-reset.xml" --sessions 2 --out "$tmp/fresh.db"
python3 -c "import sqlite3; c = sqlite3.connect('$tmp/fresh.db'); c.execute('delete from events'); c.execute('delete from sessions'); c.commit()"
run report --log "$tmp/fresh.db" --tree "$trees/password-reset.xml"
expect_rc "a log with no calls yet, with --tree" 0
expect_line "it says no sessions match" "No sessions match" "$out"

# A jumped-into tree whose file has errors: named as not checked, and its errors said (it
# used to be listed as "without a file", the error never shown).
mkdir -p "$tmp/broken-sub"
cp "$trees/internet-outage.xml" "$trees/identity-verification.xml" "$tmp/broken-sub/"
sed -i 's|<tree format="1"|<tree bogus="x" format="1"|' "$tmp/broken-sub/identity-verification.xml"
run report --log "$db" --tree "$tmp/broken-sub/internet-outage.xml"
expect_rc "a report with a broken jumped-into tree" 0
expect_line "the broken sub-tree's file is named" "identity-verification.xml has errors, so tree 'identity-verification' is not checked for drift" "$err"
expect_line "its error is said with its place" "identity-verification.xml:[0-9]+:[0-9]+: error: unknown attribute 'bogus'" "$err"
expect_line "the report names it as not checked" "Trees jumped into with no file that loads \(not checked for drift\): identity-verification" "$out"

# Two logged files with one version number: only the one that is the library's file now is
# "the current file", with --library as with --tree (both were, by number alone).
mkdir -p "$tmp/vlib"
cp "$trees/password-reset.xml" "$tmp/vlib/"
run generate-log --tree "$tmp/vlib/password-reset.xml" --sessions 3 --out "$tmp/v.db"
sed -i '0,/version="1"/s//version="2"/' "$tmp/vlib/password-reset.xml"
run generate-log --tree "$tmp/vlib/password-reset.xml" --sessions 3 --seed 2 --append --out "$tmp/v.db"
sed -i '0,/title="/s//title="Edited: /' "$tmp/vlib/password-reset.xml"
run generate-log --tree "$tmp/vlib/password-reset.xml" --sessions 3 --seed 3 --append --out "$tmp/v.db"
currents() {
    run report --log "$tmp/v.db" "$@" --format json
    printf '%s' "$out" >"$tmp/v.json"
    py "import json
d = json.load(open('$tmp/v.json'))
print(sorted((v['version'], v['hash'], v['current']) for t in d['trees'] for v in t['versions'] if v['current']))"
}
currents --tree "$tmp/vlib/password-reset.xml"
with_tree=$py
currents --library "$tmp/vlib"
expect_equal "--library marks the same one version current as --tree" "$py" "$with_tree"
expect_line "one version is current" "^\[\(2, '[0-9a-f]+', True\)\]$" "$py"

mkdir -p "$tmp/impostor"
cat >"$tmp/impostor/internet-outage.xml" <<'EOF'
<tree format="1" id="internet-outage" title="Same id, other tree" start="hello">
  <question id="hello" title="Hello"><text>Hi?</text><choice to="bye">Yes</choice></question>
  <end id="bye" outcome="resolved"><text>Bye.</text></end>
</tree>
EOF
run report --log "$db" --tree "$tmp/impostor/internet-outage.xml"
expect_rc "a tree with the same id but none of the nodes" 1
expect_line "the impostor is named" "does not match the log: none of the .* nodes" "$err"

run report --log "$db" --tree "$tmp/missing.xml"
expect_rc "a missing tree file" 1
expect_line "a missing tree file is a report error too" "^signpost report: error: --tree .*missing.xml cannot be used \(see below\)" "$err"

expect_equal "reports so far left the log as it was" "$(fingerprint "$db")" "$before"

# A lock held by another program: exclusive locking mode keeps even readers out.
python3 - "$db" >"$tmp/holder.out" 2>&1 <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE meta SET value = value WHERE key = 'application'")
c.execute("COMMIT")
print("locked", flush=True)
time.sleep(60)
EOF
holder_pid=$!
for _ in $(seq 50); do grep -q locked "$tmp/holder.out" 2>/dev/null && break; sleep 0.1; done
run report --log "$db" --busy-timeout 200
expect_rc "a locked log" 1
expect_line "a locked log says so" "is locked by another program" "$err"
kill "$holder_pid" 2>/dev/null
wait "$holder_pid" 2>/dev/null
holder_pid=

# A log in a folder this user may not write (a supervisor reading the team's log), with
# no -wal/-shm beside it. If nobody can write it (log and folder read-only for all), it is
# read as a snapshot: same figures, nothing created. If someone else still could, reading
# it unlocked could see torn pages: refused, with what to do.
ro=$(mktemp -d)
cp "$db" "$ro/team.db"
chmod 444 "$ro/team.db"
chmod 555 "$ro"
as_reader=()
if [ "$(id -u)" -eq 0 ]; then as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
run report --log "$db" --format json
want=$(sed 's#"log": "[^"]*"#"log": ""#' <<<"$out")
"${as_reader[@]}" "$bin" report --log "$ro/team.db" --format json >"$ro.out" 2>"$ro.err"
rc=$?
expect_equal "report on a read-only log in a read-only folder" "$rc" "0"
expect_equal "the read-only log gives the same figures" "$(sed 's#"log": "[^"]*"#"log": ""#' "$ro.out")" "$want"
expect_equal "nothing is created beside the read-only log" "$(ls -A "$ro")" "team.db"
chmod 755 "$ro"
chmod 644 "$ro/team.db"
chmod 555 "$ro"
"${as_reader[@]}" "$bin" report --log "$ro/team.db" --format json >"$ro.out" 2>"$ro.err"
rc=$?
expect_equal "report on a writable log in a folder the reader cannot write" "$rc" "1"
expect_line "that refusal says what to do" "SQLite needs to create 'team.db-shm'.*copy the log" "$(cat "$ro.err")"
chmod 755 "$ro"
rm -rf "$ro" "$ro.out" "$ro.err"

# Outputs that name an input are refused before anything is written: the log (also
# through a link), the tree, or one output twice.
before=$(fingerprint "$db")
ln -s "$db" "$tmp/link-to-log.db"
for args in "--html $db" "-o $db --format csv" "-o $tmp/link-to-log.db" "-o $db-wal" \
            "--tree $tmp/tree-copy.xml -o $tmp/tree-copy.xml"; do
    cp "$trees/internet-outage.xml" "$tmp/tree-copy.xml"
    # shellcheck disable=SC2086
    run report --log "$db" $args
    expect_rc "report $args" 2
    expect_line "report $args says why" "which the report only reads; write the report to another file" "$err"
    cmp -s "$tmp/tree-copy.xml" "$trees/internet-outage.xml" && pass || fail "report $args changed the tree"
done
expect_equal "outputs naming the log leave it as it was" "$(fingerprint "$db")" "$before"
run report --log "$db" -o "$tmp/same.out" --html "$tmp/./same.out" --format json
expect_rc "-o and --html the same file" 2
expect_line "-o and --html the same file says so" "name the same file" "$err"
[ -e "$tmp/same.out" ] && fail "-o and --html the same file: something was written" || pass
# --html with -o and no --format: the text report goes to -o (it used to go nowhere).
run report --log "$db" --html "$tmp/with-o.html" -o "$tmp/with-o.txt"
expect_rc "--html and -o" 0
expect_line "--html and -o writes the text report to -o" "^internet-outage \(internet-outage\)" \
    "$(cat "$tmp/with-o.txt" 2>/dev/null)"
[ -s "$tmp/with-o.html" ] && pass || fail "--html and -o: no HTML page"
rm -f "$tmp/link-to-log.db" "$tmp/tree-copy.xml" "$tmp/with-o.html" "$tmp/with-o.txt"

# Everything above read the log, through every path of the report: it must be as it was.
# (The lock holder above wrote the same value back, which changes nothing but SQLite's
# change counter and the WAL, so the fingerprint is taken again after it.)
before=$(fingerprint "$db")
run report --log "$db" --tree "$trees/internet-outage.xml" --by-agent --html "$tmp/again.html" --format csv
run report --log "$db" --since 2025-01-07 --format json
run report --log "$db" --tree "$trees/password-reset.xml"
expect_equal "reports never change the log (bytes, times, companion files)" "$(fingerprint "$db")" "$before"

# Chinese, Japanese and Korean characters take two columns on a terminal: a Japanese
# script's tables line up, and long titles are cut by columns, not characters.
run generate-log --tree "$trees/vpn-trouble-ja.xml" --sessions 30 --seed 4 --out "$tmp/ja.db"
run report --log "$tmp/ja.db" --tree "$trees/vpn-trouble-ja.xml"
printf '%s\n' "$out" > "$tmp/ja-report.txt"
py "
import re, unicodedata
def cols(s): return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open('$tmp/ja-report.txt', encoding='utf-8').read().split('\n')
start = next(i for i, l in enumerate(lines) if l.startswith('Nodes')) + 1
kinds, titles = set(), set()
for l in lines[start:]:
    if not l.strip(): break
    for kind in ('Kind', 'question', 'form', 'step', 'logic', 'end', 'escalate'):
        i = l.find('  ' + kind + ' ')
        if i >= 0:
            kinds.add(cols(l[:i]))
            break
    titles.add(cols(re.split(' {2,}', l.strip())[1]))
print(len(kinds), max(titles))
"
# The longest title is cut to the column's 28: 13 wide characters and the ellipsis.
expect_equal "a Japanese script's node table lines up in terminal columns" "$py" "1 27"

# [SECTION] escalations by priority ------------------------------------------------------------

# A log from before priorities were recorded (log schema 2: one escalation to Billing), with
# calls added by generate-log: the old escalation is of unknown priority, the new ones have
# the priorities of the escalate nodes they ended on. Every format gives the log's counts.
mkdir -p "$tmp/prio"
prio_tree=$src/tests/data/handoffs.xml
prio_db=$tmp/prio/log.db
python3 -c "import sqlite3; sqlite3.connect('$prio_db').executescript(open('$src/tests/data/logs/schema-2.sql').read())"
run generate-log --tree "$prio_tree" --sessions 80 --seed 5 --append --out "$prio_db"
expect_rc "generate-log --append to a schema 2 log" 0
py "import sqlite3; c = sqlite3.connect('file:$prio_db?mode=ro', uri=True)
n = dict(c.execute(\"select ifnull(priority, 'unknown'), count(*) from sessions where status = 'escalated' group by 1\").fetchall())
print(c.execute(\"select value from meta where key = 'schema_version'\").fetchone()[0], *(n.get(p, 0) for p in ('urgent', 'high', 'normal', 'low', 'unknown')))"
read -r prio_schema urgent high normal low unknown <<<"$py"
expect_equal "the log was updated, its old escalation kept without a priority" "$prio_schema $low $unknown" "3 0 1"
if [ "${urgent:-0}" -gt 0 ] && [ "${high:-0}" -gt 0 ] && [ "${normal:-0}" -gt 0 ]; then pass; else
    fail "generated calls escalate at every priority of the tree: got '$py'"
fi

run report --log "$prio_db" --tree "$prio_tree"
expect_rc "report (text) of escalations by priority" 0
expect_line "text: urgent escalations" "^    of which urgent +$urgent\$"
expect_line "text: escalations from before priorities" "^    of which unknown priority +1\$"
billing_total=$((urgent + high + unknown))
expect_line "text: Billing's total" "^  escalated to Billing +$billing_total +[0-9.]+%\$"
# Under it, by priority, with no share: the share column still adds up to 100%.
expect_line "text: Billing's urgent hand-offs under its total" "^    escalated to Billing \(urgent\) +$urgent\$"
expect_line "text: Billing's old hand-off" "^    escalated to Billing \(unknown priority\) +1\$"
expect_line "text: a team with one priority is one row" "^  escalated to Network \(normal\) +$normal +[0-9.]+%\$"

run report --log "$prio_db" --tree "$prio_tree" --format json
py "import json; t = json.loads(open('$tmp/stdout').read())['trees'][0]
b = [o for o in t['outcomes'] if o['status'] == 'escalated' and o['outcome'] == 'Billing'][0]['by_priority']
print(*t['sessions']['escalated_by_priority'].values(), b['urgent'], b['high'], b['unknown'])"
expect_equal "json: escalations by priority, and Billing's" "$py" "$urgent $high $normal 0 1 $urgent $high 1"

run report --log "$prio_db" --tree "$prio_tree" --format csv
expect_line "csv: urgent escalations" "^handoffs,sessions,,escalated_urgent,$urgent\$"
expect_line "csv: Billing's hand-offs of unknown priority" "^handoffs,outcome,escalated:Billing,sessions_unknown,1\$"

run report --log "$prio_db" --tree "$prio_tree" --html "$tmp/prio/report.html"
expect_rc "report --html of escalations by priority" 0
expect_line "html: escalations by priority" \
    "Escalations by priority: urgent $urgent, high $high, normal $normal, unknown priority 1\." "$(cat "$tmp/prio/report.html")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
