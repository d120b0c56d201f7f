#!/usr/bin/env bash
# show.t: one report in full: the complainant's own words (a forward's note, a report's
# human-readable part) read again from the raw message, made safe; none for raw spam.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 9

"$ARFDESK" -d "$WORK/s.db" import -q "$P/fwd-inline.eml" "$P/arf-basic.eml" "$P/raw-spamtrap.eml"
out=$("$ARFDESK" -d "$WORK/s.db" show 1)
like "$out" "Complainant's words:" "forward: the complainant's words are shown"
like "$(echo "$out" | sed -n '/Complainant/,/^$/p')" "I keep getting this" "forward: the note before the marker"
ok $(echo "$out" | sed -n '/Complainant/,/^$/p' | grep -q "Forwarded message" && echo 1 || echo 0) "forward: not the marker line"
words=$("$ARFDESK" -d "$WORK/s.db" show --json 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["complaint_text"])')
like "$words" "^This is an email abuse report" "ARF: the human-readable part, in --json"
is "$("$ARFDESK" -d "$WORK/s.db" show --json 3 | python3 -c 'import json,sys; print(json.load(sys.stdin)["complaint_text"])')" "None" "raw spam: no complainant's words"

# Hostile words: escape sequences never reach the terminal.
printf 'From: x@mailbox-example.org\nTo: abuse@isp.example.com\nSubject: spam\nMIME-Version: 1.0\nContent-Type: text/plain\n\nBad \033]0;PWNED\007 mail \033[2J below.\n\n---------- Forwarded message ---------\nFrom: s@spam-example.com\nSubject: buy\nReceived: from h ([203.0.113.9]) by mx.mailbox-example.org\n\nhttp://spam-example.com/\n' > "$WORK/evil.eml"
"$ARFDESK" -d "$WORK/s.db" import -q "$WORK/evil.eml"
ok $("$ARFDESK" -d "$WORK/s.db" show 4 | python3 -c 'import sys; d=sys.stdin.buffer.read(); sys.exit(1 if (b"\x1b" in d or b"\x07" in d or b"PWNED" not in d) else 0)'; echo $?) "hostile words are shown without control characters"
# The evidence for the source: the original's Received chain, one line per hop with its verdict.
"$ARFDESK" -d "$WORK/c.db" import -q "$TOP/tests/data/trust.eml"
out=$("$ARFDESK" -d "$WORK/c.db" show 1 | sed -n '/Received chain/,/^$/p')
like "$out" "2 edge.feedback.example.net \[198.51.100.200\] -> mx-internal.feedback.example.net: skipped: internal to example.net" "chain: the provider's own relay is internal"
like "$out" "3 spammer.example \[203.0.113.9\] -> edge.feedback.example.net: chosen" "chain: the chosen hop"
is "$("$ARFDESK" -d "$WORK/c.db" show --json 1 | python3 -c 'import json,sys; print(" ".join(h["verdict"] for h in json.load(sys.stdin)["received"]))')" "private internal chosen" "chain in --json"
done_testing
