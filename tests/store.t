#!/usr/bin/env bash
# store.t: the database under other writers and in bad shape: no write lock held while an import
# waits for input, writers that take turns instead of starving, a clear reason when a database
# cannot be opened, another program's database left alone, the WAL given back after an import,
# and a full disk that says what was stored.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 21

# An mbox of N messages whose subjects start with PREFIX.
mbox() {
	for i in $(seq 1 "$2"); do
		printf 'From spam@example.com Mon Nov  2 10:00:00 2026\n'
		sed "s/^Subject: .*/Subject: $1 $i/" "$P/arf-basic.eml"
		printf '\n'
	done
}

# An import reading a pipe that waits holds no lock: what it has read is committed, and a
# colleague's case change goes through at once (it used to fail after 10 s, "database is
# locked"). The mbox reader hands on a message when the next "From " line comes, so 2 of 3.
mkfifo "$WORK/fifo"
"$ARFDESK" -d "$WORK/w.db" import --json - < "$WORK/fifo" > "$WORK/out" 2>"$WORK/err" &
pid=$!
exec 3> "$WORK/fifo"
mbox first 3 >&3
wait_committed "$WORK/w.db" 2
is "$(sqlite3 "$WORK/w.db" 'SELECT COUNT(*) FROM messages')" 2 "waiting import: what was read is committed"
out=$("$ARFDESK" -d "$WORK/w.db" case ip:192.0.2.1 --state open 2>&1); rc=$?
kill -0 $pid 2>/dev/null; running=$?
is "$rc:$running" "0:0" "waiting import: a case change goes through while it waits"
mbox second 2 >&3
exec 3>&-
wait $pid; rc=$?
is "$rc:$(json_field "$(cat "$WORK/out")" new)" "0:5" "waiting import: ends with everything stored"

# Three imports into one database under CPU load, with a short busy_timeout: writers take
# turns, none gives up (with sqlite's own busy handler one starved).
printf 'busy_timeout = 2\n' > "$WORK/busy2.conf"
for s in 1 2 3; do
	python3 "$TOP/bench/gen-arf.py" --count 3000 --out "$WORK/c$s" --seed "$s" >/dev/null 2>&1
done
"$ARFDESK" -d "$WORK/c.db" import -q "$P/arf-basic.eml"
yes > /dev/null & load1=$!
yes > /dev/null & load2=$!
for s in 1 2 3; do
	"$ARFDESK" -c "$WORK/busy2.conf" -d "$WORK/c.db" import -q --json "$WORK/c$s" > "$WORK/c$s.out" 2>&1 &
	eval "imp$s=\$!"
done
rcs=""
for s in 1 2 3; do eval "wait \$imp$s"; rcs="$rcs$?"; done
kill $load1 $load2; wait $load1 $load2 2>/dev/null
is "$rcs" "000" "three imports at once: all succeed"
is "$(sqlite3 "$WORK/c.db" 'SELECT COUNT(*), COUNT(DISTINCT sha256) FROM messages')" "9001|9001" "three imports at once: every message stored once"

# A writer that does give up (a holder that makes no progress) says how much it stored.
printf 'busy_timeout = 1\n' > "$WORK/busy1.conf"
rm -f "$WORK/fifo"; mkfifo "$WORK/fifo"
"$ARFDESK" -c "$WORK/busy1.conf" -d "$WORK/g.db" import - < "$WORK/fifo" > "$WORK/out" 2>"$WORK/err" &
pid=$!
exec 3> "$WORK/fifo"
mbox early 3 >&3
wait_committed "$WORK/g.db" 2
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE"); open(sys.argv[2], "w").close(); time.sleep(4); c.execute("ROLLBACK")' "$WORK/g.db" "$WORK/locked" &
holder=$!
for i in $(seq 1 100); do [ -e "$WORK/locked" ] && break; sleep 0.05; done
mbox late 3 >&3
exec 3>&-
wait $pid; rc=$?
wait $holder
like "$rc:$(cat "$WORK/err")" "^1:.*database is locked: another program has held its write lock for 1 s" "a writer that gives up says why"
like "$(cat "$WORK/err")" "import: stopped by the database error above; 2 new messages were stored before it" "... and how much it stored"
is "$(sqlite3 "$WORK/g.db" 'SELECT COUNT(*) FROM messages')" 2 "... which is what is stored"

# A truncated database: sqlite's reason, not "not an arfdesk database".
"$ARFDESK" -d "$WORK/t.db" import -q "$P/arf-basic.eml" "$P/arf-crlf.eml" "$P/xarf-json.eml"
head -c 20000 "$WORK/t.db" > "$WORK/trunc.db"
out=$("$ARFDESK" -d "$WORK/trunc.db" reports 2>&1); rc=$?
like "$rc:$out" "^1:arfdesk: .*trunc.db: .*database disk image is malformed" "truncated database: sqlite's reason (reports)"
out=$("$ARFDESK" -d "$WORK/trunc.db" import "$P/arf-basic.eml" 2>&1); rc=$?
like "$rc:$out" "^1:arfdesk: .*trunc.db: .*malformed" "truncated database: sqlite's reason (import)"

# A database in a directory that is not writable: sqlite's reason, and what it means. Root
# ignores permissions, so then the commands run as nobody.
mkdir -p "$WORK/pub/ro"
"$ARFDESK" -d "$WORK/pub/ro/d.db" import -q "$P/arf-basic.eml"
chmod 711 "$WORK"; chmod 755 "$WORK/pub"; chmod 666 "$WORK/pub/ro/d.db"; chmod 555 "$WORK/pub/ro"
as_user() { if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; else "$@"; fi; }
out=$(as_user "$ARFDESK" -d "$WORK/pub/ro/d.db" reports 2>&1); rc=$?
like "$rc:$out" "^1:arfdesk: .*d.db: .*(readonly|unable to open).*directory must be writable" "read-only directory: sqlite's reason and a hint (reports)"
out=$(as_user "$ARFDESK" -d "$WORK/pub/ro/d.db" import "$P/arf-crlf.eml" 2>&1); rc=$?
like "$rc:$out" "^1:arfdesk: .*d.db: .*(readonly|unable to open)" "read-only directory: sqlite's reason (import)"
chmod 755 "$WORK/pub/ro"

# Another program's sqlite database is refused and left exactly as it was.
sqlite3 "$WORK/other.db" 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ("keep me");'
before=$(sha256sum < "$WORK/other.db")
out=$("$ARFDESK" -d "$WORK/other.db" import "$P/arf-basic.eml" 2>&1); rc=$?
like "$rc:$out" "^1:arfdesk: .*other.db: not an arfdesk database: the sqlite database of another program" "another program's database: refused"
is "$(sha256sum < "$WORK/other.db"):$(ls "$WORK" | grep -c 'other.db-')" "$before:0" "another program's database: not changed, not switched to WAL"
out=$("$ARFDESK" -d "$WORK/other.db" reports 2>&1); rc=$?
like "$rc:$out" "^1:.*not an arfdesk database" "another program's database: refused by a reader too"

# After a large import the WAL is given back, even while another connection keeps the
# database open (without that connection sqlite removes the WAL on close anyway).
"$ARFDESK" -d "$WORK/wal.db" import -q "$P/arf-basic.eml"
python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("SELECT COUNT(*) FROM messages").fetchall()
open(sys.argv[2], "w").close(); time.sleep(30)' "$WORK/wal.db" "$WORK/reader" &
reader=$!
for i in $(seq 1 100); do [ -e "$WORK/reader" ] && break; sleep 0.05; done
"$ARFDESK" -d "$WORK/wal.db" import -q "$WORK/c1"
is "$(stat -c %s "$WORK/wal.db-wal")" 0 "WAL cut back after the import, with a reader connected"
kill $reader; wait $reader 2>/dev/null

# A full disk (a file size limit here): the import says how many messages it stored, and the
# same import run again completes it.
"$ARFDESK" -d "$WORK/full.db" import -q "$P/arf-basic.eml"
out=$(trap '' XFSZ; ulimit -f 6000; "$ARFDESK" -d "$WORK/full.db" import -q "$WORK/c2" 2>&1); rc=$?
stored=$(sqlite3 "$WORK/full.db" 'SELECT COUNT(*) FROM messages')
like "$rc $(echo "$out" | grep 'import: stopped')" "^1 arfdesk: import: stopped by the database error above; $((stored - 1)) new messages were stored before it" "disk full: exit 1, says how many were stored"
out=$("$ARFDESK" -d "$WORK/full.db" import --json "$WORK/c2")
is "$(json_field "$out" new):$(sqlite3 "$WORK/full.db" 'SELECT COUNT(*) FROM messages')" "$((3001 - stored)):3001" "disk full: the next run completes it"
# The wrong kinds of -d: each says what it is, for reading and for writing alike.
mkdir "$WORK/adir"
printf 'some notes\n' > "$WORK/notes.txt"
for cmd in groups "case ip:192.0.2.1 --state open"; do
	# shellcheck disable=SC2086
	"$ARFDESK" -d "$WORK/adir" $cmd 2>>"$WORK/dir.err" >/dev/null
	# shellcheck disable=SC2086
	"$ARFDESK" -d "" $cmd 2>>"$WORK/empty.err" >/dev/null
	# shellcheck disable=SC2086
	"$ARFDESK" -d "$WORK/notes.txt" $cmd 2>>"$WORK/text.err" >/dev/null
done
is "$(sort -u "$WORK/dir.err")" "arfdesk: $WORK/adir: a directory, not a database file (give a file in it, such as -d $WORK/adir/arfdesk.db)" \
	"-d DIRECTORY: one clear error, reading or writing"
is "$(sort -u "$WORK/empty.err")" "arfdesk: the database path is empty (give a file, such as -d desk.db)" "-d '': one clear error"
is "$(sort -u "$WORK/text.err"):$(cat "$WORK/notes.txt")" \
	"arfdesk: $WORK/notes.txt: reading the database: file is not a database (not an sqlite database: is -d the right file?):some notes" \
	"-d TEXT-FILE: one clear error, the file left as it was"

done_testing
