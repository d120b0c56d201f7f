#!/bin/sh
# bench/latency.sh [N]: how long a colleague's `case` change waits while an import runs. Imports
# N generated complaints (default 30000; bench/gen-arf.py, cached as an mbox) into a fresh
# database and, all the while, changes a case every 100 ms (`arfdesk case ip:X --note ...`,
# which waits for the import's write lock), timing each change from start to exit; a
# `groups --limit 50` (a read, which never waits) is timed beside it. Prints the count, median,
# 90th percentile and maximum of each, against the target: a change waits under 100 ms.
#
# Environment: ARFDESK (binary), BENCH_DIR (the mbox cache), BENCH_SEED (default 1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-30000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
SEED=${BENCH_SEED:-1}

die() { echo "latency.sh: $*" >&2; exit 1; }
case $N in '' | *[!0-9]* | 0) die "N must be a positive number: $N" ;; esac
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK"

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-latency.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
export ARFDESK_CONFIG

sum=$(cksum <"$here/gen-arf.py" | awk '{ print $1 }')
mbox=$BENCH_DIR/latency-$N-s$SEED-$sum.mbox
if [ ! -f "$mbox.done" ]; then
	mkdir -p "$BENCH_DIR"
	rm -f "$BENCH_DIR/latency-$N-s$SEED-"*
	python3 "$here/gen-arf.py" --count "$N" --seed "$SEED" --format mbox --out - \
		--ips 20000 --domains 5000 --days 90 --recent >"$mbox" 2>/dev/null
	: >"$mbox.done"
fi

python3 - "$ARFDESK" "$work/l.db" "$mbox" <<'EOF'
import statistics, subprocess, sys, time
arfdesk, db, mbox = sys.argv[1:4]
# A first message makes the database, so that the changes have something to wait for.
imp = subprocess.Popen([arfdesk, "-d", db, "import", "-q", mbox])
time.sleep(1.0)
changes, reads = [], []
n = 0
while imp.poll() is None:
    t = time.perf_counter()
    r = subprocess.run([arfdesk, "-d", db, "case", "ip:192.0.2.%d" % (n % 250 + 1),
                        "--note", "latency %d" % n], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    if r.returncode == 0:
        changes.append(time.perf_counter() - t)
    t = time.perf_counter()
    r = subprocess.run([arfdesk, "-d", db, "groups", "--limit", "50"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode == 0:
        reads.append(time.perf_counter() - t)
    n += 1
    time.sleep(0.1)
if imp.wait() != 0:
    sys.exit("latency.sh: the import failed")
def line(name, v):
    v = sorted(v)
    if not v:
        return "%-34s none" % name
    p90 = v[min(len(v) - 1, int(len(v) * 0.9))]
    return "%-34s %5d %9.1f %9.1f %9.1f" % (name, len(v), statistics.median(v) * 1000,
                                            p90 * 1000, v[-1] * 1000)
print("during an import of %s" % mbox)
print("%-34s %5s %9s %9s %9s" % ("", "n", "median ms", "p90 ms", "max ms"))
print(line("case KIND:KEY --note (a write)", changes))
print(line("groups --limit 50 (a read)", reads))
worst = max(changes) * 1000 if changes else 0
print("target: a case change under 100 ms: %s (max %.1f ms)" %
      ("met" if changes and worst < 100 else "MISSED", worst))
EOF
