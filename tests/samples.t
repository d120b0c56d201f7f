#!/usr/bin/env bash
# samples.t: a forward with several spams attached is a complaint about each: one report per
# spam, with ids of its own, each naming its message and its place in it; show gives each its
# own evidence, reparse keeps the ids, and a database from before (schema 2) keeps its reports.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 16
export ARFDESK_CONFIG=/dev/null
run() { "$ARFDESK" -d "$WORK/m.db" "$@"; }

out=$(run import --json "$P/arf-basic.eml" "$P/fwd-several.eml")
is "$(json_field "$out" new):$(json_field "$out" reports)" "2:4" "import: 2 messages, 4 reports"
is "$(run import "$P/raw-spamtrap.eml" "$P/fwd-several.eml")" \
	"read 2, new 1, duplicates 1, unparsed 0, refused 0" "import: the summary names reports only when they are more"
is "$(run reports --json | python3 -c '
import json, sys
print(" ".join("%d/%d/%d" % (r["id"], r["message_id"], r["sample"]) for r in map(json.loads, sys.stdin)))')" \
	"1/1/1 2/2/1 3/2/2 4/2/3 5/3/1" "reports: ids of their own, the message and the sample"
is "$(run reports --json --case ip:2001:db8:5::25 | python3 -c 'import json,sys; print([json.loads(l)["original_subject"] for l in sys.stdin])')" \
	"['Your loan is approved']" "reports --case: the second spam alone"
is "$(run groups --by domain --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin))')" \
	"['invoice-example.org', 'loans-example.net', 'pills-example.com', 'pills-example.ru', 'statement-example.com', 'watches-example.com']" \
	"groups: each spam counts for its own domains"

# show: each report its own chain and URLs, the complainant's words in each.
out=$(run show 3)
like "$out" "Message: *2, spam 2 of the 3 it holds" "show: the message and the place in it"
like "$out" "2 out.loans-example.net \[2001:db8:5::25\] -> mx-int.mailbox-example.org: chosen" "show: the second spam's own chain"
ok $(echo "$out" | grep -q "pills-example" && echo 1 || echo 0) "show: not the first spam's evidence"
like "$out" "All three came in overnight" "show: the complainant's words for every spam"
is "$(run show --json 4 | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["samples"], d["sample"], [h["ip"] for h in d["received"]])')" \
	"3 3 ['10.44.0.7', '198.51.100.77']" "show --json: samples, sample, its chain"
cmp -s <(run show --raw 3) "$P/fwd-several.eml"
ok $? "show --raw: the whole message the report came from"

# reparse: the ids stay (a note or a case that names report 3 stays right).
before=$(run reports --json | python3 -c 'import json,sys; print([(r["id"], r["original_message_id"]) for r in map(json.loads, sys.stdin)])')
run reparse >/dev/null
is "$(run reports --json | python3 -c 'import json,sys; print([(r["id"], r["original_message_id"]) for r in map(json.loads, sys.stdin)])')" \
	"$before" "reparse: every report keeps its id"
is "$(sqlite3 "$WORK/m.db" 'SELECT COUNT(*) FROM report_urls; SELECT COUNT(*) FROM reports')" "$(printf '7\n5')" \
	"reparse: no URL or report doubled"

# A database made before reports had ids of their own (schema 2): upgraded in place by the first
# command that writes; reports keep their ids, their URLs and domains survive the table's rebuild.
sqlite3 "$WORK/old.db" < "$TOP/tests/data/schema-2.sql"
"$ARFDESK" -d "$WORK/old.db" import -q "$P/fwd-several.eml"
is "$(sqlite3 "$WORK/old.db" 'PRAGMA user_version; SELECT group_concat(id || ":" || message_id || ":" || sample, " ") FROM reports')" \
	"$(printf '%s\n1:1:1 2:2:1 3:3:1 4:3:2 5:3:3' "$(sqlite3 "$WORK/m.db" 'PRAGMA user_version')")" "schema 2: upgraded, old ids kept, new reports after them"
is "$(sqlite3 "$WORK/old.db" 'SELECT COUNT(*) FROM report_urls WHERE report_id <= 2; SELECT COUNT(*) FROM report_domains WHERE report_id <= 2')" \
	"$(printf '4\n3')" "schema 2: the old reports' URLs and domains are still there"
is "$(sqlite3 "$WORK/old.db" 'PRAGMA foreign_key_check' | wc -l)" 0 "schema 2: no dangling reference"
