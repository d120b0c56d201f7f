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

sum=$(cksum <"$here/gen-arf.py" | awk '{ print $1 }')
days=
[ "$DAYS" = 90 ] || days=-d$DAYS
db=$BENCH_DIR/desk-$N$days-s$SEED-$sum.db
run() { "$ARFDESK" -d "$db" "$@"; }

if [ ! -f "$db.done" ]; then
	mkdir -p "$BENCH_DIR"
	rm -f "$BENCH_DIR/desk-$N$days-s$SEED-"*
	echo "building $db: $N complaints through arfdesk import (minutes) ..." >&2
	# 40 customers, each holding a few /8s of the made-up address space, and some domains.
	python3 - "$work/customers.csv" <<'EOF'
import random, sys
rng = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("id,name,email,networks,domains\n")
    octets = [a for a in range(1, 224) if a not in (10, 100, 127, 169, 172, 192, 198, 203)]
    rng.shuffle(octets)
    for i in range(40):
        nets = " ".join("%d.0.0.0/8" % a for a in octets[i * 2:i * 2 + 2])
        f.write("c-%03d,Customer %d,abuse@c%d.example,%s,\n" % (i, i, i, nets))
EOF
	run customers import "$work/customers.csv" >/dev/null
	start=$(date +%s)
	python3 "$here/gen-arf.py" --count "$N" --seed "$SEED" --format mbox --out - \
		--ips 20000 --domains 5000 --days "$DAYS" --recent 2>/dev/null |
		run import -q --json - >"$work/import.json"
	echo "built in $(($(date +%s) - start)) s: $(cat "$work/import.json")" >&2
	: >"$db.done"
fi

# An upgrade (a newer schema) happens at the first write: time it.
start=$(date +%s)
run settings >/dev/null 2>&1 || true
run case ip:192.0.2.1 --note "bench: upgrade" >/dev/null 2>&1 || true
upgrade=$(($(date +%s) - start))

reports=$(sqlite3 "$db" 'SELECT COUNT(*) FROM reports' 2>/dev/null || run reports --json | wc -l)
[ "$reports" -ge "$N" ] || die "$db holds $reports reports, not $N; remove $db.done to rebuild"

# Work some cases as a desk would: the top 200 IPs opened, 50 of them taken, 300 resolved, 100
# ignored, 20 domains notified. Done once (the marker is a note on ip:192.0.2.2).
if ! run case --json ip:192.0.2.2 2>/dev/null | grep -q 'bench: worked'; then
	run groups --by ip --json --limit 200 | run case - --state open >/dev/null
	run groups --by ip --json --limit 50 | run case - --take >/dev/null
	run groups --by ip --json --sort last --limit 400 | tail -n 300 |
		run case - --state resolved >/dev/null
	run groups --by ip --json --sort key --limit 100 | run case - --state ignored >/dev/null
	run groups --by domain --json --limit 20 | run case - --state notified >/dev/null
	run case ip:192.0.2.2 --note "bench: worked" >/dev/null 2>&1
fi

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
