#!/bin/sh
# bench/cases.sh [N]: how long the listings a desk (and the console, on every key) asks for take
# over a database of N reports (default 1000000) that arfdesk itself built: N generated
# complaints of real size (bench/gen-arf.py, about 6.5 KB each, 20,000 source IPs, 5,000
# domains, 90 days up to now, 40 customers) imported with `arfdesk import -`, nothing ANALYZEd.
#
# The database is built once and cached under ${BENCH_DIR:-/tmp/arfdesk-bench} (about 7 GB for
# 1,000,000), rebuilt when gen-arf.py changes; a newer arfdesk upgrades it in place (its first
# write, timed and printed, is the upgrade). Before timing, some cases are worked (opened,
# assigned, resolved) in bulk the way a desk would, through `arfdesk case -`.
#
# Each query runs BENCH_RUNS times (default 5, at least 3) after one warm-up, with standard
# output to /dev/null; min and median wall seconds are printed against the target (50 ms for a
# listing, 150 ms in a time window, at 1,000,000 reports).
#
# BENCH_DAYS (default 90) spreads the complaints over fewer days: 1,000,000 over 9 days arrive
# as many a day as 10,000,000 over 90 do, so its 7-day windows read what 10,000,000's would
# (whole days and the reports of the part-days at the edges), in a tenth of the disk.
#
# Environment: ARFDESK (binary), BENCH_DIR, BENCH_SEED (default 1), BENCH_RUNS, BENCH_DAYS.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-1000000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-5}
DAYS=${BENCH_DAYS:-90}

die() { echo "cases.sh: $*" >&2; exit 1; }

case $N in '' | *[!0-9]* | 0) die "N must be a positive number: $N" ;; esac
case $RUNS in '' | *[!0-9]* | 0 | 1 | 2) die "BENCH_RUNS must be 3 or more: $RUNS" ;; esac
case $DAYS in '' | *[!0-9]* | 0) die "BENCH_DAYS must be a positive number: $DAYS" ;; esac
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK (run ./configure && make, or set ARFDESK)"
command -v python3 >/dev/null || die "python3 is needed for bench/gen-arf.py"

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-cases.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
USER=bench
export ARFDESK_CONFIG USER

. "$here/desk-db.sh"

top_ip=$(run groups --by ip --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
top_net=$(run groups --by net --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
top_domain=$(run groups --by domain --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
top_customer=$(run groups --by customer --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

# timeit TARGET-MS NAME ARGS...: BENCH_RUNS runs after a warm-up; a line of results.
timeit() {
	target=$1 name=$2
	shift 2
	python3 - "$RUNS" "$target" "$name" "$ARFDESK" -d "$db" "$@" >>"$work/results" <<'EOF'
import statistics, subprocess, sys, time
runs, target, name, argv = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4:]
times = []
for i in range(runs + 1):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    if i > 0:
        times.append(time.perf_counter() - t)
med = statistics.median(times)
print("%-46s %8.1f %8.1f %8.0f  %s" % (name, min(times) * 1000, med * 1000, target,
                                        "met" if med * 1000 < target else "MISSED"))
EOF
}

: >"$work/results"
for by in ip net domain customer; do
	timeit 50 "groups --by $by --limit 50" groups --by "$by" --limit 50
done
timeit 50 "groups --by ip --state open --limit 50" groups --by ip --state open --limit 50
timeit 50 "groups --by ip --state resolved --limit 50" groups --by ip --state resolved --limit 50
timeit 50 "groups --by domain --todo --limit 50" groups --by domain --todo --limit 50
timeit 50 "groups --by ip --sort last --limit 50" groups --by ip --sort last --limit 50
timeit 50 "cases --todo --limit 50" cases --todo --limit 50
timeit 50 "cases --mine --limit 50" cases --mine --limit 50
timeit 50 "case ip:TOP" case "ip:$top_ip"
timeit 50 "case domain:TOP" case "domain:$top_domain"
timeit 50 "reports --case ip:TOP --limit 50" reports --case "ip:$top_ip" --limit 50
timeit 50 "reports --case net:TOP --limit 50" reports --case "net:$top_net" --limit 50
timeit 50 "reports --case domain:TOP --limit 50" reports --case "domain:$top_domain" --limit 50
timeit 50 "reports --case customer:TOP --limit 50" reports --case "customer:$top_customer" --limit 50
timeit 50 "reports --case ip:TOP --reverse --limit 50" reports --case "ip:$top_ip" --reverse --limit 50
for by in ip net domain customer; do
	timeit 150 "groups --by $by --since 7d --limit 50" groups --by "$by" --since 7d --limit 50
done
timeit 150 "groups --by ip --since 7d --todo --limit 50" groups --by ip --since 7d --todo --limit 50
timeit 150 "groups --by ip --since 30d --until 7d --limit 50" groups --by ip --since 30d --until 7d --limit 50
timeit 150 "reports --since 7d --limit 50" reports --since 7d --limit 50

printf '\ncases benchmark: %d reports in a database arfdesk built (%s), %s runs after 1 warm-up\n' \
	"$reports" "$(du -h "$db" | cut -f1)" "$RUNS"
[ "$upgrade" -gt 1 ] && printf 'upgrading it to this schema took %d s\n' "$upgrade"
printf '%-46s %8s %8s %8s\n' "arfdesk ..." "min ms" "med ms" "target"
cat "$work/results"
missed=$(grep -c 'MISSED$' "$work/results" || true)
printf 'targets missed: %d of %d\n' "$missed" "$(wc -l <"$work/results" | tr -d ' ')"

if [ -n "${BENCH_SUMMARY:-}" ]; then
	printf 'cases %d: %d of %d listings within target (worst median %s ms)\n' "$reports" \
		"$(($(wc -l <"$work/results") - missed))" "$(wc -l <"$work/results" | tr -d ' ')" \
		"$(awk '{ v = $(NF - 2); if (v > m) m = v } END { print m }' "$work/results")" \
		>>"$BENCH_SUMMARY"
fi
