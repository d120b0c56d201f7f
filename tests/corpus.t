#!/usr/bin/env bash
# corpus.t: the shared corpus of real complaints, when it is there, against its EXPECTED.tsv;
# every disagreement must be explained in tests/corpus-known.tsv.
. "$(dirname "$0")/lib/tap.sh"
CORPUS=${ARFDESK_CORPUS:-$TOP/../shared/corpus}
[ -f "$CORPUS/arf/EXPECTED.tsv" ] || skip_all "no corpus at $CORPUS"
"$ARFDESK" -d "$WORK/c.db" import -q "$CORPUS/arf" 2>"$WORK/err" || { echo "1..1"; echo "not ok 1 - import"; cat "$WORK/err"; exit 1; }
"$ARFDESK" -d "$WORK/c.db" reports --json |
	python3 "$TOP/tests/lib/corpus-compare.py" "$CORPUS/arf/EXPECTED.tsv" "$TOP/tests/corpus-known.tsv"
