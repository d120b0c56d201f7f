#!/usr/bin/env bash
# demo.t: the bundled demo set imports completely and parses and groups as its generator says.
. "$(dirname "$0")/lib/tap.sh"
"$ARFDESK" -d "$WORK/demo.db" import -q "$TOP"/share/demo 2>"$WORK/err"
python3 "$TOP/tests/lib/demo-check.py" "$ARFDESK" "$WORK/demo.db" "$TOP/tests/data/demo-expected.tsv"
