#!/usr/bin/env bash
# customers.t: the desk's own customers: a CSV maps networks (longest prefix wins, overlapping
# ones too) and domains (the most specific) to customers; groups --by customer; case shows the
# customer; importing again replaces the mapping and keeps the cases' history.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 9
export ARFDESK_CONFIG=/dev/null
run() { "$ARFDESK" -d "$WORK/c.db" "$@"; }
by_customer() { run groups --by customer --json | python3 -c 'import json,sys; print(" ".join(sorted("%s=%d" % (g["key"], g["reports"]) for g in map(json.loads, sys.stdin))))'; }

run import -q "$P/arf-basic.eml" "$P/fwd-several.eml" "$P/fwd-rfc822.eml"
# 192.0.2.25 (arf-basic) and 203.0.113.201 (fwd-rfc822) in c-100's /24s; 203.0.113.41 in
# c-200's /29 inside c-100's /24; 2001:db8:5::25 in no network, advertising c-200's domain;
# 198.51.100.77 in none, advertising shop.invoice-example.org, c-300's host (not its domain).
cat > "$WORK/customers.csv" <<'CSV'
id,name,email,networks,domains
c-100,"Acme Hosting, Ltd",abuse@acme.example,192.0.2.0/24 203.0.113.0/24,watches-example.com
c-200,Small VPS,noc@vps.example,203.0.113.40/29,loans-example.net
c-300,Shop,shop@shop.example,,pay.invoice-example.org
CSV
is "$(run customers import "$WORK/customers.csv")" "customers 3, reports whose customer changed 5" "import: says how many"
is "$(by_customer)" "c-100=2 c-200=2 c-300=1" "groups --by customer: longest prefix, then the most specific domain"
is "$(run reports --json --case customer:c-200 | python3 -c 'import json,sys; print(sorted(json.loads(l)["source_ip"] for l in sys.stdin))')" \
	"['2001:db8:5::25', '203.0.113.41']" "reports --case customer: the /29 beats the /24, the domain counts"
like "$(run case ip:203.0.113.41)" "Customer: c-200" "case: the customer"
like "$(run customers)" "c-100 +Acme Hosting, Ltd +abuse@acme.example +192.0.2.0/24 203.0.113.0/24" "customers: the list"

# Import again: the mapping is replaced, the cases keep their history.
run case customer:c-200 --state open --note "told the VPS team" >/dev/null
printf 'id,name,email,networks,domains\nc-200,Small VPS,noc@vps.example,2001:db8::/32,\n' > "$WORK/next.csv"
run customers import "$WORK/next.csv" >/dev/null
is "$(by_customer)" "c-200=1" "import again: the old mapping is gone"
like "$(run case customer:c-200)" "note: told the VPS team" "... the case keeps its history"

# A bad file changes nothing.
printf 'c-1,x,y,not-a-net,\n' > "$WORK/bad.csv"
rc=0; run customers import "$WORK/bad.csv" 2>"$WORK/err" || rc=$?
is "$rc:$(by_customer)" "2:c-200=1" "a bad network: usage error, nothing changed"
like "$(cat "$WORK/err")" "line 1: not a network: not-a-net; nothing was changed" "... naming the line"
