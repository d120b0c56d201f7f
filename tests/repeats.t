#!/usr/bin/env bash
# repeats.t: duplicates by content: the same reporter's complaint about the same spam again (a
# copy a mail client rewrote with a Status: header, a feedback loop sending twice) is linked to
# the first and counted nowhere; the same spam from another reporter is a complaint of its own.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 9
export ARFDESK_CONFIG=/dev/null
run() { "$ARFDESK" -d "$WORK/r.db" "$@"; }
count() { run groups --by ip --json | python3 -c 'import json,sys; print(" ".join("%s=%s" % (g["key"], g["reports"]) for g in map(json.loads, sys.stdin)))'; }

run import -q "$P/arf-basic.eml"
# The same complaint as a mail client stores it again: a Status: header, other bytes.
{ printf 'Status: RO\n'; cat "$P/arf-basic.eml"; } > "$WORK/status.eml"
out=$(run import --json "$WORK/status.eml")
is "$(json_field "$out" new):$(json_field "$out" repeats)" "1:1" "import: a new message, but a repeat"
is "$(run import "$WORK/status.eml" "$P/arf-basic.eml")" "read 2, new 0, duplicates 2, unparsed 0, refused 0" \
	"byte-identical copies stay duplicates of the message"
is "$(run reports --json | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["duplicate_of"]) for l in sys.stdin))')" \
	"None 1" "reports --json: the repeat names the first"
is "$(count)" "192.0.2.25=1" "groups: a repeat is not a complaint"
like "$(run case ip:192.0.2.25)" "Reports:  1 from 1 reporter" "case: not counted either"

# The same spam from another feedback loop: a complaint of its own.
sed 's/^Message-ID: <fbl-/Message-ID: <other-/; s/^From: Example FBL <fbl@fbl.example.net>/From: Other FBL <fbl@other-fbl.example.org>/' \
	"$P/arf-basic.eml" > "$WORK/other.eml"
run import -q "$WORK/other.eml"
is "$(count)" "192.0.2.25=2" "the same spam from another reporter counts"

# A forward whose pasted original has no Message-ID, sent twice by one person: known by its body.
sed "s/^Message-ID: <pm-/Message-ID: <again-/" "$P/fwd-pasted-multipart.eml" > "$WORK/again.eml"
out=$(run import --json "$P/fwd-pasted-multipart.eml" "$WORK/again.eml")
is "$(json_field "$out" new):$(json_field "$out" repeats)" "2:1" "no Message-ID: the same body, Date, From and Subject is a repeat"

# reparse keeps the links.
run reparse >/dev/null
is "$(run reports --json | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["duplicate_of"]) for l in sys.stdin))')" \
	"None 1 None None 4" "reparse: the same links"
is "$(count)" "192.0.2.25=2 203.0.113.58=1" "reparse: the same counts"
