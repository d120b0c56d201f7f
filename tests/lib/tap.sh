# tap.sh: a few TAP helpers for the integration scripts (sourced by tests/*.t, run by prove).
# Each script gets $ARFDESK (the binary), $TOP (the source tree) and a private $WORK directory
# that is removed on exit.

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${ARFDESK:=$TOP/arfdesk}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-test.XXXXXX")
export ARFDESK_CONFIG=/dev/null HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" \
	XDG_CONFIG_HOME="$WORK/config" USER=tester COLUMNS=200
mkdir -p "$HOME"
TAP_N=0
TAP_FAILED=0
trap 'rm -rf "$WORK"' EXIT

plan() { echo "1..$1"; }

ok() {	# ok CONDITION-STATUS NAME
	TAP_N=$((TAP_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

is() {	# is GOT EXPECTED NAME
	TAP_N=$((TAP_N + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $TAP_N - $3"
	else
		echo "not ok $TAP_N - $3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

like() {	# like GOT EXTENDED-REGEX NAME
	TAP_N=$((TAP_N + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $TAP_N - $3"
	else
		echo "not ok $TAP_N - $3"
		printf '#   got: %s\n#   not matching: %s\n' "$(printf '%s' "$1" | head -c 400)" "$2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

done_testing() { [ "$TAP_FAILED" -eq 0 ]; }

# wait_committed DB N: wait (30 s at most) until the database holds N messages, as a command
# running in the background commits them.
wait_committed() {
	for i in $(seq 1 600); do
		n=$(sqlite3 "$1" 'SELECT COUNT(*) FROM messages' 2>/dev/null || echo 0)
		[ "${n:-0}" -ge "$2" ] && return
		sleep 0.05
	done
}

# jq-free JSON field access: json_field JSON-LINE KEY
json_field() {
	python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print(json.dumps(v) if isinstance(v,(list,dict)) else ("null" if v is None else v))' "$1" "$2"
}
