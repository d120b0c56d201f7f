#!/usr/bin/env bash
# classes.t: complaints counted right: abuse, not-spam, auth-failure and X-ARF's types kept apart;
# groups count spam complaints with distinct reporters and show not-spam beside; --type chooses.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 11
export ARFDESK_CONFIG=/dev/null
run() { "$ARFDESK" -d "$WORK/k.db" "$@"; }
field() { python3 -c 'import json,sys; k=sys.argv[1]; print(" ".join("%s=%s" % (r["key"], r[k]) for r in map(json.loads, sys.stdin)))' "$1"; }

# The same source: an abuse report, a second from another feedback loop, and a not-spam one.
sed 's/^Message-ID: <fbl-/Message-ID: <other-/; s/^From: Example FBL <fbl@fbl.example.net>/From: Other FBL <fbl@other-fbl.example.org>/' \
	"$P/arf-basic.eml" > "$WORK/other.eml"
sed 's/^Message-ID: <fbl-/Message-ID: <ns-/; s/^Feedback-Type: abuse/Feedback-Type: not-spam/' \
	"$P/arf-basic.eml" > "$WORK/notspam.eml"
run import -q "$P/arf-basic.eml" "$WORK/other.eml" "$WORK/notspam.eml" "$P/arf-auth-failure.eml" \
	"$P/xarf-json.eml" "$P/fwd-rfc822.eml"

is "$(run reports --json | python3 -c 'import json,sys; print(" ".join(json.loads(l)["class"] for l in sys.stdin))')" \
	"abuse abuse not-spam auth-failure spam spam" "reports --json: each report's class"
is "$(run groups --by ip --json --sort key | field reports)" "192.0.2.25=2 198.51.100.73=1 203.0.113.201=1" \
	"groups: spam complaints only (the auth-failure report is no group)" 
is "$(run case --json ip:192.0.2.25 ip:203.0.113.201 | field reporters)" "192.0.2.25=2 203.0.113.201=1" \
	"case: distinct reporters"
is "$(run groups --by ip --json --sort key | field not_spam)" "192.0.2.25=1 198.51.100.73=0 203.0.113.201=0" \
	"groups: not-spam beside the count, not in it"
is "$(run groups --by ip --json --type auth-failure | field reports)" "192.0.2.213=1" "groups --type auth-failure"
is "$(run groups --by ip --json --type all --sort key | field reports)" "192.0.2.213=1 192.0.2.25=3 198.51.100.73=1 203.0.113.201=1" \
	"groups --type all"
is "$(run reports --json --type not-spam | wc -l | tr -d ' '):$(run reports --json --type spam | wc -l | tr -d ' ')" "1:4" \
	"reports --type"
out=$(run case ip:192.0.2.25)
like "$out" "Reports:  2 from 2 reporters" "case: spam complaints and reporters"
like "$out" "Not spam: 1 report saying so" "case: the not-spam report beside"
rc=0; run groups --type 'Bad!' >/dev/null 2>&1 || rc=$?
is "$rc" 2 "groups --type: a name that is no class is a usage error"

# A database from before classes: classed by format and Feedback-Type on upgrade.
sqlite3 "$WORK/old.db" < "$TOP/tests/data/schema-2.sql"
"$ARFDESK" -d "$WORK/old.db" case ip:192.0.2.1 --note upgrade >/dev/null 2>&1
is "$(sqlite3 "$WORK/old.db" 'SELECT group_concat(class, " ") FROM reports; SELECT group_concat(class, " ") FROM (SELECT class FROM report_domains ORDER BY report_id, domain)')" \
	"$(printf 'abuse spam\nabuse spam spam')" "an old database: reports and domains classed"
