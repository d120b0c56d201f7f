#!/usr/bin/env python3
"""Golden parser tests: import tests/parse/ into a fresh database, then compare the reports of each
message with <case>.expected: one line per report, in sample order (a forward with several spams
attached gives several); every field there must match, id, message_id and source are not
compared.

usage: golden.py ARFDESK PARSE_DIR WORK_DIR    (prints TAP)
"""
import json
import os
import subprocess
import sys

arfdesk, parse_dir, work = sys.argv[1:4]
db = os.path.join(work, "golden.db")
env = dict(os.environ, ARFDESK_CONFIG="/dev/null")
emls = sorted(f for f in os.listdir(parse_dir) if f.endswith(".eml"))
imp = subprocess.run([arfdesk, "-d", db, "import", "--json"] +
                     [os.path.join(parse_dir, f) for f in emls], env=env,
                     capture_output=True, text=True)
out = subprocess.run([arfdesk, "-d", db, "reports", "--json"], env=env,
                     capture_output=True, text=True)
reports = {}
for line in out.stdout.splitlines():
    r = json.loads(line)
    reports.setdefault(os.path.basename(r["source"]), []).append(r)

cases = sorted(f[:-len(".expected")] for f in os.listdir(parse_dir) if f.endswith(".expected"))
print("1..%d" % (len(cases) + 2))
n = 0
failed = 0

def result(ok, name, detail=""):
    global n, failed
    n += 1
    if ok:
        print("ok %d - %s" % (n, name))
        return
    failed += 1
    print("not ok %d - %s: %s" % (n, name, " ".join(detail.split("\n"))))

summary = json.loads(imp.stdout.strip().splitlines()[-1]) if imp.stdout.strip() else {}
result(imp.returncode == 0 and summary.get("read") == len(emls)
       and summary.get("duplicates") == 1 and summary.get("new") == len(emls) - 1,
       "import accounts for every fixture (one duplicate)", json.dumps(summary) + imp.stderr[-300:])
result(out.returncode == 0, "reports --json exits 0", out.stderr[-300:])
for case in cases:
    with open(os.path.join(parse_dir, case + ".expected")) as f:
        expected = [json.loads(line) for line in f if line.strip()]
    got = reports.get(case + ".eml")
    if got is None:
        result(False, case, "no report")
        continue
    diffs = []
    if len(got) != len(expected):
        diffs.append("%d reports, expected %d" % (len(got), len(expected)))
    for i, (g, e) in enumerate(zip(got, expected)):
        where = "report %d: " % (i + 1) if len(expected) > 1 else ""
        diffs += ["%s%s: got %s, expected %s" % (where, k, json.dumps(g.get(k)), json.dumps(v))
                  for k, v in e.items() if g.get(k) != v]
    result(not diffs, case, "; ".join(diffs))
sys.exit(1 if failed else 0)
