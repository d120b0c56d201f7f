#!/usr/bin/env bash
# settings.t: the desk's settings live with its data: two people with their own configuration
# files get the same answers from one database; each change is kept with who and when; an
# existing desk's file moves into the database once; a bad value changes nothing.
. "$(dirname "$0")/lib/tap.sh"
plan 9
D=$TOP/tests/data
printf 'user = alice\n' > "$WORK/alice.conf"
printf 'user = bob\n' > "$WORK/bob.conf"
alice() { ARFDESK_CONFIG=$WORK/alice.conf "$ARFDESK" -d "$WORK/s.db" "$@"; }
bob() { ARFDESK_CONFIG=$WORK/bob.conf "$ARFDESK" -d "$WORK/s.db" "$@"; }
src() { "$@" reports --json | python3 -c 'import json,sys; print(" ".join(json.loads(l)["source_ip"] or "-" for l in sys.stdin))'; }

# trust.eml's source depends on trusted_networks: alice sets it, bob's parse agrees.
alice import -q "$D/trust.eml"
before=$(src bob)
alice settings set trusted_networks 203.0.113.0/24 192.0.2.0/24
bob reparse >/dev/null
is "$(src bob):$(src alice)" "$(src alice):$(src bob)" "two configurations, one answer"
isnt() { TAP_N=$((TAP_N + 1)); if [ "$1" != "$2" ]; then echo "ok $TAP_N - $3"; else echo "not ok $TAP_N - $3"; TAP_FAILED=$((TAP_FAILED + 1)); fi; }
isnt "$(src bob)" "$before" "the setting changed what the parse chose"
is "$(bob settings --json | python3 -c 'import json,sys; s={r["key"]: r for r in map(json.loads, sys.stdin)}; print(s["trusted_networks"]["value"], s["trusted_networks"]["set_by"])')" \
	"203.0.113.0/24 192.0.2.0/24 alice" "settings: the value and who set it"
bob settings unset trusted_networks
is "$(sqlite3 "$WORK/s.db" "SELECT group_concat(set_by || ':' || COALESCE(new_value, '-'), ' ') FROM settings_history")" \
	"alice:203.0.113.0/24 192.0.2.0/24 bob:-" "every change kept, with who"
like "$(bob settings)" "trusted_networks +\(none\) +default" "unset: back to the default"

rc=0; bob settings set reopen_states closed 2>"$WORK/err" || rc=$?
is "$rc:$(sqlite3 "$WORK/s.db" "SELECT COUNT(*) FROM settings")" "2:0" "a bad value: usage error, nothing set"
rc=0; bob settings set user carol 2>/dev/null || rc=$?
is "$rc" 2 "a person's own key is no desk setting"

# An existing desk: its file's trust keys move into a database that has none, once.
printf 'user = dana\ntrusted_networks = 198.51.100.0/24\n' > "$WORK/dana.conf"
ARFDESK_CONFIG=$WORK/dana.conf "$ARFDESK" -d "$WORK/new.db" import -q "$D/trust.eml" 2>"$WORK/err"
is "$(sqlite3 "$WORK/new.db" "SELECT key || '=' || value || ' by ' || set_by FROM settings")" \
	"trusted_networks=198.51.100.0/24 by dana" "the file's desk keys move into a new database"
printf 'trusted_networks = 203.0.113.0/24\n' > "$WORK/late.conf"
ARFDESK_CONFIG=$WORK/late.conf "$ARFDESK" -d "$WORK/new.db" groups >/dev/null 2>"$WORK/err"
like "$(cat "$WORK/err")" "trusted_networks: .*late.conf sets it, but the desk's setting in the database is used" \
	"a file that disagrees later: warned, not used"
