#!/usr/bin/env bash
# console.t: the console, the real binary under tmux (a private socket, a fixed size,
# capture-pane): the first screen, groups by another kind, a case and its reports, a report and
# its raw message, q back to the first view and out, :reports, help, search, tags and a bulk
# change, a state key and a note, messages, a resize, a concurrent import showing up without a
# key, a binding from the config, hostile text that leaves screen and title intact, demo, and
# no console without a terminal.
. "$(dirname "$0")/lib/tap.sh"
command -v tmux >/dev/null || skip_all "tmux is not installed"
plan 37
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color
unset NO_COLOR
DB=$WORK/c.db
# A tmux server of its own for each start: a killed one may still be going away.
n_tmux=0
TM="tmux -S $WORK/tmux.0.sock -f /dev/null"
new_tmux() {
	$TM kill-server 2>/dev/null
	n_tmux=$((n_tmux + 1))
	TM="tmux -S $WORK/tmux.$n_tmux.sock -f /dev/null"
}
run() { "$ARFDESK" -d "$DB" "$@"; }

"$ARFDESK" -d "$DB" import -q "$TOP/share/demo"

# start [ARGS]: the console in a new 100x30 session; its exit status lands in $WORK/exit.
start() {
	rm -f "$WORK/exit"
	new_tmux
	$TM new-session -d -x "${COLS:-100}" -y "${LINES_:-30}" -s t \
		"${ENV_:-} ARFDESK_CONFIG=${CONF:-/dev/null} $ARFDESK -d $DB $*; echo \$? > $WORK/exit; sleep 60"
	$TM set-option -t t -g status off 2>/dev/null
	wait_screen 'arfdesk: '
}
screen() { $TM capture-pane -p -t t; }
# the screen as one line, for patterns across its lines
flat() { screen | tr '\n' ' '; }
keys() { $TM send-keys -t t "$@"; }
# wait_screen REGEX: until the screen shows it (5 s at most); 0 when it did.
wait_screen() {
	for _ in $(seq 1 100); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
wait_exit() {
	for _ in $(seq 1 100); do
		[ -s "$WORK/exit" ] && return 0
		sleep 0.05
	done
	return 1
}
top_ip=$(run groups --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
top_domain=$(run groups --by domain --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

start
wait_screen "$top_ip"
like "$(flat)" "Groups by ip.*STATE +REPORTS +WHO.*$top_ip" "the first screen: the groups of source IPs, the top one first"

keys : 'groups --by domain' Enter
wait_screen "Groups by domain"
like "$(screen | head -3 | tr '\n' ' ')" "Groups by domain.*DOMAIN.*$top_domain" ":groups --by domain shows the domain groups"

keys q
wait_screen "Groups by ip"
keys Enter
wait_screen "Case ip:$top_ip"
like "$(flat)" "State: +new.*Reports, newest first" "Enter opens the selected group's case with its reports"
# the case's newest report, as the CLI lists it
newest=$(run reports --case "ip:$top_ip" --reverse --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
keys Enter
wait_screen "Report $newest"
like "$(flat)" "Report $newest.*Source IP: +$top_ip" "Enter on a report opens it: its parsed fields"
keys v
wait_screen "Raw message of report $newest"
like "$(flat)" "Received: from" "v shows its raw message"
keys q q
wait_screen "Case ip:$top_ip"
keys q
wait_screen "Groups by ip"
like "$(screen | head -1)" "Groups by ip" "q closes each view, back to the first"

keys : reports Enter
wait_screen "^arfdesk: Reports"
like "$(flat)" "ID +SEEN \(UTC\) +FORMAT" ":reports opens the reports view"
keys q

keys '?'
wait_screen "Keys, and the command"
like "$(flat)" "move-down +select the next row" "? shows help from the bindings and the commands"
keys G
wait_screen "recurring"
like "$(flat)" "recurring +recurring cases" "... down to the colour elements"
keys q

# Search: the next row whose text has the pattern.
second=$(run groups --json --limit 2 | python3 -c 'import json,sys; print([json.loads(l)["key"] for l in sys.stdin][1])')
keys / "$second" Enter
wait_screen "\(2/"
like "$(screen | head -1)" "\(2/" "/ finds the row and selects it"

# Tags and one change for all tagged rows: the third and fourth IPs resolved.
keys g j j t t
wait_screen "2 tagged"
keys '\;' r
wait_screen "2 cases changed"
is "$(run cases --state resolved --json | wc -l | tr -d ' ')" 2 "t tags rows, ; r resolves every tagged case"

# A state key on the selected row, and a note.
keys g o
wait_screen "state open: done|--state open: done"
is "$(run case "ip:$top_ip" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" open \
	"o opens the selected case"
keys e
wait_screen "Note for ip:$top_ip"
keys "spoke to the host's NOC" Enter
for _ in $(seq 1 100); do
	run case "ip:$top_ip" --json | grep -q "spoke to the host" && break
	sleep 0.05
done
like "$(run case "ip:$top_ip" --json)" "spoke to the host's NOC" "e adds a note to the selected case"

# A command that fails: its error in the status line and in messages.
keys : 'case ip:not-an-address --state open' Enter
wait_screen "not an IP|invalid|not a"
keys M
wait_screen "Messages, newest last"
like "$(flat)" "error: .*not-an-address" "errors land in the messages view"
keys q

# A resize redraws at the new size.
$TM resize-window -t t -x 80 -y 24
sleep 0.5
lines=$(screen | wc -l | tr -d ' ')
widest=$(screen | wc -L | tr -d ' ')
like "$lines:$widest:$(screen | head -1)" "^24:([0-9]|[1-7][0-9]|80):arfdesk: Groups" "a resize redraws at 80x24"

# Reports committed by another process show up without a key, the selection on its row.
sel_before=$(screen | head -1 | grep -Eo '\([0-9]+/' )
sed -e 's/192\.0\.2\.25/203.0.113.201/g' -e 's/fbl-20240603100510-0001/live-1/' \
	"$TOP/tests/parse/arf-basic.eml" > "$WORK/live.eml"
groups_before=$(screen | head -1 | grep -Eo '/[0-9]+\)')
run import -q "$WORK/live.eml"
wait_screen "/$(( ${groups_before//[^0-9]/} + 1 ))\\)"
ok $? "a report imported by another process appears within two seconds, no key pressed"
is "$(screen | head -1 | grep -Eo '\([0-9]+/')" "$sel_before" "... and the selection stays where it was"

# Long work in the background: :import shows its progress, keys are answered meanwhile, and
# its summary lands in messages; C-c stops another one, which says so.
python3 "$TOP/bench/gen-arf.py" --count 8000 --seed 21 --format mbox --out "$WORK/big" 2>/dev/null
python3 "$TOP/bench/gen-arf.py" --count 20000 --seed 22 --format mbox --out "$WORK/big2" 2>/dev/null
stored=$(sqlite3 "$DB" 'SELECT COUNT(*) FROM messages')
keys g : "import $WORK/big/complaints.mbox" Enter
wait_screen "import: [0-9]+ messages \\([0-9]+%\\), [0-9]+ new, [0-9]+/s, [0-9]+:[0-9]+ left"
ok $? ":import PATH: its progress (done, share, rate, time left) in the status line"
keys j
wait_screen "\\(2/"
ok $? "... while the keys are answered"
for _ in $(seq 1 600); do
	[ "$(sqlite3 "$DB" 'SELECT COUNT(*) FROM messages' 2>/dev/null)" -ge $((stored + 8000)) ] && break
	sleep 0.1
done
wait_screen "read 8000, new 8000"
keys M
wait_screen "Messages"
like "$(flat)" "note: read 8000, new 8000" "its summary lands in messages"
# Past the first page: a search reads on to the row, G to the last row of all.
keys q g
far=$(run groups --json --limit 450 | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
ngroups=$(run groups --json | wc -l)
keys / " $far " Enter
wait_screen "\\(450/"
like "$(screen | head -1)" "\\(450/" "/ finds a row beyond the pages read, reading on"
keys G
wait_screen "\\($ngroups/$ngroups\\)"
ok $? "G goes to the last row of all ($ngroups)"
keys g
keys : "import $WORK/big2/complaints.mbox" Enter
wait_screen "import: [0-9]+ messages \\("
keys C-c
wait_screen "stopped|failed"
keys M
wait_screen "Messages"
like "$(flat)" "error: import: interrupted" "C-c stops it; what it stored is kept, and it says so"
keys q

keys q
wait_exit
is "$(cat "$WORK/exit")" 0 "q from the first view quits, exit 0"

# Reading on between keys: with 1 ms a key, one G reads the rest of a long listing in slices
# while the keys are answered; pages cut short by the time go on after their last row, nothing
# lost or read twice; a search does the same; a key pressed meanwhile stops it. (COLUMNS=200
# is in the environment, tap.sh: the rows must fit the pane's 100 columns all the same.)
nreports=$(run reports --json | wc -l)
last_id=$(run reports --json | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
ENV_="ARFDESK_READ_MS=1" start
keys : reports Enter
wait_screen "^arfdesk: Reports"
keys G
wait_screen "\\($nreports/$nreports\\)"
ok $? "one G reads on to the last of $nreports reports, in slices between keys"
like "$(screen | tail -2 | head -1)" "^. +$last_id " "... the last row is the CLI's last report, nothing lost or doubled"
keys q : reports Enter
wait_screen "^arfdesk: Reports.*\\(1/"
keys / " $last_id  " Enter
wait_screen "\\($nreports/$nreports\\)"
ok $? "a search reads on in slices to a row near the end"
keys q : reports Enter
wait_screen "^arfdesk: Reports.*\\(1/"
keys G k
sleep 1
like "$(screen | head -1)" "\\([0-9]+/[0-9]+\\+\\)" "a key pressed while G reads on stops it (the rest unread)"
screen | tail -1 | grep -q "reading to the last row"
ok $((! $?)) "... and the status line no longer says it reads"
keys Q
wait_exit

# Hostile text: a report whose subject carries an OSC title, a screen clear, C1 and bidi.
python3 - "$TOP/tests/parse/arf-basic.eml" "$WORK/hostile.eml" <<'EOF'
import sys
raw = open(sys.argv[1], "rb").read()
evil = b"Subject: \x1b]0;PWNED\x07\x1b[2J\x1b[31mred \xc2\x9b31m c1 \xe2\x80\xaeevil\xe2\x80\xac end"
raw = raw.replace(b"Subject: Cheap watches", evil)
raw = raw.replace(b"192.0.2.25", b"203.0.113.202").replace(b"fbl-20240603100510-0001", b"hostile-1")
open(sys.argv[2], "wb").write(raw)
EOF
run import -q "$WORK/hostile.eml"
start
title_before=$($TM display -p -t t '#{pane_title}')
keys : 'case ip:203.0.113.202' Enter
wait_screen "Case ip:203.0.113.202"
sleep 0.3
s=$(screen)
like "$(printf '%s' "$s" | tr '\n' ' ')" "\]0;PWNED .*red .*c1 .*evil.* end" \
	"a hostile subject is shown, its escapes made inert text"
is "$($TM display -p -t t '#{pane_title}')" "$title_before" "... and the pane title is intact"
keys Enter
wait_screen "Report "
$TM capture-pane -p -e -t t > "$WORK/escapes"
is "$(grep -c $'\xe2\x80\xae' "$WORK/escapes")$(grep -c $'\xc2\x9b' "$WORK/escapes")" 00 \
	"no bidi override or C1 reaches the terminal"
keys Q
wait_exit

# A binding from the config: a key runs a command line.
printf 'bind X "groups --by net"\nbind F9 "cases --todo"\ncolor cursor black yellow\n' > "$WORK/conf"
CONF=$WORK/conf start
keys X
wait_screen "Groups by net"
like "$(screen | head -2 | tr '\n' ' ')" "Groups by net.*NET" "bind KEY \"COMMAND\" in the config: the key runs it"
keys F9
wait_screen "^arfdesk: Cases"
like "$(screen | head -1)" "Cases, needs a person" "... F9 too"
keys Q
wait_exit
printf 'bind NoSuchKey quit\n' > "$WORK/conf2"
CONF=$WORK/conf2 start
keys M
wait_screen "Messages"
like "$(flat)" "bind: not a key: NoSuchKey" "a bad binding is an error in messages, the console opens"
keys Q
wait_exit

# demo: on a terminal it opens the console on a database of its own.
new_tmux
rm -f "$WORK/exit"
$TM new-session -d -x 100 -y 30 -s t "TMPDIR=$WORK ARFDESK_CONFIG=/dev/null $ARFDESK demo; echo \$? > $WORK/exit; sleep 60"
wait_screen "Groups by ip"
like "$(flat)" "Groups by ip.*198\.51\.100\.23" "arfdesk demo opens the console on the demo campaign"
keys q
wait_exit
$TM kill-server 2>/dev/null

# Not on a terminal: no console, a clear error, usage status.
"$ARFDESK" -d "$DB" </dev/null >"$WORK/out" 2>"$WORK/err"
is "$?:$(grep -c 'needs a terminal' "$WORK/err")" "2:1" "without a terminal, arfdesk alone says the console needs one"
done_testing
