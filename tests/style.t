#!/usr/bin/env bash
# style.t: rules of the code that a compiler does not check (STYLE.md): the core never includes
# curses or the CLI's header and never prints, no unbounded string functions, SQL values are
# bound, every file says what it is for.
. "$(dirname "$0")/lib/tap.sh"
cd "$TOP" || exit 1
plan 6

core=$(ls src/*.c include/*.h | grep -v -E '^src/(tui|view|draw)')
bad=$(grep -l -E '#include *[<"](n?curses|ncursesw/curses)\.h' $core)
is "$bad" "" "no core file includes curses"

# One module owns curses, and there text reaches the screen (made safe) through draw_text.
is "$(grep -l -E '#include *[<"](n?curses|ncursesw/curses)\.h' src/*.c | tr '\n' ' ')" "src/draw.c " \
	"only draw.c speaks curses"

# The core speaks through msg.h's sink (the CLI prints it, the console shows it): it includes no
# CLI header and never writes to standard error itself (util.c's out-of-memory exit aside).
core_only=$(ls src/*.c | grep -v -E '^src/(cmd|main\.c|msg\.c|tui|view|draw)')
bad=$(grep -l -E '#include "cmd\.h"|\bstderr\b' $core_only | grep -v '^src/util\.c$')
is "$bad" "" "the core includes no CLI header and prints nothing itself"

bad=$(grep -n -E '\b(sprintf|vsprintf|strcpy|strcat|strtok|gets)\(' src/*.c include/*.h | grep -v -E 'snprintf|vsnprintf')
is "$bad" "" "no sprintf, strcpy, strcat, strtok or gets"

# SQL text is constant: no printf-style formatting of quoted values into SQL.
bad=$(grep -n -E "(xasprintf|snprintf|buf_addf)\(.*'%s'" src/*.c)
is "$bad" "" "no value formatted into SQL text"

bad=""
for f in src/*.c include/*.h; do
	head -1 "$f" | grep -q '^/\* [a-z-]*\.[ch]: ' || bad="$bad $f"
done
is "$bad" "" "every file starts with a sentence saying what it is for"
done_testing
