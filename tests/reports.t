#!/usr/bin/env bash
# reports.t: reports streams what it lists: over 120,000 reports its peak memory is that of 500,
# as a table and as JSON Lines, and the table is still one table, aligned, its keys never cut.
. "$(dirname "$0")/lib/tap.sh"
plan 14

skip() {	# skip NAME REASON
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# Under ASan, RSS says nothing (shadow memory, and a quarantine that keeps what is freed) and every
# run is four times slower: the memory is not measured there, and a smaller database serves the
# other checks.
asan=0
if [ -n "${ASAN_OPTIONS:-}" ] || ldd "$ARFDESK" 2>/dev/null | grep -q libasan; then
	asan=1
fi
N=120000
[ "$asan" -eq 1 ] && N=50000

# Importing 120,000 generated complaints takes half a minute, so 500 are imported (twice: the
# small database is the baseline) and the big database gets N / 500 - 1 more copies of them by
# SQL, with new ids and sha256 values and a placeholder raw message (reports never reads raw;
# nor fields and auth_results, left out to keep the file small).
python3 "$TOP/bench/gen-arf.py" --count 500 --out "$WORK/gen" --seed 7 --format mbox 2>/dev/null
"$ARFDESK" -d "$WORK/small.db" import -q "$WORK/gen/complaints.mbox"
"$ARFDESK" -d "$WORK/big.db" import -q "$WORK/gen/complaints.mbox"
sqlite3 "$WORK/big.db" > /dev/null <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
-- The indexes are filled in random order: a cache of 64 MB halves the time.
PRAGMA cache_size = -65536;
CREATE TEMP TABLE copies (n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $((N / 500 - 1)))
INSERT INTO copies SELECT n FROM c;
CREATE TEMP TABLE base AS SELECT MAX(id) AS b FROM messages;
BEGIN;
INSERT INTO messages (id, source, source_pos, sha256, raw, size, imported_at, parse_status,
    parse_error)
SELECT m.id + c.n * base.b, m.source, m.source_pos, printf('%064x', m.id + c.n * base.b),
    CAST('copy' AS BLOB), 4, m.imported_at, m.parse_status, m.parse_error
FROM messages m, copies c, base WHERE m.id <= base.b;
INSERT INTO reports (id, message_id, sample, format, feedback_type, user_agent, version, reporter,
    arrival_date, seen_at, source_ip, source_ip_rule, source_net, reported_domain,
    original_mail_from, original_rcpt_to, original_message_id, original_subject, incidents, class)
SELECT r.id + c.n * base.b, r.message_id + c.n * base.b, sample, format, feedback_type,
    user_agent, version, reporter, arrival_date,
    seen_at, source_ip, source_ip_rule, source_net, reported_domain, original_mail_from,
    original_rcpt_to, original_message_id, original_subject, incidents, class
FROM reports r, copies c, base WHERE r.id <= base.b;
INSERT INTO report_urls (report_id, position, url, host, registrable_domain)
SELECT u.report_id + c.n * base.b, position, url, host, registrable_domain
FROM report_urls u, copies c, base WHERE u.report_id <= base.b;
INSERT INTO report_domains (report_id, domain, seen_at, class)
SELECT d.report_id + c.n * base.b, domain, seen_at, class
FROM report_domains d, copies c, base WHERE d.report_id <= base.b;
COMMIT;
PRAGMA journal_mode = WAL;
EOF
is "$(sqlite3 "$WORK/big.db" 'SELECT COUNT(*), MAX(id) FROM reports')" "$N|$N" \
	"the big database holds $N reports"

# peak_rss OUT ARGS...: run arfdesk ARGS with standard output to OUT; print its peak RSS in kB
# (-1 when it failed). Linux charges the child Python's own RSS (about 13 MB) at exec, a floor
# that the small and the big database share.
peak_rss() {
	python3 -c '
import os, sys
out = [(os.POSIX_SPAWN_OPEN, 1, sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ, file_actions=out)
_, status, ru = os.wait4(pid, 0)
print(ru.ru_maxrss if os.waitstatus_to_exitcode(status) == 0 else -1)' "$@"
}

small_table=$(peak_rss "$WORK/small.txt" "$ARFDESK" -d "$WORK/small.db" reports)
small_json=$(peak_rss "$WORK/small.json" "$ARFDESK" -d "$WORK/small.db" reports --json)
big_table=$(peak_rss "$WORK/big.txt" "$ARFDESK" -d "$WORK/big.db" reports)
big_json=$(peak_rss "$WORK/big.json" "$ARFDESK" -d "$WORK/big.db" reports --json)
echo "# peak RSS (kB): table $small_table at 500 reports, $big_table at $N;" \
	"JSON $small_json and $big_json"

# Holding every row costs about 700 bytes a row (80 MB at 120,000); 12 MB over the small
# database's peak is 100 bytes a row.
if [ "$asan" -eq 1 ]; then
	skip "table: peak RSS at $N reports within 12 MB of 500's" "under ASan"
	skip "JSON: peak RSS at $N reports within 12 MB of 500's" "under ASan"
else
	[ "$small_table" -gt 0 ] && [ "$big_table" -gt 0 ] &&
		[ "$big_table" -lt $((small_table + 12 * 1024)) ]
	ok $? "table: peak RSS at $N reports within 12 MB of 500's ($big_table kB, $small_table kB)"
	[ "$small_json" -gt 0 ] && [ "$big_json" -gt 0 ] &&
		[ "$big_json" -lt $((small_json + 12 * 1024)) ]
	ok $? "JSON: peak RSS at $N reports within 12 MB of 500's ($big_json kB, $small_json kB)"
fi

is "$(wc -l < "$WORK/big.txt" | tr -d ' ')" $((N + 1)) "table: a title line and $N rows"
is "$(wc -l < "$WORK/big.json" | tr -d ' ')" "$N" "JSON: $N lines"

# Reports come in the order the spam was seen, copies (seen at the same time) by id: the last is
# the last copy of the small database's last, the same object but for its ids.
is "$(python3 -c '
import json, sys
big, small = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ids = ("id", "message_id", "imported_at")	# the two databases were imported apart
print(big["id"] - small["id"], {k: v for k, v in big.items() if k not in ids} == {k: v for k, v in small.items() if k not in ids})' \
	"$(tail -n 1 "$WORK/big.json")" "$(tail -n 1 "$WORK/small.json")")" "$((N - 500)) True" \
	"JSON: the last line is the last copy of the small database's last"
is "$(python3 -c '
import json, sys
big, small = json.loads(sys.argv[1]), json.loads(sys.argv[2])
big.pop("imported_at"); small.pop("imported_at")
print(big == small)' "$(head -n 1 "$WORK/big.json")" "$(head -n 1 "$WORK/small.json")")" True \
	"JSON: the first line is report 1"

# Display width as the table counts it: wide characters take two columns, combining ones none.
cat > "$WORK/table.py" <<'EOF'
import json, sys, unicodedata

def width(c):
	if unicodedata.combining(c):
		return 0
	return 2 if unicodedata.east_asian_width(c) in "WF" else 1

def cells(line, starts):
	"""The text at each display column start up to the next one (the last to the end)."""
	if line.isascii():
		return [line[s:e] for s, e in zip(starts, [*starts[1:], len(line) + 1])]
	col, at = 0, []
	for c in line:
		at.append(col)
		col += width(c)
	out = []
	for k, s in enumerate(starts):
		e = starts[k + 1] if k + 1 < len(starts) else col + 1
		out.append("".join(c for c, a in zip(line, at) if s <= a < e))
	return out

titles = ["SEEN (UTC)", "FORMAT", "TYPE", "SOURCE IP", "DOMAINS", "SUBJECT"]
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
header = lines[0]
id_width = header.index("ID") + 2
starts = [0, *(header.index(t) for t in titles)]

def row(line):
	got = cells(line, starts)
	return [got[0].strip()] + [g.rstrip() for g in got[1:]]

what = sys.argv[2]
if what == "aligned":
	# Every line has its cells at the header's columns: the ID right-aligned in its own width,
	# two spaces before each column, and no cell starting with a space (empty ones print "-").
	bad = 0
	for n, line in enumerate(lines[1:], 2):
		got = cells(line, starts)
		ok = got[0][:id_width].lstrip().isdigit() and got[0][id_width:] == "  "
		for k, g in enumerate(got[1:], 1):
			last = k == len(titles)
			ok = ok and g != "" and not g.startswith(" ") and (last or g.endswith("  "))
		if not ok:
			bad += 1
			if bad <= 3:
				print("line %d: %r" % (n, line))
	print("aligned" if bad == 0 else "%d lines not aligned" % bad)
else:
	# One row against its JSON line and the seen time: cut text ends in "~" and begins the same.
	line = lines[1] if what == "first" else lines[-1]
	obj = json.loads(sys.argv[3])
	want = [str(obj["id"]), sys.argv[4], obj["format"], obj["feedback_type"] or "-",
		obj["source_ip"] or "-", ",".join(obj["domains"]) or "-",
		obj["original_subject"] or "-"]
	got = row(line)
	for g, w in zip(got, want):
		if g != w and not (g.endswith("~") and w.startswith(g[:-1])):
			print("got %r, wanted %r" % (got, want))
			break
	else:
		print("%s %s" % (what, got[0]))
EOF
is "$(python3 "$WORK/table.py" "$WORK/big.txt" aligned)" aligned \
	"table: every line at the title line's columns, IDs right-aligned"
like "$(head -n 1 "$WORK/big.txt")" "^$(printf '%*s' ${#N} ID)  SEEN \(UTC\) +FORMAT +TYPE +SOURCE IP +DOMAINS +SUBJECT$" \
	"table: the ID column is as wide as the widest ID, all columns shown at 200 columns"
like "$(cat "$WORK/big.txt")" "~  " "table: at 200 columns the domains are cut with ~"
seen() { sqlite3 "$WORK/big.db" "SELECT strftime('%Y-%m-%d %H:%M', seen_at, 'unixepoch') FROM reports WHERE id = $1"; }
first=$(head -n 1 "$WORK/big.json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
last=$(tail -n 1 "$WORK/big.json" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
is "$(python3 "$WORK/table.py" "$WORK/big.txt" first "$(head -n 1 "$WORK/big.json")" "$(seen "$first")")" \
	"first $first" "table: the first row is the JSON's first, its cells right"
is "$(python3 "$WORK/table.py" "$WORK/big.txt" last "$(tail -n 1 "$WORK/big.json")" "$(seen "$last")")" \
	"last $last" "table: the last row is the JSON's last, its cells right"

# Narrow: the optional columns are left out and the domains cut, but no ID, long or short.
COLUMNS=40 "$ARFDESK" -d "$WORK/big.db" reports --since 2026-11-29 > "$WORK/narrow.txt"
is "$(head -n 1 "$WORK/narrow.txt" | tr -s ' ')" " ID SEEN (UTC) SOURCE IP DOMAINS" \
	"table at 40 columns: the optional columns are left out"
is "$(awk 'NR > 1 { print $1 }' "$WORK/narrow.txt" | tr '\n' ' ')" \
	"$("$ARFDESK" -d "$WORK/big.db" reports --json --since 2026-11-29 |
		python3 -c 'import json, sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin), end=" ")')" \
	"table at 40 columns: every ID whole"

done_testing
