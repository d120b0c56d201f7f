#!/usr/bin/env bash
# parse.t: golden parser cases: each tests/parse/<case>.eml against <case>.expected.
. "$(dirname "$0")/lib/tap.sh"
python3 "$TOP/tests/lib/golden.py" "$ARFDESK" "$TOP/tests/parse" "$WORK"
