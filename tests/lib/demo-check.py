#!/usr/bin/env python3
"""Check the demo database against tests/data/demo-expected.tsv, which the demo generator wrote from
what it generated: each report's fields, then the groups by ip, net and domain (counts derived
from the expected rows, not written down).

usage: demo-check.py ARFDESK DB EXPECTED.tsv   (prints TAP)
"""
import collections
import csv
import ipaddress
import json
import os
import subprocess
import sys

arfdesk, db, expected_path = sys.argv[1:4]
rows = {r["file"]: r for r in csv.DictReader(open(expected_path), delimiter="\t")}

def run(*args):
    out = subprocess.run([arfdesk, "-d", db] + list(args), capture_output=True, text=True)
    return [json.loads(l) for l in out.stdout.splitlines()], out.returncode

reports, rc = run("reports", "--json")
n = 0
failed = 0

def result(ok, name, detail=""):
    global n, failed
    n += 1
    failed += not ok
    print("%s %d - %s%s" % ("ok" if ok else "not ok", n, name, "" if ok else ": " + detail))

print("1..%d" % (len(rows) + 4))
by_file = {os.path.basename(r["source"]): r for r in reports}
for name, e in sorted(rows.items()):
    r = by_file.get(name)
    if r is None:
        result(False, name, "not imported")
        continue
    got = {"format": r["format"], "feedback_type": r["feedback_type"] or "-",
           "source_ip": r["source_ip"] or "-", "source_ip_rule": r["source_ip_rule"] or "-",
           "domains": ",".join(r["domains"]) or "-"}
    diffs = ["%s: got %s, expected %s" % (k, v, e[k]) for k, v in got.items() if e[k] != v]
    result(not diffs, name, "; ".join(diffs))

def net(ip):
    a = ipaddress.ip_address(ip)
    return str(ipaddress.ip_network("%s/%d" % (ip, 24 if a.version == 4 else 48), strict=False))

want = {"ip": collections.Counter(), "net": collections.Counter(), "domain": collections.Counter()}
# Groups count the spam complaints: not-spam, auth-failure and other feedback types are not.
for e in rows.values():
    if e["format"] in ("arf", "cfbl") and e["feedback_type"] not in ("-", "abuse", "fraud", "virus"):
        continue
    if e["format"] == "unknown":
        continue
    if e["source_ip"] != "-":
        want["ip"][e["source_ip"]] += 1
        want["net"][net(e["source_ip"])] += 1
    if e["domains"] != "-":
        for d in set(e["domains"].split(",")):
            want["domain"][d] += 1
for kind in ("ip", "net", "domain"):
    groups, grc = run("groups", "--by", kind, "--json")
    got = {g["key"]: g["reports"] for g in groups}
    order_ok = all(groups[i]["reports"] >= groups[i + 1]["reports"] for i in range(len(groups) - 1))
    result(grc == 0 and got == dict(want[kind]) and order_ok, "groups --by %s" % kind,
           "got %s, expected %s" % (sorted(got.items()), sorted(want[kind].items())))
result(rc == 0, "reports --json exits 0")
sys.exit(1 if failed else 0)
