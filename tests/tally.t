#!/usr/bin/env bash
# tally.t: the counts cases keep (written with the reports) say what a count over the reports
# says: per kind, in time windows whose ends fall inside a day or on midnight, for another class,
# after a second import, two imports at once, a reparse that moves reports, a new customer list
# and an upgrade from an old schema; a worked case keeps its row when its reports go, an
# untouched one goes; a reparse cut short is said.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 17
export ARFDESK_CONFIG=/dev/null
DB=$WORK/t.db
run() { "$ARFDESK" -d "$DB" "$@"; }

# check.py DB KIND [SINCE UNTIL TYPE]: what `groups --json` should print, counted from the
# reports in Python (not arfdesk's SQL), one line per group sorted by key: key, count, not-spam,
# first seen of all time, last seen in the window, distinct reporters of all time.
cat > "$WORK/check.py" <<'EOF'
import sqlite3, sys
db, kind = sys.argv[1], sys.argv[2]
since = int(sys.argv[3]) if len(sys.argv) > 3 else 0
until = int(sys.argv[4]) if len(sys.argv) > 4 else 0
cls = sys.argv[5] if len(sys.argv) > 5 else "spam"
spam = {"abuse", "fraud", "virus", "spam"}
con = sqlite3.connect(db)
rows = con.execute("SELECT id, source_ip, source_net, customer, seen_at, class, reporter"
                   " FROM reports WHERE duplicate_of IS NULL AND class IS NOT NULL").fetchall()
doms = {}
for rid, dom in con.execute("SELECT report_id, domain FROM report_domains"):
    doms.setdefault(rid, []).append(dom)
def counted(c):
    return c in spam if cls == "spam" else True if cls == "all" else c == cls
groups = {}
for rid, ip, net, cust, seen, c, reporter in rows:
    keys = {"ip": [ip], "net": [net], "customer": [cust], "domain": doms.get(rid, [])}[kind]
    for k in keys:
        if k is None:
            continue
        g = groups.setdefault(k, {"n": 0, "ns": 0, "first": None, "last": None, "who": set()})
        if counted(c) and (g["first"] is None or seen < g["first"]):
            g["first"] = seen
        if c in spam and reporter is not None:
            g["who"].add(reporter)
        if seen < since or (until and seen >= until):
            continue
        if counted(c):
            g["n"] += 1
            g["last"] = seen if g["last"] is None else max(g["last"], seen)
        if c == "not-spam":
            g["ns"] += 1
for k in sorted(groups):
    g = groups[k]
    if g["n"] > 0:
        print(k, g["n"], g["ns"], g["first"], g["last"], len(g["who"]))
EOF
# got KIND [ARGS]: the same from arfdesk groups --json.
cat > "$WORK/got.py" <<'EOF'
import calendar, json, sys, time
def t(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ")) if s else None
rows = [json.loads(l) for l in sys.stdin]
for g in sorted(rows, key=lambda g: g["key"]):
    print(g["key"], g["reports"], g["not_spam"], t(g["first_seen"]), t(g["last_seen"]), g["reporters"])
EOF
expect() { python3 "$WORK/check.py" "$DB" "$@"; }
got() {
	kind=$1; shift
	run groups --by "$kind" --json "$@" | python3 "$WORK/got.py"
}
iso() { date -u -d "@$1" '+%Y-%m-%dT%H:%M:%S'; }
# every kind, every group, all time
all_kinds() {
	bad=""
	for kind in ip net domain customer; do
		[ "$(got "$kind")" = "$(expect "$kind")" ] || bad="$bad $kind"
	done
	# ... and the weeks say what their days say
	[ "$(sqlite3 "$DB" 'SELECT kind, day / 7, case_id, class, SUM(reports), MAX(last_seen)
	    FROM case_days GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4')" = "$(sqlite3 "$DB" 'SELECT
	    kind, week, case_id, class, reports, last_seen FROM case_weeks ORDER BY 1, 2, 3, 4')" ] ||
		bad="$bad weeks"
	echo "${bad:-same}"
}

# 400 feedback-loop complaints over November, the parser fixtures (forwards, X-ARF, SpamCop,
# not-spam, auth-failure, repeats) and customers.
python3 "$TOP/bench/gen-arf.py" --count 400 --out "$WORK/gen" --seed 3 --format mbox 2>/dev/null
cat > "$WORK/customers.csv" <<'CSV'
id,name,email,networks,domains
c-1,One,one@example.net,192.0.2.0/25,watches-example.com
c-2,Two,two@example.net,198.51.100.0/24 2001:db8::/32,
CSV
run customers import "$WORK/customers.csv" >/dev/null
run import -q "$WORK/gen/complaints.mbox"
run import -q "$P"/*.eml 2>/dev/null
is "$(expect ip | wc -l | tr -d ' '):$(expect customer | wc -l | tr -d ' ')" "$(run groups --json | wc -l | tr -d ' '):2" \
	"the data: as many IP groups as counted, both customers hit"
is "$(all_kinds)" same "every kind: the kept counts are the reports' counts"

# Windows: ends inside a day, on midnight, both in one day, one end only.
lo=$(run reports --json | python3 -c 'import json,sys; print(min(json.loads(l)["seen_at"] for l in sys.stdin))')
lo=$(date -u -d "$lo" +%s)
mid=$(( (lo / 86400 + 5) * 86400 ))
# the first midnight that starts a week of case_weeks (day / 7) in the generated November
nov=$(date -u -d 2026-11-01 +%s)
wk=$(( (nov / 86400 / 7 + 1) * 7 * 86400 ))
bad=""
for w in "$((lo + 3 * 86400 + 4321)) $((lo + 11 * 86400 + 777))" "$mid $((mid + 7 * 86400))" \
    "$((mid + 3600)) $((mid + 7200))" "$((mid + 43210)) 0" "0 $((mid - 1))" "$((mid - 86399)) $((mid + 1))" \
    "$wk $((wk + 14 * 86400))" "$((wk - 86400 + 5)) $((wk + 21 * 86400 + 100))" \
    "$((wk + 1)) $((wk + 7 * 86400 - 1))" "$((wk - 3 * 86400)) $((wk + 7 * 86400))" "0 $((wk + 7 * 86400 + 1))" \
    "$((wk + 3 * 86400 + 50)) $((wk + 17 * 86400 + 999))" "$((wk + 86400 * 9 / 2)) 0"; do
	set -- $w
	args="--since $(iso "$1")"
	[ "$1" -eq 0 ] && args="--since 1970-01-01"
	[ "$2" -ne 0 ] && args="$args --until $(iso "$2")"
	for kind in ip domain; do
		# shellcheck disable=SC2086
		[ "$(got "$kind" $args)" = "$(expect "$kind" "$1" "$2")" ] || bad="$bad [$kind $args]"
	done
done
is "${bad:-same}" same "windows: whole weeks and days from their counts, the edges from the reports"
is "$(got net --type all --since "$(iso "$mid")")" "$(expect net "$mid" 0 all)" "--type all in a window"
is "$(got ip --type not-spam)" "$(expect ip 0 0 not-spam)" "--type not-spam"

# The same mail again adds nothing; more mail adds to the counts.
run import -q "$WORK/gen/complaints.mbox"
python3 "$TOP/bench/gen-arf.py" --count 100 --out "$WORK/gen2" --seed 4 --format mbox 2>/dev/null
run import -q "$WORK/gen2/complaints.mbox"
is "$(all_kinds)" same "after a second import: the same counts as the reports"

# Two imports at once (and a colleague's change between their transactions) add up.
python3 "$TOP/bench/gen-arf.py" --count 300 --out "$WORK/gen5" --seed 5 --format mbox 2>/dev/null
python3 "$TOP/bench/gen-arf.py" --count 300 --out "$WORK/gen6" --seed 6 --format mbox 2>/dev/null
run import -q "$WORK/gen5/complaints.mbox" & one=$!
run import -q "$WORK/gen6/complaints.mbox" & two=$!
run case ip:192.0.2.77 --note "while importing" >/dev/null 2>&1
wait $one; rc1=$?
wait $two; rc2=$?
is "$rc1$rc2:$(all_kinds)" "00:same" "two imports at once: the same counts as the reports"

# A worked case whose reports a reparse moves elsewhere keeps its row; an untouched one goes.
# trust.eml's source is its last untrusted hop: trusting it moves the report to the hop before.
# Two addresses no other report came from (the generated mail uses the documentation ranges).
set -- $(run groups --json --by ip | python3 -c '
import json, sys
used = {json.loads(l)["key"] for l in sys.stdin}
print(" ".join([a for a in ("203.0.113.%d" % n for n in range(254, 1, -1)) if a not in used][:2]))')
worked=$1 untouched=$2
for ip in "$worked" "$untouched"; do
	sed "s/203\.0\.113\.9\b/$ip/g; s/<spam-1@/<spam-$ip@/" "$TOP/tests/data/trust.eml" > "$WORK/trust-$ip.eml"
	run import -q "$WORK/trust-$ip.eml"
done
run case "ip:$worked" --state open --note "looking" >/dev/null
before=$(run cases --json --kind ip | python3 -c 'import json,sys; c={g["key"]: g["reports"] for g in map(json.loads, sys.stdin)}; print(c.get(sys.argv[1]), c.get(sys.argv[2]))' "$worked" "$untouched")
run settings set trusted_networks "$worked/32 $untouched/32" >/dev/null
run reparse >/dev/null 2>&1
is "$(all_kinds)" same "after a reparse that moves reports: the same counts"
is "$before / $(run cases --json --kind ip | python3 -c '
import json, sys
c = {g["key"]: g for g in map(json.loads, sys.stdin)}
print(c[sys.argv[1]]["state"], c[sys.argv[1]]["reports"], sys.argv[2] in c)' "$worked" "$untouched")" "1 1 / open 0 False" \
	"the worked case stays (no reports now), the untouched one is gone"
run settings unset trusted_networks >/dev/null
run reparse >/dev/null 2>&1
is "$(run case --json "ip:$worked" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["state"], c["reports"])')" \
	"open 1" "a reparse that gives the report back: the case counts it again"

# A new customer list moves complaints between customers.
cat > "$WORK/customers2.csv" <<'CSV'
id,name,email,networks,domains
c-2,Two,two@example.net,192.0.2.0/24,
c-3,Three,three@example.net,198.51.100.0/25 203.0.113.0/24,
CSV
run customers import "$WORK/customers2.csv" >/dev/null
is "$(all_kinds)" same "after a new customer list: the same counts"
is "$(run groups --by customer --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['c-2', 'c-3']" "... and c-1's complaints are nobody's now"

# The case view and the listings read the same counts.
top=$(run groups --by domain --json --limit 1)
key=$(printf '%s' "$top" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
is "$(run case --json "domain:$key" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["reports"], c["reporters"], c["first_seen"], c["last_seen"])')" \
	"$(printf '%s' "$top" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["reports"], c["reporters"], c["first_seen"], c["last_seen"])')" \
	"case and groups agree"
is "$(run cases --json --kind domain --sort reports --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')" \
	"$key" "cases --sort reports: the biggest first"

# A reparse cut short leaves a mark that the readers show.
sqlite3 "$DB" "INSERT INTO store_flags VALUES ('tally-stale')"
like "$(run groups 2>&1 >/dev/null)" "counts of the cases are behind the reports" "a reparse cut short is said"
run reparse >/dev/null 2>&1
is "$(run groups 2>&1 >/dev/null)" "" "... until a reparse finishes"

# An old database (schema 2) gets its counts when it is upgraded.
sqlite3 "$WORK/old.db" < "$TOP/tests/data/schema-2.sql"
"$ARFDESK" -d "$WORK/old.db" import -q "$P/arf-basic.eml"
DB=$WORK/old.db
is "$(all_kinds)" same "an upgraded database: counted from its reports"
done_testing
