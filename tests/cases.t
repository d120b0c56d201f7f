#!/usr/bin/env bash
# cases.t: working cases: many at once (operands, or keys and `groups --json` lines on standard
# input) in one transaction, every note kept in order, assignment with its history, and a look
# at a case that never creates a database.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 25
export ARFDESK_CONFIG=/dev/null USER=alice
run() { "$ARFDESK" -d "$WORK/c.db" "$@"; }
hist() { run case --json "$1" | python3 -c 'import json,sys; print(" ".join("%s:%s>%s%s" % (e["action"], e.get("from", ""), e.get("to", ""), e.get("note", "")) for e in json.load(sys.stdin)["history"]))'; }

run import -q "$P/arf-basic.eml" "$P/fwd-several.eml"

# Bulk from standard input: groups --json lines, a comment, a blank line, a bare key.
out=$( { run groups --by ip --json; printf '# and the network\n\nnet:192.0.2.0/24\n'; } |
	run case - --state open --note "wave 1" 2>"$WORK/err")
is "$(echo "$out" | wc -l | tr -d ' ')" 5 "case -: every key of standard input"
is "$(cat "$WORK/err")" "arfdesk: 5 cases changed" "case -: says how many changed"
is "$(sqlite3 "$WORK/c.db" "SELECT COUNT(*) FROM cases WHERE state = 'open'")" 5 "case -: all five open"

# One bad line: nothing changes at all.
rc=0; printf 'ip:203.0.113.41\nip:not-an-ip\n' | run case - --state resolved >/dev/null 2>"$WORK/err" || rc=$?
is "$rc:$(sqlite3 "$WORK/c.db" "SELECT COUNT(*) FROM cases WHERE state = 'resolved'")" "2:0" "a bad key: usage error, no case changed"
like "$(cat "$WORK/err")" "standard input, line 2: not a case" "a bad key: its line is named"

# Several operands, every note in order.
run case ip:203.0.113.41 ip:198.51.100.77 --note one --note two --note three >/dev/null 2>&1
is "$(hist ip:203.0.113.41)" "state:new>open note:>wave 1 note:>one note:>two note:>three" "every --note kept, in order"

# Assignment: to someone, to oneself, to nobody; the same again records nothing.
run case ip:192.0.2.25 --assign bob >/dev/null
run case ip:192.0.2.25 --assign bob >/dev/null
run case ip:192.0.2.25 --take >/dev/null
run case ip:192.0.2.25 --unassign >/dev/null
is "$(hist ip:192.0.2.25)" "state:new>open note:>wave 1 assign:>bob assign:bob>alice assign:alice>" "assign, take, unassign: each recorded once"
run case ip:192.0.2.25 --take >/dev/null
like "$(run case ip:192.0.2.25)" "Assignee: alice" "case shows the assignee"
is "$(run case --json ip:192.0.2.25 | python3 -c 'import json,sys; print(json.load(sys.stdin)["assignee"])')" alice "case --json: assignee"
rc=0; run case ip:192.0.2.25 --take --unassign >/dev/null 2>&1 || rc=$?
is "$rc" 2 "--take and --unassign together: usage error"

# Looking never creates a database; changing does.
rc=0; "$ARFDESK" -d "$WORK/none.db" case ip:192.0.2.1 >/dev/null 2>&1 || rc=$?
is "$rc:$([ -e "$WORK/none.db" ] && echo created || echo absent)" "1:absent" "looking at a case in no database: nothing created"
"$ARFDESK" -d "$WORK/new.db" case ip:192.0.2.1 --state open >/dev/null 2>&1
is "$(sqlite3 "$WORK/new.db" "SELECT state FROM cases")" open "a change to a case in a new database creates it"

# Time: --until, --imported-since, --reverse; a date not in the calendar is a usage error.
ids() { python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["id"]) for l in sys.stdin))'; }
is "$(run reports --json --until 2024-07-02 | ids)" "1 2" "reports --until: seen before"
is "$(run reports --json --reverse --limit 2 | ids)" "4 3" "reports --reverse: newest first"
is "$(run reports --json --imported-since 1h | ids):$(run reports --json --imported-since 2099-01-01 | ids)" "1 2 3 4:" \
	"reports --imported-since: by import time"
is "$(run groups --by ip --json --since 2024-07-01 --until 2024-07-02T02:00 | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['2001:db8:5::25', '203.0.113.41']" "groups --since --until: a window"
rc=0; run reports --until 2026-11-31 >/dev/null 2>"$WORK/err" || rc=$?
is "$rc" 2 "reports --until 2026-11-31: usage error"
like "$(cat "$WORK/err")" "not a time: 2026-11-31 .*a date must be in the calendar" "... saying why"

# Into a pipe a long subject is cut to 60 columns of text, so that it pads no other line;
# --wide prints it whole.
sed 's/^Subject: Cheap watches$/Subject: Cheap watches and a very long subject line that goes on and on for far more than sixty columns/' \
	"$P/arf-basic.eml" | sed 's/^Message-ID: <2024/Message-ID: <long-2024/' > "$WORK/long.eml"
run import -q "$WORK/long.eml"
is "$(run reports | grep -c ' $'):$(run reports | grep -o 'Cheap watches and.*~$' | awk '{ print length($0) }')" "0:60" \
	"a pipe: the subject cut to 60 with ~, no line padded"
like "$(run reports --wide)" "for far more than sixty columns" "--wide: whole"

# --csv: RFC 4180, the same columns, quoted where a comma is, CRLF.
csv=$(run reports --csv)
is "$(printf '%s\n' "$csv" | head -1)" "$(printf 'ID,SEEN (UTC),FORMAT,TYPE,SOURCE IP,DOMAINS,SUBJECT\r')" "reports --csv: the title line, CRLF"
like "$(run reports --csv --case ip:198.51.100.77)" '"invoice-example.org,statement-example.com"' "reports --csv: a cell with a comma is quoted"

# timeline: complaints per day, the empty days between included; --in: a network's addresses.
sed 's/^Arrival-Date: .*/Arrival-Date: Wed, 05 Jun 2024 09:00:00 +0000/; s/^Message-ID: <2024/Message-ID: <later-2024/' \
	"$P/arf-basic.eml" > "$WORK/later.eml"
run import -q "$WORK/later.eml"
is "$(run timeline ip:192.0.2.25 --json | python3 -c 'import json,sys; print(" ".join("%s=%d" % (p["period"][:10], p["reports"]) for p in map(json.loads, sys.stdin)))')" \
	"2024-06-03=2 2024-06-04=0 2024-06-05=1" "timeline: per day, the empty day between"
is "$(run timeline ip:192.0.2.25 --by hour --since 2024-06-05 --json | python3 -c 'import json,sys; print([p["period"] for p in map(json.loads, sys.stdin)])')" \
	"['2024-06-05T09:00:00Z']" "timeline --by hour --since"
is "$(run groups --by ip --in net:192.0.2.0/24 --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['192.0.2.25']" "groups --by ip --in net: the network's addresses"
