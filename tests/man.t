#!/usr/bin/env bash
# man.t: the manual pages are lint-clean and document exactly what the binary implements:
#  - mandoc -Tlint -W warning prints nothing for man/arfdesk.1 and man/arfdesk.conf.5;
#  - groff -mandoc -Tutf8 -ww -z prints nothing for them either (what man(1) runs on Debian;
#    groff's mdoc is stricter than mandoc in places, e.g. a `.%T` title starting with "An");
#  - every command of the table (`arfdesk help`) has an `.It Cm NAME` entry in the top-level
#    list of COMMANDS in arfdesk.1, and every such entry is a command of the table;
#  - every long option in a command's usage (`arfdesk help CMD`, wrapped lines included)
#    appears as `Fl -word` in that entry's `.It Cm` line and in an `.It` of the option list
#    below it;
#  - every config key (`arfdesk help config`) has an `.It Cm KEY` entry in the top-level list
#    of KEYS in arfdesk.conf.5, and every such entry is a real key.
#
# Run from anywhere: prove tests/man.t (ARFDESK = absolute path of the binary; default: the
# arfdesk at the top of the source tree).

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${ARFDESK:=$TOP/arfdesk}"
PAGE1=$TOP/man/arfdesk.1
PAGE5=$TOP/man/arfdesk.conf.5
# A user's own configuration must not change what `help config` prints, or break it.
export ARFDESK_CONFIG=/dev/null

results=()	# "ok NAME", "not ok NAME" or "ok NAME # SKIP why", printed once the plan is known
diag=()		# diagnostics for each result, "" when none

result() {	# result STATUS NAME [DIAGNOSTIC]
	if [ "$1" -eq 0 ]; then
		results+=("ok - $2")
	else
		results+=("not ok - $2")
	fi
	diag+=("${3:-}")
}

# The top-level `.It Cm NAME` entries of the list(s) directly under section SECTION (the
# name and its synopsis on the `.It` line itself, no `Xo`). Nested lists are ignored.
page_entries() {	# page_entries FILE SECTION
	awk -v sec="$2" '
		/^\.Sh / { insec = ($0 == ".Sh " sec); depth = 0; next }
		!insec { next }
		/^\.Bl([ \t]|$)/ { depth++; next }
		/^\.El([ \t]|$)/ { depth--; next }
		depth == 1 && /^\.It[ \t]+Cm[ \t]/ { print $3 }
	' "$1"
}

# The source lines of the top-level entry `.It Cm NAME` under section SECTION, up to the next
# top-level entry or the end of the list.
page_entry_text() {	# page_entry_text FILE SECTION NAME
	awk -v sec="$2" -v name="$3" '
		/^\.Sh / { insec = ($0 == ".Sh " sec); depth = 0; on = 0; next }
		!insec { next }
		/^\.Bl([ \t]|$)/ { depth++ }
		/^\.El([ \t]|$)/ { if (--depth == 0) on = 0 }
		depth == 1 && /^\.It([ \t]|$)/ { on = ($2 == "Cm" && $3 == name) }
		on { print }
	' "$1"
}

contains() {	# contains WORD LIST...
	local w=$1 x
	shift
	for x in "$@"; do
		[ "$x" = "$w" ] && return 0
	done
	return 1
}

# (a) mandoc -Tlint -W warning prints nothing.
for page in "$PAGE1" "$PAGE5"; do
	name=man/${page##*/}
	if ! command -v mandoc >/dev/null 2>&1; then
		results+=("ok - mandoc -Tlint is clean on $name # SKIP mandoc is not installed")
		diag+=("")
	elif [ ! -f "$page" ]; then
		result 1 "mandoc -Tlint is clean on $name" "$page does not exist"
	else
		out=$(mandoc -Tlint -W warning "$page" 2>&1)
		result "$([ -z "$out" ] && echo 0 || echo 1)" "mandoc -Tlint is clean on $name" "$out"
	fi
done

# (a2) groff -mandoc -Tutf8 -ww -z prints nothing (no warnings, no errors).
for page in "$PAGE1" "$PAGE5"; do
	name=man/${page##*/}
	if ! command -v groff >/dev/null 2>&1; then
		results+=("ok - groff -ww is clean on $name # SKIP groff is not installed")
		diag+=("")
	elif [ ! -f "$page" ]; then
		result 1 "groff -ww is clean on $name" "$page does not exist"
	else
		out=$(groff -mandoc -Tutf8 -ww -z "$page" 2>&1)
		result "$([ -z "$out" ] && echo 0 || echo 1)" "groff -ww is clean on $name" "$out"
	fi
done

# (b) the command table against the COMMANDS list of arfdesk.1.
mapfile -t table_cmds < <("$ARFDESK" help 2>/dev/null |
    awk '/^commands:/ { on = 1; next } on && /^  [^ ]/ { print $1 } on && /^$/ { on = 0 }')
mapfile -t page_cmds < <(page_entries "$PAGE1" COMMANDS 2>/dev/null)
result "$([ ${#table_cmds[@]} -gt 0 ] && echo 0 || echo 1)" \
    "'arfdesk help' lists commands (${#table_cmds[@]})" "ARFDESK=$ARFDESK"
for c in "${table_cmds[@]}"; do
	contains "$c" "${page_cmds[@]}"
	result $? "command $c is documented in the COMMANDS list of arfdesk.1" \
	    "no '.It Cm $c' entry in the COMMANDS list of $PAGE1"
done
for c in "${page_cmds[@]}"; do
	contains "$c" "${table_cmds[@]}" && continue
	result 1 "command $c documented in arfdesk.1 is in the command table" \
	    "'arfdesk help' does not list $c; remove it from $PAGE1 or add it to src/cmd.c"
done

# (d) every long option of every command appears as `Fl -word` in the command's entry.
for c in "${table_cmds[@]}"; do
	# The usage line and its continuation lines (it is wrapped at 80 columns).
	mapfile -t opts < <("$ARFDESK" help "$c" 2>/dev/null |
	    awk '/^usage:/ { on = 1; print; next } on && /^[ \t]/ { print; next } { on = 0 }' |
	    grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u)
	entry=$(page_entry_text "$PAGE1" COMMANDS "$c" 2>/dev/null)
	for o in "${opts[@]}"; do
		# In the synopsis line of the entry and in an item of its option list.
		head -n 1 <<<"$entry" | grep -qE -- "Fl -${o#--}([^A-Za-z0-9-]|\$)" &&
		    tail -n +2 <<<"$entry" | grep -qE -- "^\.It .*Fl -${o#--}([^A-Za-z0-9-]|\$)"
		result $? "arfdesk.1 documents $c $o" \
		    "no 'Fl $o' both in '.It Cm $c ...' and in an '.It' of its options in $PAGE1"
	done
done

# (c) the config keys against the KEYS list of arfdesk.conf.5.
mapfile -t table_keys < <("$ARFDESK" help config 2>/dev/null | awk 'NF { print $1 }')
mapfile -t page_keys < <(page_entries "$PAGE5" KEYS 2>/dev/null)
result "$([ ${#table_keys[@]} -gt 0 ] && echo 0 || echo 1)" \
    "'arfdesk help config' lists keys (${#table_keys[@]})" "ARFDESK=$ARFDESK"
for k in "${table_keys[@]}"; do
	contains "$k" "${page_keys[@]}"
	result $? "config key $k is documented in the KEYS list of arfdesk.conf.5" \
	    "no '.It Cm $k' entry in the KEYS list of $PAGE5"
done
for k in "${page_keys[@]}"; do
	contains "$k" "${table_keys[@]}" && continue
	result 1 "config key $k documented in arfdesk.conf.5 is a real key" \
	    "'arfdesk help config' does not list $k; remove it from $PAGE5 or add it to CONF_KEYS"
done

# (d) the console's keys (`arfdesk help keys`) against the Keys list of arfdesk.1's CONSOLE: every
# action as `Cm NAME`, every default key as `Ic KEY` on an item line.
console=$(awk '/^\.Sh / { on = ($0 == ".Sh CONSOLE") } on' "$PAGE1")
mapfile -t actions < <("$ARFDESK" help keys 2>/dev/null | awk '$1 == "action" { print $2 }')
result "$([ ${#actions[@]} -gt 10 ] && echo 0 || echo 1)" "'arfdesk help keys' lists the actions"
for a in "${actions[@]}"; do
	grep -qE "(^\\.| |\\()Cm $a( |\$)" <<<"$console"
	result $? "arfdesk.1 CONSOLE documents the action $a" "no 'Cm $a' under .Sh CONSOLE in $PAGE1"
done
mapfile -t bound < <("$ARFDESK" help keys 2>/dev/null | awk '$1 == "bind" { print $2 }')
for k in "${bound[@]}"; do
	# mdoc escapes a lone punctuation key: \&; \&: \&?
	grep -qE "^\.It .*Ic (\\\\&)?$(printf '%s' "$k" | sed 's/[][\.*^$?+(){}|/]/\\&/g')( |,|\$)" <<<"$console"
	result $? "arfdesk.1 CONSOLE documents the key $k" "no '.It ... Ic $k' under .Sh CONSOLE in $PAGE1"
done

echo "1..${#results[@]}"
failed=0
for i in "${!results[@]}"; do
	line=${results[$i]}
	case $line in
	"ok - "*)	echo "ok $((i + 1)) - ${line#ok - }" ;;
	*)		echo "not ok $((i + 1)) - ${line#not ok - }"; failed=$((failed + 1)) ;;
	esac
	if [ -n "${diag[$i]}" ] && [ "${line#not ok}" != "$line" ]; then
		printf '%s\n' "${diag[$i]}" | sed 's/^/# /'
	fi
done
[ "$failed" -eq 0 ]
