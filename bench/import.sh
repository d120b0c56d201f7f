#!/bin/sh
# bench/import.sh [N]: import throughput of arfdesk against the I/O floor (cat) and notmuch.
#
# Generates N complaints (default 50000) with bench/gen-arf.py into a Maildir cached under
# ${BENCH_DIR:-/tmp/arfdesk-bench}, plus one of N/5 for the memory comparison, then times on the
# same hot page cache: cat of every file, `notmuch new` into a fresh database, and
# `arfdesk import` into a fresh database (with its default threads, and with --threads 1 as
# notmuch is single-threaded). Prints wall seconds, messages/s, CPU seconds and peak RSS.
#
# Environment: ARFDESK (binary, default the repository's ./arfdesk), BENCH_DIR (corpus cache),
# BENCH_SEED (gen-arf.py seed, default 1), TMPDIR (scratch databases, removed at the end).
# Comparison mode, when any of these is set: ARFDESK_BASE (a second binary, "before"),
# ARFDESK_THREADS (thread counts to time besides the default, e.g. "1 2 3"), BENCH_RUNS (rounds,
# at least 3): every round times notmuch and then each binary at each setting, one after the
# other on the same files, and the table gives min and median wall seconds of the rounds.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-50000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
SEED=${BENCH_SEED:-1}

die() { echo "import.sh: $*" >&2; exit 1; }

case $N in '' | *[!0-9]*) die "N must be a positive number: $N" ;; esac
BASE=${ARFDESK_BASE:-}
THREADS=${ARFDESK_THREADS:-}
RUNS=${BENCH_RUNS:-}
compare=0
[ -z "$BASE$THREADS$RUNS" ] || compare=1
RUNS=${RUNS:-3}
case $RUNS in '' | *[!0-9]* | [012]) die "BENCH_RUNS must be a number of at least 3: $RUNS" ;; esac
[ -z "$BASE" ] || [ -x "$BASE" ] || die "ARFDESK_BASE is not an executable: $BASE"
[ "$N" -ge 5 ] || die "N must be at least 5: $N"
N5=$((N / 5))
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK (run ./configure && make, or set ARFDESK)"
command -v python3 >/dev/null || die "python3 is needed for bench/gen-arf.py"
# The interpreter itself, not a wrapper (pyenv shims take a quarter of a second to start).
py=$(python3 -c 'import sys; print(sys.executable)')
command -v notmuch >/dev/null || die "notmuch is needed (apt-get install notmuch)"

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-import.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# measure OUT CMD...: run CMD with stdout to OUT; sets wall (s), rss (KB) and cpu (user+sys s).
# GNU time when present; otherwise the same figures from wait4, through Python (there, peak
# RSS has a floor of Python's own ~10 MB, which Linux charges to the child at exec).
readtime() {
	read -r wall rss utime stime <<EOF
$(tail -n 1 "$work/time")
EOF
	cpu=$(awk -v u="$utime" -v s="$stime" 'BEGIN { printf "%.2f", u + s }')
}
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e' -o /dev/null true 2>/dev/null; then
	measure() {
		out=$1; shift
		/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$out" ||
			die "failed: $*"
		readtime
	}
else
	measure() {
		out=$1; shift
		"$py" -c '
import os, sys, time
t = time.monotonic()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, ru = os.wait4(pid, 0)
e = time.monotonic() - t
open(sys.argv[1], "w").write("%.2f %d %.2f %.2f\n" % (e, ru.ru_maxrss, ru.ru_utime, ru.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))' "$work/time" "$@" >"$out" || die "failed: $*"
		readtime
	}
fi

# corpus COUNT: the cached Maildir of COUNT complaints (generated once, marked complete by a
# stamp beside it, so an interrupted generation is redone).
corpus() {
	dir=$BENCH_DIR/arf-$1-s$SEED
	if [ ! -f "$dir.done" ]; then
		mkdir -p "$BENCH_DIR"
		rm -rf "$dir"
		echo "generating $1 complaints in $dir ..." >&2
		python3 "$here/gen-arf.py" --count "$1" --out "$dir" --seed "$SEED" >&2
		: >"$dir.done"
	fi
	files=$(find "$dir/cur" "$dir/new" -type f | wc -l)
	[ "$files" -eq "$1" ] || die "$dir holds $files messages, not $1; remove $dir.done to regenerate"
	echo "$dir"
}

# rate WALL COUNT: messages per second.
rate() { awk -v n="$2" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }'; }

# field JSON KEY: an integer member of arfdesk's one-line JSON import summary.
field() { sed -n "s/.*\"$2\": *\([0-9][0-9]*\).*/\1/p" "$1"; }

md=$(corpus "$N")
md5=$(corpus "$N5")

# Warm-up: read everything once, so that every contender below starts on a hot page cache.
bytes=$(find "$md/cur" "$md/new" -type f -exec cat {} + | wc -c)
find "$md5/cur" "$md5/new" -type f -exec cat {} + >/dev/null

# (a) The I/O floor: reading every message file, best of 3 runs. cat is the classic floor, but
# it maps and unmaps a 128 KiB buffer for every file, which costs more than the read itself on
# some virtual machines; a loop of open/read/close with one buffer (Python) shows the bare floor.
# best3 OUT CMD...: measure CMD three times, keep the fastest (wall, rss, cpu).
best3() {
	bw='' br='' bc=''
	for _ in 1 2 3; do
		measure "$@"
		if [ -z "$bw" ] || awk -v a="$wall" -v b="$bw" 'BEGIN { exit !(a < b) }'; then
			bw=$wall br=$rss bc=$cpu
		fi
	done
	wall=$bw rss=$br cpu=$bc
}
# shellcheck disable=SC2016
best3 /dev/null sh -c 'find "$1/cur" "$1/new" -type f -exec cat {} + >/dev/null' sh "$md"
cat_wall=$wall cat_rss=$rss cat_cpu=$cpu
best3 /dev/null "$py" -c '
import os, sys
buf = bytearray(1 << 20)
for sub in ("cur", "new"):
    with os.scandir(os.path.join(sys.argv[1], sub)) as it:
        for e in it:
            fd = os.open(e.path, os.O_RDONLY)
            while os.readv(fd, [buf]) > 0:
                pass
            os.close(fd)' "$md"
rd_wall=$wall rd_rss=$rss rd_cpu=$cpu

# (b) notmuch new into a fresh database. mail_root is the Maildir, the Xapian database goes to
# the scratch directory (the cached corpus is left as it was); no hooks, no flag sync.
mkdir -p "$work/notmuch/db" "$work/notmuch/hooks"
cat >"$work/notmuch/config" <<EOF
[database]
path=$work/notmuch/db
mail_root=$md
hook_dir=$work/notmuch/hooks
[user]
name=arfdesk bench
primary_email=bench@example.invalid
[new]
tags=new;
ignore=
[search]
exclude_tags=
[maildir]
synchronize_flags=false
EOF
NOTMUCH_CONFIG=$work/notmuch/config
export NOTMUCH_CONFIG
unset NOTMUCH_PROFILE NOTMUCH_DATABASE 2>/dev/null || :
# notmuch_new: one timed `notmuch new` into a fresh database.
notmuch_new() {
	rm -rf "$work/notmuch/db"
	mkdir -p "$work/notmuch/db"
	measure "$work/notmuch.out" notmuch new --quiet
	nm_count=$(notmuch count '*')
	[ "$nm_count" -eq "$N" ] || die "notmuch indexed $nm_count messages, not $N"
}
if [ "$compare" -eq 0 ]; then
	notmuch_new
	nm_wall=$wall nm_rss=$rss nm_cpu=$cpu
	rm -rf "$work/notmuch"
fi

# (c) arfdesk import into a fresh database, with the default (one parser per CPU) threads,
# then single-threaded, then the N/5 corpus for peak memory against mailbox size.
# ARFDESK_CONFIG pointing at an empty file keeps a personal configuration out of the figures.
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
export ARFDESK_CONFIG
# arfimport NAME MAILDIR COUNT [OPTIONS]
arfimport() {
	name=$1 dir=$2 count=$3; shift 3
	measure "$work/$name.json" "$ARFDESK" -d "$work/$name.db" import -q --json "$@" "$dir"
	new=$(field "$work/$name.json" new)
	[ "${new:-0}" -eq "$count" ] || die "arfdesk imported ${new:-0} of $count: $(cat "$work/$name.json")"
	unparsed=$(field "$work/$name.json" unparsed)
	[ "${unparsed:-0}" -eq 0 ] || echo "import.sh: note: $unparsed messages unparsed" >&2
	# The stored reports, counted the other way too: one JSON line per report.
	reports=$("$ARFDESK" -d "$work/$name.db" reports --json | wc -l)
	[ "$reports" -eq "$count" ] || die "arfdesk reports lists $reports reports, not $count"
	rm -f "$work/$name.db" "$work/$name.db-wal" "$work/$name.db-shm"
}

# Comparison mode: RUNS rounds of notmuch, then every binary at the default threads and at each
# of THREADS; then min and median wall seconds, msg/s and the ratio to notmuch of each median.
if [ "$compare" -eq 1 ]; then
	: >"$work/walls"
	round=1
	while [ "$round" -le "$RUNS" ]; do
		notmuch_new
		echo "notmuch-new - $wall $cpu" >>"$work/walls"
		measured=$ARFDESK
		for bin in "$measured" $BASE; do
			ARFDESK=$bin
			for t in default $THREADS; do
				if [ "$t" = default ]; then
					arfimport cmp "$md" "$N"
				else
					arfimport cmp "$md" "$N" --threads "$t"
				fi
				echo "$bin $t $wall $cpu" >>"$work/walls"
			done
		done
		ARFDESK=$measured
		round=$((round + 1))
	done
	printf '\nimport comparison: %d messages in %s, %d rounds, %s CPUs\n' "$N" "$md" "$RUNS" \
	    "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')"
	awk -v n="$N" '
	function median(list, k,    a, m, i, j, t) {
		m = split(list, a, " ")
		for (i = 1; i <= m; i++)
			for (j = i + 1; j <= m; j++)
				if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		if (k == "min")
			return a[1]
		return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	{ key = $1 " " $2; if (!(key in walls)) order[++nk] = key; walls[key] = walls[key] " " $3
	  cpus[key] = cpus[key] " " $4 }
	END {
		nm = median(walls["notmuch-new -"], "median")
		printf "%-44s %-8s %8s %8s %9s %8s %8s\n", "binary", "threads", "min s", "median s",
		    "msg/s", "cpu s", "ratio"
		for (i = 1; i <= nk; i++) {
			split(order[i], kv, " ")
			med = median(walls[order[i]], "median")
			printf "%-44s %-8s %8.2f %8.2f %9.0f %8.2f %8.2f\n", kv[1], kv[2],
			    median(walls[order[i]], "min"), med, n / med,
			    median(cpus[order[i]], "median"), nm / med
		}
		print "(msg/s, cpu s and ratio, notmuch median s / this median s, are of the medians)"
	}' "$work/walls"
	exit 0
fi

arfimport fresh "$md" "$N"
af_wall=$wall af_rss=$rss af_cpu=$cpu
arfimport single "$md" "$N" --threads 1
a1_wall=$wall a1_rss=$rss a1_cpu=$cpu
arfimport small "$md5" "$N5"
a5_rss=$rss

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
printf '\nimport benchmark: %d messages, %.1f MB in %s, hot page cache, %s CPUs\n' \
	"$N" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$md" "$cpus"
printf '%-30s %9s %10s %9s %12s\n' "$N messages" "wall s" "msg/s" "cpu s" "peak RSS MB"
row() {
	printf '%-30s %9s %10s %9s %12s\n' "$1" "$2" "$(rate "$2" "$N")" "$3" \
		"$(awk -v k="$4" 'BEGIN { printf "%.1f", k / 1024 }')"
}
row "cat (I/O floor, best of 3)" "$cat_wall" "$cat_cpu" "$cat_rss"
row "read() loop (best of 3)" "$rd_wall" "$rd_cpu" "$rd_rss"
row "notmuch new" "$nm_wall" "$nm_cpu" "$nm_rss"
row "arfdesk import" "$af_wall" "$af_cpu" "$af_rss"
row "arfdesk import --threads 1" "$a1_wall" "$a1_cpu" "$a1_rss"
ratio=$(awk -v a="$af_wall" -v b="$nm_wall" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "inf" }')
ratio1=$(awk -v a="$a1_wall" -v b="$nm_wall" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "inf" }')
printf '\narfdesk msg/s / notmuch msg/s: %s (--threads 1: %s)\n' "$ratio" "$ratio1"
printf 'arfdesk peak RSS: %.1f MB at %d messages, %.1f MB at %d messages\n' \
	"$(awk -v k="$af_rss" 'BEGIN { print k / 1024 }')" "$N" \
	"$(awk -v k="$a5_rss" 'BEGIN { print k / 1024 }')" "$N5"

# One line for bench/run's summary.
if [ -n "${BENCH_SUMMARY:-}" ]; then
	printf 'import %d: cat %s msg/s (read loop %s), notmuch %s msg/s, arfdesk %s msg/s (--threads 1: %s), ratio %s; arfdesk RSS %.1f MB at %d, %.1f MB at %d\n' \
		"$N" "$(rate "$cat_wall" "$N")" "$(rate "$rd_wall" "$N")" "$(rate "$nm_wall" "$N")" "$(rate "$af_wall" "$N")" \
		"$(rate "$a1_wall" "$N")" "$ratio" \
		"$(awk -v k="$af_rss" 'BEGIN { print k / 1024 }')" "$N" \
		"$(awk -v k="$a5_rss" 'BEGIN { print k / 1024 }')" "$N5" >>"$BENCH_SUMMARY"
fi
