#!/usr/bin/env bash
# import.t: every kind of local source, duplicates, size limits (a line far longer than memory
# allows too), unreadable paths and read errors, a growing mbox and mbox escaping, a killed
# import resumed without loss or duplicates, and trusted networks in the Received walk.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
plan 46

count() { "$ARFDESK" -d "$1" reports --json | wc -l | tr -d ' '; }

# A Maildir with a message in new/ and one in cur/ carrying flags.
mkdir -p "$WORK/md/cur" "$WORK/md/new" "$WORK/md/tmp"
cp "$P/arf-basic.eml" "$WORK/md/new/1700000000.1.host"
cp "$P/xarf-json.eml" "$WORK/md/cur/1700000000.2.host:2,S"
out=$("$ARFDESK" -d "$WORK/a.db" import "$WORK/md")
is "$out" "read 2, new 2, duplicates 0, unparsed 0, refused 0" "Maildir: summary"
is "$("$ARFDESK" -d "$WORK/a.db" reports --json --format xarf | wc -l | tr -d ' ')" 1 "Maildir: cur/ is read"
out=$("$ARFDESK" -d "$WORK/a.db" import "$WORK/md")
is "$out" "read 2, new 0, duplicates 2, unparsed 0, refused 0" "Maildir again: all duplicates"

# The same bytes as a single file are a duplicate too.
out=$("$ARFDESK" -d "$WORK/a.db" import --json "$P/arf-basic.eml")
is "$(json_field "$out" duplicates)" 1 "single file: the Maildir copy is recognised"

# An mbox: three messages, one body line escaped as >From.
{
	printf 'From spam@example.com Mon Nov  2 10:00:00 2026\n'; cat "$P/arf-basic.eml"; printf '\n'
	printf 'From spam@example.com Mon Nov  2 10:01:00 2026\n'; cat "$P/arf-ipv6-source.eml"; printf '\n>From the body\n\n'
	printf 'From spam@example.com Mon Nov  2 10:02:00 2026\n'; cat "$P/fwd-rfc822.eml"
} > "$WORK/box.mbox"
out=$("$ARFDESK" -d "$WORK/m.db" import --json "$WORK/box.mbox")
is "$(json_field "$out" read):$(json_field "$out" new)" "3:3" "mbox: three messages"
first=$("$ARFDESK" -d "$WORK/m.db" reports --json --limit 1)
is "$(json_field "$first" source_ip)" "$(json_field "$(cat "$P/arf-basic.expected")" source_ip)" "mbox: first message parsed"
"$ARFDESK" -d "$WORK/m.db" show --raw 1 > "$WORK/raw1"
cmp -s "$WORK/raw1" "$P/arf-basic.eml"
ok $? "mbox: the stored message is the original bytes, without the From_ line"

# Standard input: one message, then an mbox.
out=$("$ARFDESK" -d "$WORK/s.db" import --json - < "$P/spamcop-inline.eml")
is "$(json_field "$out" new)" 1 "stdin: one message"
is "$("$ARFDESK" -d "$WORK/s.db" reports --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["source"])')" "-" "stdin: the source is -"
out=$("$ARFDESK" -d "$WORK/s.db" import --json - < "$WORK/box.mbox")
is "$(json_field "$out" new)" 3 "stdin: an mbox"

# A directory tree of files, with empty and binary files: stored and flagged, never dropped.
mkdir -p "$WORK/tree/sub"
cp "$P/empty.eml" "$P/binary.eml" "$WORK/tree/"
cp "$P/arf-crlf.eml" "$WORK/tree/sub/"
out=$("$ARFDESK" -d "$WORK/t.db" import --json "$WORK/tree" 2>"$WORK/err")
is "$(json_field "$out" read):$(json_field "$out" new):$(json_field "$out" unparsed)" "3:3:2" "directory: walked, bad files stored as unparsed"
like "$(cat "$WORK/err")" "empty.eml: stored as report [0-9]+, unparsed: empty message" "directory: unparsed files are named"

# A walk goes on past what it cannot read: a dangling link is an error (exit 1) but the files
# after it are imported; a link to a directory and a FIFO are skipped; the database itself,
# inside the imported directory, is never imported.
mkdir -p "$WORK/walk/a" "$WORK/walk/b"
cp "$P/arf-basic.eml" "$P/arf-crlf.eml" "$WORK/walk/a/"
cp "$P/xarf-json.eml" "$WORK/walk/b/"
ln -s /nonexistent "$WORK/walk/a/1-dangling.eml"
ln -s .. "$WORK/walk/a/up"
mkfifo "$WORK/walk/b/fifo.eml"
out=$("$ARFDESK" -d "$WORK/walk/desk.db" import --json "$WORK/walk" 2>"$WORK/err"); rc=$?
is "$rc:$(json_field "$out" read):$(json_field "$out" new)" "1:3:3" "walk: past a dangling link, exit 1, all three messages imported"
like "$(cat "$WORK/err")" "1-dangling.eml: No such file" "walk: the dangling link is named"
like "$(cat "$WORK/err")" "up: a link to a directory; not followed" "walk: a link to a directory is not followed"
like "$(cat "$WORK/err")" "fifo.eml: not a regular file; skipped" "walk: a FIFO is skipped, not waited on"

# Empty standard input is nothing to import, not an empty message.
out=$("$ARFDESK" -d "$WORK/e.db" import --json - < /dev/null 2>"$WORK/err")
is "$(json_field "$out" read):$(json_field "$out" new)" "0:0" "empty stdin: nothing imported"

# Too large: refused with the file named; the run still exits 0.
printf 'max_message_size = 2K\n' > "$WORK/small.conf"
out=$("$ARFDESK" -c "$WORK/small.conf" -d "$WORK/r.db" import "$P/arf-basic.eml" "$P/long-header.eml" 2>"$WORK/err")
rc=$?
is "$out:$rc" "read 2, new 1, duplicates 0, unparsed 0, refused 1:0" "size limit: refused and accounted for"
like "$(cat "$WORK/err")" "long-header.eml: refused: .*larger than max_message_size" "size limit: the refused file is named"

# A path that cannot be read: an error, exit 1, the other paths still imported.
out=$("$ARFDESK" -d "$WORK/u.db" import "$WORK/nonexistent" "$P/arf-basic.eml" 2>"$WORK/err")
rc=$?
is "$rc" 1 "unreadable path: exit 1"
like "$(cat "$WORK/err")" "^arfdesk: .*nonexistent: No such file" "unreadable path: reported"
is "$(count "$WORK/u.db")" 1 "unreadable path: the other input was imported"

# The database holds evidence: created mode 0600.
is "$(stat -c %a "$WORK/u.db")" 600 "database created with mode 0600"

# Killed mid-import: the next run completes it with no loss and no duplicates.
python3 "$TOP/bench/gen-arf.py" --count 4000 --out "$WORK/big" --seed 7 >/dev/null 2>&1
"$ARFDESK" -d "$WORK/k.db" import -q --threads 1 "$WORK/big" &
pid=$!
wait_committed "$WORK/k.db" 1000
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
partial=$(sqlite3 "$WORK/k.db" 'SELECT COUNT(*) FROM messages')
ok $([ "$partial" -ge 1000 ] && [ "$partial" -lt 4000 ] && echo 0 || echo 1) "killed import left a committed part ($partial of 4000)"
out=$("$ARFDESK" -d "$WORK/k.db" import --json "$WORK/big")
is "$(json_field "$out" new):$(json_field "$out" duplicates)" "$((4000 - partial)):$partial" "resumed import adds exactly the rest"
is "$(sqlite3 "$WORK/k.db" 'SELECT COUNT(*), COUNT(DISTINCT sha256) FROM messages')" "4000|4000" "4000 messages, none twice"
is "$(sqlite3 "$WORK/k.db" 'SELECT COUNT(*) FROM reports')" 4000 "every message has its report"

# Interrupted (SIGINT): what was read is stored and committed, the run says so and exits 1,
# and running it again completes it.
"$ARFDESK" -d "$WORK/i.db" import -q --threads 1 "$WORK/big" 2>"$WORK/err" &
pid=$!
wait_committed "$WORK/i.db" 1000
kill -INT $pid; wait $pid; rc=$?
stored=$(sqlite3 "$WORK/i.db" 'SELECT COUNT(*) FROM messages')
like "$rc:$(cat "$WORK/err")" "^1:arfdesk: import: interrupted; the [0-9]+ messages read so far are stored" "SIGINT: exit 1 with a message"
out=$("$ARFDESK" -d "$WORK/i.db" import --json "$WORK/big")
is "$(json_field "$out" duplicates):$(sqlite3 "$WORK/i.db" 'SELECT COUNT(*) FROM messages')" "$stored:4000" "SIGINT: what was read was kept; the re-run completes it"

# A message with a line far longer than max_message_size (a sparse 1.2 GB run of NULs, no
# newline) inside an mbox: refused as soon as it passes the limit, never held in memory, and the
# messages after it imported. Under a 1 GB address-space limit a reader that held the line lost
# the rest of the mbox and exited 0.
# Message N: arf-basic about a spam of its own (its subject and the original's Message-ID).
msg() { printf 'From spam@example.com Mon Nov  2 10:0%d:00 2026\n' "$1"; sed "s/^Subject: .*/Subject: message $1/; s/^Message-ID: <2024/Message-ID: <$1-2024/" "$P/arf-basic.eml"; printf '\n'; }
{ msg 1; printf 'From spam@example.com Mon Nov  2 10:02:00 2026\nSubject: huge\n\n'; } > "$WORK/huge.mbox"
truncate -s +1200M "$WORK/huge.mbox"
{ printf '\n\n'; msg 3; msg 4; } >> "$WORK/huge.mbox"
asan=${ASAN_OPTIONS:+1}	# ASan reserves terabytes of address space: no ulimit -v then
limit() { if [ -z "$asan" ]; then ulimit -v 1000000; fi; "$@"; }
out=$(limit "$ARFDESK" -d "$WORK/h.db" import "$WORK/huge.mbox" 2>"$WORK/err"); rc=$?
is "$out:$rc" "read 4, new 3, duplicates 0, unparsed 0, refused 1:0" "huge line in an mbox: refused, the rest imported"
like "$(cat "$WORK/err")" "huge.mbox at byte [0-9]+: refused: larger than max_message_size" "huge line: the refused message is named with its offset"
is "$(sqlite3 "$WORK/h.db" "SELECT group_concat(original_subject, ',') FROM reports")" "message 1,message 3,message 4" "huge line: the messages before and after it are whole"
out=$(cat "$WORK/huge.mbox" | limit "$ARFDESK" -d "$WORK/h2.db" import - 2>/dev/null); rc=$?
is "$out:$rc" "read 4, new 3, duplicates 0, unparsed 0, refused 1:0" "huge line on standard input: refused, the rest imported"
# Peak memory of the whole import stays far below the line's size (ASan's own overhead aside).
rss=$(python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$ARFDESK" -d "$WORK/h3.db" import "$WORK/huge.mbox")
ok $([ "$rss" -lt $([ -n "$asan" ] && echo 600 || echo 150) ] && echo 0 || echo 1) "huge line: peak memory ${rss} MB"
rm -f "$WORK/huge.mbox"

# A read error is an error: named, counted, exit 1; the other paths are imported.
out=$("$ARFDESK" -d "$WORK/re.db" import --json /proc/self/mem "$P/arf-basic.eml" 2>"$WORK/err"); rc=$?
is "$rc:$(json_field "$out" errors):$(json_field "$out" new)" "1:1:1" "read error: counted, exit 1, the rest imported"
like "$(cat "$WORK/err")" "/proc/self/mem: read error: Input/output error" "read error: named with its reason"

# A growing mbox: imported at 100 messages and again at 200, each message is stored once (the
# last message's separator line is not part of it).
: > "$WORK/grow.mbox"
for i in $(seq 1 200); do
	printf 'From spam@example.com Mon Nov  2 10:00:00 2026\nMessage-ID: <%d@example.com>\nSubject: n%d\n\nbody %d\n\n' "$i" "$i" "$i" >> "$WORK/grow.mbox"
	[ "$i" = 100 ] && out1=$("$ARFDESK" -d "$WORK/g.db" import -q --json "$WORK/grow.mbox")
done
out2=$("$ARFDESK" -d "$WORK/g.db" import -q --json "$WORK/grow.mbox")
is "$(json_field "$out1" new) $(json_field "$out2" new) $(json_field "$out2" duplicates)" "100 100 100" "growing mbox: the second import adds only the new messages"
is "$(sqlite3 "$WORK/g.db" 'SELECT COUNT(*) FROM messages')" 200 "growing mbox: 200 messages stored"
"$ARFDESK" -d "$WORK/g.db" show --raw 100 > "$WORK/raw100"
printf 'Message-ID: <100@example.com>\nSubject: n100\n\nbody 100\n' > "$WORK/want100"
cmp -s "$WORK/raw100" "$WORK/want100"
ok $? "growing mbox: message 100 is its own bytes, without the separator line"

# mboxrd escaping is undone: ">From " was "From ", ">>From " was ">From "; mboxo undoes only
# the first; a quoted "> From" is no escape.
printf 'From a@example.com Mon Nov  2 10:00:00 2026\nSubject: esc\n\n>From here\n>>From there\n> From quoted\n\n' > "$WORK/rd.mbox"
"$ARFDESK" -d "$WORK/rd.db" import -q "$WORK/rd.mbox"
is "$("$ARFDESK" -d "$WORK/rd.db" show --raw 1 | tail -3 | tr '\n' '|')" "From here|>From there|> From quoted|" "mboxrd: escaped From lines restored"
"$ARFDESK" -d "$WORK/ro.db" import -q --mbox-format mboxo "$WORK/rd.mbox"
is "$("$ARFDESK" -d "$WORK/ro.db" show --raw 1 | tail -3 | tr '\n' '|')" "From here|>>From there|> From quoted|" "mboxo: only >From restored"
"$ARFDESK" -d "$WORK/ro.db" import --mbox-format mboxcl "$WORK/rd.mbox" 2>"$WORK/err"; rc=$?
like "$rc:$(cat "$WORK/err")" "^2:arfdesk: import: --mbox-format: one of mboxrd, mboxo" "--mbox-format: an unknown variant is a usage error"

# The first public hop is the reporter's own edge relay: without configuration it is known as
# internal (its receiving and sending hosts share a domain); trusted_networks says the same.
D=$TOP/tests/data
"$ARFDESK" -d "$WORK/tr1.db" import -q "$D/trust.eml"
r=$("$ARFDESK" -d "$WORK/tr1.db" reports --json)
is "$(json_field "$r" source_ip) $(json_field "$r" source_ip_rule)" "203.0.113.9 received:3" "no configuration: the reporter's edge relay is internal"
printf 'trusted_networks = 198.51.100.192/26, 2001:db8:ffff::/48\n' > "$WORK/trust.conf"
"$ARFDESK" -c "$WORK/trust.conf" -d "$WORK/tr2.db" import -q "$D/trust.eml"
r=$("$ARFDESK" -d "$WORK/tr2.db" reports --json)
is "$(json_field "$r" source_ip) $(json_field "$r" source_ip_rule)" "203.0.113.9 received:3" "trusted_networks: the walk goes past the trusted relay"

# --progress-fd: JSON lines to the descriptor, the last one saying so with every message and
# all the bytes; a descriptor that is not open is a usage error.
"$ARFDESK" -d "$WORK/pf.db" import -q --progress-fd 3 "$WORK/grow.mbox" 3>"$WORK/prog"
is "$(python3 -c '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
l = lines[-1]
print(l["last"], l["done"], l["new"], l["bytes"] == l["total_bytes"] > 0, l["rate"] > 0,
      all(not x["last"] for x in lines[:-1]))' "$WORK/prog")" "True 200 200 True True True" \
	"--progress-fd: JSON lines, the last one with every message and byte"
"$ARFDESK" -d "$WORK/pf.db" import -q --progress-fd 9 "$WORK/grow.mbox" 2>"$WORK/err"; rc=$?
like "$rc:$(cat "$WORK/err")" "^2:arfdesk: import: --progress-fd: not an open file descriptor: 9" \
	"--progress-fd: a descriptor that is not open is a usage error"
done_testing
