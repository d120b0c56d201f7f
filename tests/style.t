#!/usr/bin/env bash
# style.t: rules of the code that a compiler does not check (STYLE.md): the core never includes
# curses, no unbounded string functions, SQL values are bound, every file says what it is for.
. "$(dirname "$0")/lib/tap.sh"
cd "$TOP" || exit 1
plan 4

core=$(ls src/*.c include/*.h | grep -v -E '^src/(tui|view-|draw)')
bad=$(grep -l -E '#include *[<"](n?curses|ncursesw/curses)\.h' $core)
is "$bad" "" "no core file includes curses"

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
