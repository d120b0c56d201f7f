#!/usr/bin/env bash
# recur.t: cases that live: a resolved case that draws a fresh complaint reopens (an event names
# the report), notified and ignored ones recur without changing, --todo finds what needs a
# person, reopen_states chooses, reparse counts nothing twice; `cases` lists every case.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 14
: > "$WORK/empty.conf"
export ARFDESK_CONFIG=$WORK/empty.conf USER=alice
run() { "$ARFDESK" -d "$WORK/r.db" "$@"; }
# fresh IP N: arf-basic from IP N, seen a minute from now, an original of its own.
fresh() {
	now=$(date -u -R -d '+1 minute')
	sed "s/^Arrival-Date: .*/Arrival-Date: $now/; s/^Source-IP: .*/Source-IP: $1/; s/^Message-ID: <2024/Message-ID: <$1-$2-2024/" \
		"$P/arf-basic.eml" > "$WORK/fresh-$1-$2.eml"
	echo "$WORK/fresh-$1-$2.eml"
}
state() { run case --json "ip:$1" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["state"], c["recurring"], c.get("recurring_since", "-"))'; }

for ip in 192.0.2.31 192.0.2.32 192.0.2.33 192.0.2.34; do run import -q "$(fresh $ip 0)"; done
run case ip:192.0.2.31 --state resolved >/dev/null
run case ip:192.0.2.32 --state notified >/dev/null
run case ip:192.0.2.33 --state ignored >/dev/null
run case ip:192.0.2.34 --state resolved >/dev/null
sleep 1
# Old news: a complaint about spam seen before the case was resolved does not reopen it.
sed "s/^Source-IP: .*/Source-IP: 192.0.2.34/; s/^Message-ID: <2024/Message-ID: <old-2024/" "$P/arf-basic.eml" > "$WORK/old.eml"
run import -q "$WORK/old.eml"
for ip in 192.0.2.31 192.0.2.32 192.0.2.33; do run import -q "$(fresh $ip 1)"; done

is "$(state 192.0.2.31)" "open 1 resolved" "resolved + a fresh complaint: open again, recurring"
like "$(run case ip:192.0.2.31)" "resolved -> open, reopened: report [0-9]+, seen .*, came after it was resolved" \
	"the reopening is in the history, with the report"
is "$(run case --json ip:192.0.2.31 | python3 -c 'import json,sys; print([(e["user"], e["action"]) for e in json.load(sys.stdin)["history"]][-1])')" \
	"('arfdesk', 'reopen')" "... recorded by arfdesk as a reopen"
is "$(state 192.0.2.32)" "notified 1 notified" "notified: stays notified, recurring"
is "$(state 192.0.2.33)" "ignored 1 ignored" "ignored: stays ignored, still counts"
is "$(state 192.0.2.34)" "resolved 0 -" "a complaint about older spam does not reopen"
like "$(run groups --by ip)" "192.0.2.32 .* notified, 1 since notified on [0-9-]+" "groups: says the recurrence"
is "$(run groups --by ip --todo --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['192.0.2.31', '192.0.2.32']" "groups --todo: new, open and recurring (not ignored, not quiet resolved)"
# Every group is a case: the network and the domain of these complaints are new, so to do.
is "$(run cases --todo --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['192.0.2.0/24', '192.0.2.31', '192.0.2.32', 'watches-example.com']" "cases --todo: the recurring and the new"

# reparse writes the reports again: nothing recurs twice.
run reparse >/dev/null
is "$(state 192.0.2.32)" "notified 1 notified" "reparse: no recurrence counted again"

# reopen_states: notified reopens too.
printf 'reopen_states = notified resolved\n' > "$WORK/reopen.conf"
ARFDESK_CONFIG=$WORK/reopen.conf run import -q "$(fresh 192.0.2.32 2)"
is "$(state 192.0.2.32)" "open 2 notified" "reopen_states = notified resolved: notified reopens"

# cases: the worked cases, with or without reports, filtered.
run case ip:203.0.113.250 --state open --take >/dev/null 2>&1
is "$(run cases --json --sort key | python3 -c 'import json,sys; print(" ".join("%s:%s" % (c["key"], c["reports"]) for c in map(json.loads, sys.stdin)))')" \
	"watches-example.com:9 192.0.2.31:2 192.0.2.32:3 192.0.2.33:2 192.0.2.34:2 203.0.113.250:0 192.0.2.0/24:9" \
	"cases: every case, by kind and key, one without reports too"
is "$(run cases --mine --json | python3 -c 'import json,sys; print([json.loads(l)["key"] for l in sys.stdin])'):$(run cases --state ignored --json | wc -l | tr -d ' ')" \
	"['203.0.113.250']:1" "cases --mine, --state"
is "$(run cases --unassigned --kind ip --json | wc -l | tr -d ' '):$(run cases --kind domain --json | wc -l | tr -d ' ')" "4:1" \
	"cases --unassigned, --kind"
