#!/usr/bin/env bash
# families.t: provider_families: a desk's own file extends the shipped provider families, so that
# a regional provider's hops between its two domains are internal and the spam's hop is chosen.
. "$(dirname "$0")/lib/tap.sh"
plan 7
D=$TOP/tests/data

: > "$WORK/empty.conf"
ARFDESK_CONFIG=$WORK/empty.conf "$ARFDESK" -d "$WORK/a.db" import -q "$D/regional.eml"
is "$(ARFDESK_CONFIG=$WORK/empty.conf "$ARFDESK" -d "$WORK/a.db" reports --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["source_ip"], r["source_ip_rule"])')" \
	"192.0.2.40 received:1" "without the family: the provider's own inbound relay is taken"

mkdir "$WORK/etc"
printf '# our region\nkabelnet  kabelnet-example.de\n\tkabelmail-example.net  # the mailbox side\n' > "$WORK/etc/families"
printf 'provider_families = families\n' > "$WORK/etc/config"
export ARFDESK_CONFIG=$WORK/etc/config
"$ARFDESK" -d "$WORK/b.db" import -q "$D/regional.eml"
is "$("$ARFDESK" -d "$WORK/b.db" reports --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["source_ip"], r["source_ip_rule"])')" \
	"203.0.113.50 received:2" "with the desk's family (a name relative to the config file): the spam's hop"
like "$("$ARFDESK" -d "$WORK/b.db" show 1)" "1 mx-in.kabelnet-example.de \[192.0.2.40\] -> mbox1.kabelmail-example.net: skipped: internal to kabelnet" \
	"show: the hop is internal to the desk's family"

# Extending a shipped family keeps what it ships.
printf 'microsoft  contoso-mail-example.com\n' > "$WORK/etc/families"
"$ARFDESK" -d "$WORK/c.db" import -q "$TOP/tests/parse/arf-basic.eml" "$D/regional.eml"
is "$("$ARFDESK" -d "$WORK/c.db" reports --json | python3 -c 'import json,sys; print(" ".join(json.loads(l)["source_ip"] for l in sys.stdin))')" \
	"192.0.2.25 192.0.2.40" "a shipped family extended: the rest parses as before"

# Errors are configuration errors, with the file and the line.
printf 'kabelnet  kabelnet-example.de\n  not/a/network\n' > "$WORK/etc/families"
err=$("$ARFDESK" -d "$WORK/d.db" reports 2>&1); rc=$?
like "$rc:$err" "^[12]:arfdesk: .*config:1: .*families:2: " "a bad line: the config line and the file's line"
printf 'provider_families = %s/none\n' "$WORK" > "$WORK/etc/config"
err=$("$ARFDESK" -d "$WORK/d.db" reports 2>&1); rc=$?
like "$rc:$err" "provider_families: $WORK/none: No such file or directory" "a missing file is named"
like "$(ARFDESK_CONFIG=$WORK/empty.conf "$ARFDESK" help config)" "provider_families +- +file of mailbox provider families" "help config lists the key"
