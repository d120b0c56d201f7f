#!/bin/sh
# bench/console.sh [N]: the console under tmux over the database of N reports (default
# 1000000) that cases.sh uses (bench/desk-db.sh builds it once, the way arfdesk builds its
# own): the time to the first screen, side by side with mutt opening a 20,000-message Maildir,
# run after run; then the time each key takes to show its result (scrolling, paging, first
# and last row, the next grouping, opening the biggest case and paging through it, searching),
# and the floor of the method (less scrolling a file, timed the same way). See console.py.
#
# Environment: ARFDESK, BENCH_DIR, BENCH_SEED, BENCH_DAYS (as cases.sh), BENCH_RUNS (opening
# runs, default 5, at least 3), BENCH_KEYS (presses of each key, default 20), BENCH_MUTT_N
# (the Maildir's size, default 20000; 0 leaves mutt out).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-1000000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-5}
DAYS=${BENCH_DAYS:-90}
KEYS=${BENCH_KEYS:-20}
MUTT_N=${BENCH_MUTT_N:-20000}

die() { echo "console.sh: $*" >&2; exit 1; }

case $N in '' | *[!0-9]* | 0) die "N must be a positive number: $N" ;; esac
case $RUNS in '' | *[!0-9]* | 0 | 1 | 2) die "BENCH_RUNS must be 3 or more: $RUNS" ;; esac
case $KEYS in '' | *[!0-9]* | 0) die "BENCH_KEYS must be a positive number: $KEYS" ;; esac
case $MUTT_N in '' | *[!0-9]*) die "BENCH_MUTT_N must be a number: $MUTT_N" ;; esac
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK (run ./configure && make, or set ARFDESK)"
command -v python3 >/dev/null || die "python3 is needed"
command -v tmux >/dev/null || die "tmux is needed (apt-get install tmux)"
if [ "$MUTT_N" -gt 0 ] && ! command -v mutt >/dev/null; then
	echo "console.sh: mutt is not installed (apt-get install mutt): opening is timed alone" >&2
	MUTT_N=0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-console.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
USER=bench
export ARFDESK_CONFIG USER

. "$here/desk-db.sh"

set --
if [ "$MUTT_N" -gt 0 ]; then
	maildir=$BENCH_DIR/mutt-$MUTT_N-s$SEED-$sum
	if [ ! -f "$maildir.done" ]; then
		rm -rf "$BENCH_DIR/mutt-$MUTT_N-s$SEED-"*
		python3 "$here/gen-arf.py" --count "$MUTT_N" --seed "$SEED" --out "$maildir" 2>/dev/null
		: >"$maildir.done"
	fi
	set -- --maildir "$maildir"
fi

printf '\nconsole benchmark: %d reports in a database arfdesk built (%s), under tmux at 100x30\n' \
	"$reports" "$(du -h "$db" | cut -f1)"
python3 "$here/console.py" --arfdesk "$ARFDESK" --db "$db" --runs "$RUNS" --keys "$KEYS" \
	"$@" | tee "$work/results"

if [ -n "${BENCH_SUMMARY:-}" ]; then
	missed=$(grep -c 'MISSED$' "$work/results" || true)
	printf 'console %d: opens in %s ms (median; %s), %d key measures missed 50 ms\n' "$reports" \
		"$(awk '/^open: arfdesk/ { print $(NF - 4) }' "$work/results")" \
		"$(grep "of mutt's time" "$work/results" || echo "mutt not run")" "$missed" \
		>>"$BENCH_SUMMARY"
fi
