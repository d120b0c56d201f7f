#!/bin/sh
# bench/nesting.sh [N]: how long `arfdesk import` takes over one message of N nested
# multiparts (default 400000, about 25 MB, just under the default max_message_size), side by
# side with messages of the same size that are flat.
#
# Generates, once (cached under ${BENCH_DIR:-/tmp/arfdesk-bench}), three messages:
#   nested   N multipart/mixed parts, each inside the one before, each with its own boundary,
#            a text part at the bottom
#   parts    one multipart/mixed with N text parts side by side, padded to the same size
#   text     one multipart/mixed with a text part and one attachment of N lines
# then imports each into a fresh database BENCH_RUNS times (default 3, at least 3) and prints
# the minimum and median wall seconds and the peak RSS. With ARFDESK_BASE set to another
# binary (an older build, say), that one is timed too, in the same runs, for a before/after
# table. Every import must store the message and end with status 0.
#
# Environment: ARFDESK (binary, default the repository's ./arfdesk), ARFDESK_BASE (a second
# binary to compare), BENCH_DIR (message cache), BENCH_RUNS (timed runs, default 3), TMPDIR.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
N=${1:-400000}
ARFDESK=${ARFDESK:-$repo/arfdesk}
BASE=${ARFDESK_BASE:-}
BENCH_DIR=${BENCH_DIR:-/tmp/arfdesk-bench}
RUNS=${BENCH_RUNS:-3}

die() { echo "nesting.sh: $*" >&2; exit 1; }

case $N in '' | *[!0-9]* | 0) die "N must be a positive number: $N" ;; esac
case $RUNS in '' | *[!0-9]* | [012]) die "BENCH_RUNS must be a number of at least 3: $RUNS" ;; esac
[ -x "$ARFDESK" ] || die "no arfdesk binary at $ARFDESK (run ./configure && make, or set ARFDESK)"
[ -z "$BASE" ] || [ -x "$BASE" ] || die "ARFDESK_BASE is not an executable: $BASE"
command -v python3 >/dev/null || die "python3 is needed"
py=$(python3 -c 'import sys; print(sys.executable)')

work=$(mktemp -d "${TMPDIR:-/tmp}/arfdesk-nesting.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# An empty configuration keeps a personal one out of the figures.
: >"$work/arfdesk.conf"
ARFDESK_CONFIG=$work/arfdesk.conf
export ARFDESK_CONFIG

# message KIND: the cached message of N parts (written to a temporary name, then renamed).
message() {
	file=$BENCH_DIR/nesting-$1-$N.eml
	if [ ! -f "$file" ]; then
		mkdir -p "$BENCH_DIR"
		"$py" - "$1" "$N" "$file.tmp" <<'EOF'
import sys

kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def b36(i):
    s = ""
    while True:
        i, r = divmod(i, 36)
        s = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + s
        if i == 0:
            return s

parts = ["From: Frank <frank@isp.example.com>\nTo: abuse@isp.example.com\n"
         "Subject: Fwd: %s\nDate: Thu, 06 Jun 2024 10:00:00 +0000\nMIME-Version: 1.0\n" % kind]
if kind == "nested":
    for i in range(n):
        b = "b" + b36(i)
        parts.append("Content-Type: multipart/mixed; boundary=%s\n\n--%s\n" % (b, b))
    parts.append("Content-Type: text/plain\n\nat the bottom: http://deep.example.com/\n")
    for i in reversed(range(n)):
        parts.append("--b%s--\n" % b36(i))
elif kind == "parts":
    parts.append("Content-Type: multipart/mixed; boundary=flat\n\n")
    for i in range(n):
        parts.append("--flat\nContent-Type: text/plain\n\nx%s %s\n" % (b36(i), "p" * 24))
    parts.append("--flat--\n")
else:
    parts.append("Content-Type: multipart/mixed; boundary=flat\n\n--flat\n"
                 "Content-Type: text/plain\n\nsee the attachment\n--flat\n"
                 "Content-Type: application/octet-stream\n\n")
    for i in range(n):
        parts.append("--line %07d of an attachment, no boundary %s\n" % (i, "p" * 6))
    parts.append("--flat--\n")
with open(out, "w") as f:
    f.write("".join(parts))
EOF
		mv "$file.tmp" "$file"
	fi
	echo "$file"
}

# runs BINARY FILE: import FILE into a fresh database RUNS times; prints "min median rss_mb".
runs() {
	"$py" - "$1" "$2" "$work" "$RUNS" <<'EOF'
import os, statistics, sys, time

binary, message, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
walls, rss = [], 0
for run in range(runs):
    db = os.path.join(work, "nesting.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    argv = [binary, "-d", db, "import", "-q", message]
    devnull = os.open(os.devnull, os.O_WRONLY)
    t = time.monotonic()
    pid = os.posix_spawn(binary, argv, os.environ,
                         file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1),
                                       (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, ru = os.wait4(pid, 0)
    walls.append(time.monotonic() - t)
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("nesting.sh: failed: " + " ".join(argv))
    rss = max(rss, ru.ru_maxrss)
print("%.2f %.2f %.1f" % (min(walls), statistics.median(walls), rss / 1024))
EOF
}

printf 'nesting benchmark: %d parts, %d runs each, fresh database per run\n' "$N" "$RUNS"
printf '%-8s %8s  %-28s %8s %8s %12s\n' "message" "MB" "binary" "min s" "median s" "peak RSS MB"
for kind in nested parts text; do
	file=$(message "$kind")
	mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", b / 1048576 }')
	for binary in "$ARFDESK" $BASE; do
		# shellcheck disable=SC2046
		set -- $(runs "$binary" "$file")
		name=$binary
		[ ${#name} -le 28 ] || name="~${name#"${name%???????????????????????????}"}"
		printf '%-8s %8s  %-28s %8s %8s %12s\n' "$kind" "$mb" "$name" "$1" "$2" "$3"
	done
done
