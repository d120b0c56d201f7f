#!/usr/bin/env bash
# fetch.t: arfdesk fetch against a real Dovecot started here (tests/lib/dovecot.sh): a first
# fetch, a second that finds nothing, only the new mail after new mail, the seen state kept,
# flag and move visible on the server, a UIDVALIDITY reset, kill -9 at moments through a
# fetch and then a fetch that finishes it (every message stored exactly once, none acted on
# that is not stored), a wrong password, an untrusted certificate, STARTTLS, a server down.
. "$(dirname "$0")/lib/tap.sh"
. "$TOP/tests/lib/dovecot.sh"
dovecot_usable || skip_all "dovecot is not installed (apt-get install dovecot-imapd)"
plan 24
DB=$WORK/f.db
run() { "$ARFDESK" -d "$DB" "$@"; }
dovecot_start || { dovecot_logs; exit 1; }
printf 'machine 127.0.0.1 login abuse password secret\n' > "$HOME/.netrc"
chmod 600 "$HOME/.netrc"
URL="imaps://abuse@127.0.0.1:$IMAPS_PORT/INBOX"
fetch() { run fetch --cacert "$DOVECOT_CA" "$@"; }
count() { sqlite3 "$DB" 'SELECT COUNT(*) FROM messages'; }
# Messages of their own for this test: three complaints that differ.
for i in 1 2 3; do
	sed -e "s/fbl-20240603100510-0001/fetch-$i/" -e "s/192\.0\.2\.25/203.0.113.$i/g" \
		"$TOP/tests/parse/arf-basic.eml" > "$WORK/m$i.eml"
done
maildir_add abuse "$WORK/m1.eml" "$WORK/m2.eml"

out=$(fetch "$URL" 2>&1)
is "$?:$(count)" "0:2" "a first fetch stores the mailbox's messages"
like "$out" "2 new on the server, fetched 2, new 2" "... and says so"
like "$(run reports --json | head -1)" "\"source\":\"imaps://abuse@127\\.0\\.0\\.1:$IMAPS_PORT/INBOX;UIDVALIDITY=[0-9]+/;UID=1\"" \
	"a report's source is its message's IMAP URL"
is "$(imap_flags abuse INBOX | tr '\n' ' ')" "1 2 " "the seen state on the server is what it was (not \\Seen)"
out=$(fetch "$URL" 2>&1)
is "$?:$(count)" "0:2" "a second fetch finds nothing new"
like "$out" "0 new on the server, fetched 0" "... and says so"
imap_flag_add abuse INBOX 2 '\Seen'
maildir_add abuse "$WORK/m3.eml"
out=$(fetch --json "$URL")
is "$(count)" 3 "new mail, then only the new mail"
like "$out" '"listed":1,"fetched":1,"new":1' "... --json counts the one"
is "$(imap_flags abuse INBOX | tr '\n' ' ')" '1 2 \Seen 3 ' "a message already seen stays seen, the others unseen"

# The action after import, on the server.
maildir_add abuse "$TOP/tests/parse/arf-all-fields.eml"
fetch --after 'flag $Arfdesk' "$URL" >/dev/null 2>&1
is "$(imap_flags abuse INBOX | tail -1)" '4 $Arfdesk' "--after 'flag \$Arfdesk': the message imported carries the keyword"
imap_create abuse Done
maildir_add abuse "$TOP/tests/parse/arf-encoded-subject.eml"
before=$(imap_count abuse INBOX)
fetch --after 'move Done' "$URL" >/dev/null 2>&1
is "$(imap_count abuse INBOX):$(imap_count abuse Done)" "$((before - 1)):1" "--after 'move Done': the message imported moved"
is "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM sync_pending')" 0 "nothing left pending"

# UIDVALIDITY reset: every message listed again, none stored twice.
n=$(count)
imap_uidvalidity_reset abuse INBOX >/dev/null
out=$(fetch "$URL" 2>&1)
is "$?:$(count)" "0:$n" "UIDVALIDITY reset: a rescan, nothing stored twice"
like "$out" "UIDVALIDITY changed" "... and it says why it lists every message again"

# Errors: each a clear one, exit 1.
printf 'machine 127.0.0.1 login abuse password wrong\n' > "$HOME/.netrc"
out=$(fetch "$URL" 2>&1)
like "$?:$out" "^1:.*login refused.*\\.netrc" "wrong password: a clear error, exit 1"
printf 'machine 127.0.0.1 login abuse password secret\n' > "$HOME/.netrc"
out=$(run fetch "$URL" 2>&1)
like "$?:$out" "^1:.*certificate is not trusted.*--cacert" "a certificate not trusted: refused, exit 1"
out=$(fetch "imap://abuse@127.0.0.1:$IMAP_PORT/INBOX" 2>&1)
is "$?" 0 "imap:// goes through STARTTLS (required)"
out=$(run fetch "imaps://abuse:pw@127.0.0.1:$IMAPS_PORT/INBOX" 2>&1)
like "$?:$out" "^2:.*password in a URL" "a password on the command line is refused (usage, exit 2)"

# kill -9 at moments through a fetch of many, then a fetch that finishes: exactly once.
python3 "$TOP/bench/gen-arf.py" --count 1500 --seed 7 --format maildir --out "$WORK/many" 2>/dev/null
box=$DOVECOT_DIR/home/abuse/Maildir
cp "$WORK"/many/*/new/* "$box/new/" 2>/dev/null || cp "$WORK"/many/new/* "$box/new/"
chown -R nobody:nogroup "$box"
stored_before=$(count)
flagged_before=$(imap_flags abuse INBOX | grep -c 'Arfdesk')
bad=0
for delay in 0.15 0.4 0.3 0.6; do
	# The binary itself in the background, so that kill -9 reaches it (not a subshell).
	"$ARFDESK" -d "$DB" fetch --cacert "$DOVECOT_CA" -q --after 'flag $Arfdesk' "$URL" \
		2>/dev/null &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# Every message flagged on the server is stored (flagged ones before this part count too).
	flagged=$(imap_flags abuse INBOX | grep -c 'Arfdesk')
	stored=$(sqlite3 "$DB" "SELECT COUNT(*) FROM messages WHERE source LIKE 'imaps://abuse@127.0.0.1:$IMAPS_PORT/INBOX;%'")
	[ "$flagged" -le "$stored" ] || bad=$((bad + 1))
done
is "$bad" 0 "after each kill -9, no message is flagged that is not stored"
fetch -q --after 'flag $Arfdesk' "$URL" 2>"$WORK/err"; rc=$?; sed "s/^/# /" "$WORK/err"; (exit $rc)
is "$?" 0 "the next fetch finishes"
is "$(( $(count) - stored_before ))" 1500 "every one of the 1500 messages stored exactly once"
is "$(( $(imap_flags abuse INBOX | grep -c 'Arfdesk') - flagged_before ))" 1500 "... and every one flagged on the server"
is "$(imap_flags abuse INBOX | grep -c 'Seen')" 1 "... their seen state kept (only the one seen before)"

dovecot_stop
out=$(fetch --timeout 2 "$URL" 2>&1)
like "$?:$out" "^1:.*cannot reach the server" "server down: a clear error, exit 1"
done_testing
