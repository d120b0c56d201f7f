#!/bin/sh
# bench/groups.sh [N]: how long `arfdesk groups` takes over N reports (default 1000000).
#
# Builds a database of N synthetic reports with bench/gen-reports.py once (cached under
# ${BENCH_DIR:-/tmp/arfdesk-bench}, rebuilt when gen-reports.py changes), then times
# groups --by ip/net/domain --limit 20 and groups --by ip with no limit (all groups printed,
# to /dev/null), with hyperfine (1 warm-up, 5 runs) or, without it, a loop of 1 + 5 runs.
# Prints the median of each; the target is under 1 s for --by ip over 1,000,000 reports.
#
# Environment: ARFDESK (binary, default the repository's ./arfdesk), BENCH_DIR (database
# cache), BENCH_SEED (gen-reports.py seed, default 1), BENCH_RUNS (timed runs, default 5).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-1000000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-5}
TARGET=1.0	# seconds, for --by ip at 1,000,000 reports

die() { echo "groups.sh: $*" >&2; exit 1; }

case $N in '' | *[!0-9]* | 0) die "N must be a positive number: $N" ;; esac
case $RUNS in '' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive number: $RUNS" ;; esac
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK (run ./configure && make, or set ARFDESK)"
command -v python3 >/dev/null || die "python3 is needed for bench/gen-reports.py"

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-groups.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# An empty configuration keeps a personal one out of the figures.
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
export ARFDESK_CONFIG

# The cached database: named by N, seed and a checksum of the generator, complete when the
# stamp beside it exists. Older builds for the same N and seed are removed.
sum=$(cksum <"$here/gen-reports.py" | awk '{ print $1 }')
db=$BENCH_DIR/reports-$N-s$SEED-$sum.db
if [ ! -f "$db.done" ]; then
	mkdir -p "$BENCH_DIR"
	rm -f "$BENCH_DIR/reports-$N-s$SEED-"*
	echo "building $db ($N reports) ..." >&2
	python3 "$here/gen-reports.py" --db "$db" --rows "$N" --seed "$SEED" --arfdesk "$ARFDESK"
	: >"$db.done"
fi

# Sanity: the database holds N reports, and each query answers as expected.
reports=$("$ARFDESK" -d "$db" reports --json | wc -l)
[ "$reports" -eq "$N" ] || die "$db holds $reports reports, not $N; remove $db.done to rebuild"
for by in ip net domain; do
	rows=$("$ARFDESK" -d "$db" groups --by "$by" --limit 20 --json | wc -l)
	if [ "$rows" -lt 1 ] || [ "$rows" -gt 20 ]; then
		die "groups --by $by --limit 20 gave $rows rows"
	fi
done
ngroups=$("$ARFDESK" -d "$db" groups --by ip --json | wc -l)

# quote ARG: ARG as one shell word (hyperfine splits its command line like a shell).
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

# timeit NAME ARGS...: time `arfdesk -d DB ARGS...` with stdout to /dev/null; appends
# "NAME<tab>median<tab>mean<tab>min<tab>max" (seconds) to $work/results.
timeit() {
	name=$1; shift
	if command -v hyperfine >/dev/null; then
		cmd="$(quote "$ARFDESK") -d $(quote "$db")"
		for a; do cmd="$cmd $(quote "$a")"; done
		hyperfine -N --style basic --warmup 1 --runs "$RUNS" --command-name "$name" \
			--export-json "$work/hf.json" "$cmd" >&2
		python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%s\t%.3f\t%.3f\t%.3f\t%.3f" % (sys.argv[2], r["median"], r["mean"], r["min"], r["max"]))' \
			"$work/hf.json" "$name" >>"$work/results"
	else
		python3 -c '
import statistics, subprocess, sys, time
runs, name, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for i in range(runs + 1):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    if i > 0:  # the first run is the warm-up
        times.append(time.perf_counter() - t)
print("%s\t%.3f\t%.3f\t%.3f\t%.3f" % (name, statistics.median(times), statistics.mean(times),
                                       min(times), max(times)))' \
			"$RUNS" "$name" "$ARFDESK" -d "$db" "$@" >>"$work/results"
	fi
}

: >"$work/results"
timeit "ip --limit 20" groups --by ip --limit 20
timeit "net --limit 20" groups --by net --limit 20
timeit "domain --limit 20" groups --by domain --limit 20
timeit "ip, no limit" groups --by ip

printf '\ngroups benchmark: %d reports (%d source IPs seen), %s, %s runs after 1 warm-up\n' \
	"$N" "$ngroups" "$(command -v hyperfine >/dev/null && echo hyperfine || echo 'timing loop')" "$RUNS"
printf '%-26s %9s %9s %9s %9s\n' "arfdesk groups --by" "median s" "mean s" "min s" "max s"
awk -F '\t' '{ printf "%-26s %9s %9s %9s %9s\n", $1, $2, $3, $4, $5 }' "$work/results"

ip=$(awk -F '\t' '$1 == "ip --limit 20" { print $2 }' "$work/results")
verdict=$(awk -v t="$ip" -v max="$TARGET" 'BEGIN { print (t + 0 < max + 0) ? "met" : "MISSED" }')
if [ "$N" -eq 1000000 ]; then
	printf 'target: --by ip under %s s over 1,000,000 reports: %s (median %s s)\n' \
		"$TARGET" "$verdict" "$ip"
else
	printf 'target: --by ip under %s s over 1,000,000 reports (this run: %d reports, median %s s)\n' \
		"$TARGET" "$N" "$ip"
fi

# One line for bench/run's summary.
if [ -n "${BENCH_SUMMARY:-}" ]; then
	awk -F '\t' -v n="$N" '{ s = s sep $1 " " $2 " s"; sep = ", " }
		END { printf "groups %d, --by (median): %s\n", n, s }' "$work/results" >>"$BENCH_SUMMARY"
fi
