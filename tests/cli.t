#!/usr/bin/env bash
# cli.t: the command-line contract: exit statuses, usage errors, filters, cases and their
# history, JSON fields, and untrusted text kept off the terminal.
. "$(dirname "$0")/lib/tap.sh"
P=$TOP/tests/parse
D=$TOP/tests/data
DB=$WORK/desk.db
plan 69

run() { "$ARFDESK" -d "$DB" "$@"; }
printf 'colour = blue\n' > "$WORK/bad.conf"

"$ARFDESK" -d "$DB" import -q "$TOP"/share/demo "$D/escape.eml" 2>/dev/null
ok $? "import the demo set"

# Usage errors: exit 2, the usage line on stderr.
err=$("$ARFDESK" 2>&1); rc=$?
is "$rc" 2 "no command: exit 2"
like "$err" "^arfdesk: no command given" "no command: says so"
err=$(run bogus 2>&1); rc=$?
is "$rc" 2 "unknown command: exit 2"
err=$(run groups --by colour 2>&1); rc=$?
is "$rc" 2 "bad --by: exit 2"
like "$err" "one of ip, net, domain" "bad --by: lists the kinds"
err=$(run reports --bogus 2>&1); rc=$?
is "$rc" 2 "unknown option: exit 2"
like "$err" "usage: arfdesk .* reports " "unknown option: prints the usage line"
err=$(run show 2>&1); rc=$?
is "$rc" 2 "missing argument: exit 2"
err=$(run reports --since yesterday-ish 2>&1); rc=$?
is "$rc:$(printf '%s' "$err" | head -c 40)" "2:arfdesk: reports: --since: not a time: y" "bad time: exit 2 and why"
err=$(run case bogus:1 2>&1); rc=$?
is "$rc" 2 "bad case kind: exit 2"
err=$(run case ip:300.1.2.3 2>&1); rc=$?
is "$rc" 2 "bad case key: exit 2"

# Failures: exit 1.
err=$(run show 99999 2>&1); rc=$?
is "$rc:$err" "1:arfdesk: show: no report 99999" "no such report: exit 1"
err=$("$ARFDESK" -c "$WORK/bad.conf" -d "$DB" groups 2>&1); rc=$?
is "$rc:$err" "1:arfdesk: $WORK/bad.conf:1: unknown key: colour" "config: unknown key named with its line"
err=$("$ARFDESK" -c "$WORK/missing.conf" -d "$DB" groups 2>&1); rc=$?
is "$rc" 1 "config: a named file that is missing is an error"
like "$("$ARFDESK" -V)" "^arfdesk [0-9]" "-V prints the version"

# Global options, help despite a broken config, output that cannot be written.
like "$("$ARFDESK" --version)" "^arfdesk [0-9]" "--version"
like "$("$ARFDESK" --help)" "^usage: arfdesk" "--help"
is "$("$ARFDESK" --help)" "$("$ARFDESK" help)" "--help lists the commands as help does"
# help COMMAND: a line for every option; one letter is one option in every command.
is "$(for c in $("$ARFDESK" help | awk '/^  [a-z]/ { print $1 }'); do "$ARFDESK" help "$c"; done |
	python3 -c '
import re, sys
seen, bad, n = {}, [], 0
for line in sys.stdin:
    m = re.match(r"  -(.), --([a-z-]+)", line)
    if m:
        n += 1
        if seen.setdefault(m.group(1), m.group(2)) != m.group(2):
            bad.append("-%s is --%s and --%s" % (m.group(1), seen[m.group(1)], m.group(2)))
print(n > 10, bad)')" "True []" "help COMMAND: every option, one letter one option across commands"
like "$("$ARFDESK" help reports)" "-P, --status STATUS +only reports with this parse status" "help COMMAND: the option's line"
like "$("$ARFDESK" -c "$WORK/bad.conf" help config 2>/dev/null)" "^domain_allowlist" "help works with a broken config file"
run groups > /dev/full 2>"$WORK/err"; rc=$?
is "$rc:$(cat "$WORK/err")" "1:arfdesk: writing standard output: No space left on device" "a full disk on standard output is a failure"

# Commands that only read never create a database.
err=$("$ARFDESK" -d "$WORK/typo.db" groups 2>&1); rc=$?
is "$rc:$([ -e "$WORK/typo.db" ] && echo created || echo absent)" "1:absent" "reading a missing database: exit 1, nothing created"
like "$err" "typo.db: no database here" "reading a missing database: says so"
# Two commands creating one database at once: both succeed.
"$ARFDESK" -d "$WORK/race.db" case ip:192.0.2.1 --note a >/dev/null 2>&1 & pid=$!
"$ARFDESK" -d "$WORK/race.db" case ip:192.0.2.1 --note b >/dev/null 2>&1; rc2=$?
wait $pid; rc1=$?
is "$rc1:$rc2:$(run_on() { "$ARFDESK" -d "$WORK/race.db" case ip:192.0.2.1 --json 2>/dev/null; }; run_on | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]))')" "0:0:2" "two writers on a new database"

# Case keys: only what can be a group.
err=$(run case domain:co.uk 2>&1); rc=$?
is "$rc" 2 "case domain: a public suffix is not a registrable domain"
err=$(run case net:198.51.100.0/16 2>&1); rc=$?
like "$rc:$err" "^2:arfdesk: net:198.51.100.0/16: networks are grouped as the /24" "case net: only /24 and /48"
err=$(run case ip:192.0.2.250 2>&1 >/dev/null)
is "$err" "arfdesk: warning: no reports for ip:192.0.2.250 (yet)" "case: a key without reports is allowed with a warning"

# Groups: JSON fields, sorting, limits, --since.
first=$(run groups --by ip --json --limit 1)
is "$(python3 -c 'import json,sys; print(sorted(json.loads(sys.argv[1])))' "$first")" \
	"['first_seen', 'key', 'kind', 'last_seen', 'not_spam', 'recurring', 'reporters', 'reports', 'state']" "groups --json: the contract's fields"
top=$(json_field "$first" key)
is "$(run groups --by ip --json | wc -l | tr -d ' ')" 31 "groups --by ip: 30 demo IPs and the escape fixture's"
is "$(run groups --by ip --json --sort key | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')" \
	"$(run groups --by ip --json | python3 -c 'import json,sys; print(sorted(json.loads(l)["key"] for l in sys.stdin)[0])')" "groups --sort key"
is "$(run groups --by domain --since 2026-11-20 --json | python3 -c 'import json,sys; print(all(json.loads(l)["last_seen"] >= "2026-11-20" for l in sys.stdin))')" True "groups --since filters by time"
is "$(run groups --by net --json | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"].endswith(("/24","/48")))')" True "groups --by net: /24 and /48 keys"

# Reports: contract fields and filters.
line=$(run reports --json --limit 1)
is "$(python3 -c 'import json,sys; print(" ".join(json.loads(sys.argv[1])))' "$line")" \
	"id message_id sample source format feedback_type source_ip source_ip_rule domains urls reported_domain original_message_id original_subject arrival_date parse_status parse_error seen_at imported_at reporter class duplicate_of" \
	"reports --json: the contract's fields"
n=$(run reports --json --type spam --case "ip:$top" | wc -l | tr -d ' ')
is "$n" "$(json_field "$first" reports)" "reports --case ip: as many as the group counts"
is "$(run reports --json --case "ip:$top" | python3 -c 'import json,sys; print({json.loads(l)["source_ip"] for l in sys.stdin} == {sys.argv[1]})' "$top")" True "reports --case ip: only that IP"
dom=$(run groups --by domain --json --limit 1)
is "$(run reports --json --type spam --case "domain:$(json_field "$dom" key)" | wc -l | tr -d ' ')" "$(json_field "$dom" reports)" "reports --case domain"
is "$(run reports --json --type spam --case "domain:WWW.$(json_field "$dom" key | tr a-z A-Z)" | wc -l | tr -d ' ')" "$(json_field "$dom" reports)" "reports --case domain: a host is reduced to its registrable domain"
net=$(run groups --by net --json --limit 1)
is "$(run case "net:$(json_field "$net" key | sed 's/\.0\/24$/.77\/24/')" --json | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c["key"], c["reports"])')" \
	"$(json_field "$net" key) $(json_field "$net" reports)" "case net: host bits are cleared"
is "$(run reports --json --format xarf | python3 -c 'import json,sys; print({json.loads(l)["format"] for l in sys.stdin})')" "{'xarf'}" "reports --format"
is "$(run reports --json --status unparsed | wc -l | tr -d ' ')" 1 "reports --status unparsed: the demo's garbage message"

# Cases: state changes and notes, with who and when, kept as history.
out=$(run case "ip:$top" --state open --note "customer vps-1182")
like "$out" "State: +open" "case --state open"
run case "ip:$top" --state notified >/dev/null
run case "ip:$top" --note "second note" >/dev/null
c=$(run case "ip:$top" --json)
is "$(json_field "$c" state)" notified "case: the state is kept"
is "$(python3 -c 'import json,sys; h=json.loads(sys.argv[1])["history"]; print(";".join("%s %s %s %s %s" % (e["user"], e["action"], e.get("from",""), e.get("to",""), e.get("note","")) for e in h))' "$c")" \
	"tester state new open ;tester note   customer vps-1182;tester state open notified ;tester note   second note" "case: the history, in order, with the user"
is "$(run groups --by ip --state notified --json | python3 -c 'import json,sys; print([json.loads(l)["key"] for l in sys.stdin])')" "['$top']" "groups --state notified"
is "$(run groups --by ip --state new --json | wc -l | tr -d ' ')" 30 "groups --state new: the others"
err=$(run case "ip:$top" --state closed 2>&1); rc=$?
is "$rc" 2 "case: an unknown state is a usage error"
is "$(run case "ip:$top" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["history"]))')" 4 "case: a refused change leaves no trace"

# Untrusted text never reaches the terminal with escapes, in tables or JSON.
id=$(run reports --json --case ip:203.0.113.77 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
out=$(run reports --case ip:203.0.113.77; run show "$id")
ok $(printf '%s' "$out" | LC_ALL=C grep -q $'\x1b\|\x07\|\xe2\x80\xae' && echo 1 || echo 0) "tables and show: no ESC, BEL or bidi override"
like "$out" "201 .*\]0;pwned \[31mRED \[0m gnidrow" "the subject is shown with its controls replaced by spaces"
out=$(run reports --json --case ip:203.0.113.77)
ok $(printf '%s' "$out" | LC_ALL=C grep -q $'\x1b\|\xe2\x80\xae\|\\\\u001b' && echo 1 || echo 0) "JSON: no ESC or bidi override, not even escaped"
raw=$(run show --raw "$id" | cmp - "$D/escape.eml" && echo same)
is "$raw" same "show --raw to a pipe: the evidence byte for byte"
like "$(run show "$id" | sed -n '/^Advertised URLs:/,$p')" "http://www.escape-example.org/ +\[escape-example.org\]" "show lists the advertised URLs and their domains"

# Nor in messages on stderr: file names, arguments and keys come from outside. The name below
# sets the title and clears the screen, tries to forge a second message line, and carries a TAB,
# an invalid byte, U+009D (OSC as a C1 in UTF-8), U+202E and U+200B.
# stderr_clean FILE: "clean", or what it found; every line must also start with "arfdesk: " or
# "usage: " or be an indented usage line, so no line is forged.
stderr_clean() {
	python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = [m.group(0) for m in re.finditer(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xd8\x9c|"
    rb"\xe2\x80[\x8b-\x8f\xaa-\xae]|\xe2\x81[\xa0\xa6-\xa9]|\xef\xbb\xbf", data)]
forged = [l for l in data.split(b"\n")[:-1] if not re.match(rb"(arfdesk: |usage: | +)", l)]
forged += [l for l in data.split(b"\n") if l.startswith(b"arfdesk: forged")]
try:
    data.decode("utf-8")
    utf8 = []
except UnicodeDecodeError:
    utf8 = ["invalid UTF-8"]
print("clean" if not (bad or forged or utf8) and data.endswith(b"\n") else
    "found %r %r %s" % (bad, forged, utf8))
PY
}
evil=$(printf 'evil\033]0;PWNED\007\033[2J\narfdesk: forged\tline\xff\xc2\x9d\xe2\x80\xae\xe2\x80\x8b.eml')
mkdir "$WORK/evil"
printf 'garbage, not a message\n' > "$WORK/evil/$evil"
"$ARFDESK" -d "$WORK/evil.db" import "$WORK/evil/$evil.missing" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "1:clean" "import error: a hostile file name leaves stderr clean, one line a message"
like "$(head -1 "$WORK/err")" "^arfdesk: $WORK/evil/evil \]0;PWNED  \[2J arfdesk: forged line.{3} +\.eml\.missing: No such file" "import error: the file is still named readably"
"$ARFDESK" -d "$WORK/evil.db" import "$WORK/evil/$evil" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "0:clean" "import warning (unparsed): stderr clean"
like "$(cat "$WORK/err")" "^arfdesk: warning: .*evil \]0;PWNED .*\.eml: " "import warning: names the file"
run "$(printf 'bogus\033]0;x\007')" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "unknown command: echoed without its controls"
run reports "$(printf -- '--x\033[2J\n')" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "unknown long option: echoed without its controls"
run reports "$(printf -- '-\033')" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "unknown short option: echoed without its controls"
"$ARFDESK" "$(printf -- '--\033]0;x\007')" groups >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "unknown global option: echoed without its controls"

# A case key is a host name or an address, nothing a terminal would act on.
run case "$(printf 'domain:ev"il\033[2J.com')" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "case domain: a key with ESC and a quote is a usage error, echoed clean"
like "$(head -1 "$WORK/err")" '^arfdesk: domain:ev"il \[2J\.com: not a host name' "case domain: the message names the key"
err=$(run case "domain:a..example.com" 2>&1); rc=$?
is "$rc" 2 "case domain: an empty label is a usage error"
err=$(run case "domain:http://www.example.com/x" 2>&1); rc=$?
is "$rc" 2 "case domain: a URL is not a host name"
is "$(run case domain:shop.example.co.uk --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')" example.co.uk "case domain:shop.example.co.uk is example.co.uk"
is "$(run case "$(printf 'domain:B\xc3\x9cCHER.de.')" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')" xn--bcher-kva.de "case domain: an international name in punycode, a trailing dot dropped"
run case "$(printf 'ip:fe80::1%%\033[2J')" >/dev/null 2>"$WORK/err"; rc=$?
is "$rc:$(stderr_clean "$WORK/err")" "2:clean" "case ip: a zone with controls is refused, echoed clean"
done_testing
