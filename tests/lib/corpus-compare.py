#!/usr/bin/env python3
"""Compare `arfdesk reports --json` over the shared corpus with its EXPECTED.tsv.

usage: corpus-compare.py EXPECTED.tsv KNOWN.tsv < reports.jsonl
Prints TAP: one test per corpus file. A disagreement passes only when KNOWN.tsv lists it
(file, field, our value) with the reason; a KNOWN row that no longer occurs fails, so the
list of explained differences never goes stale.
"""
import json
import os
import re
import sys

expected_path, known_path = sys.argv[1], sys.argv[2]
reports = {}
for line in sys.stdin:
    r = json.loads(line)
    name = os.path.relpath(r["source"], os.path.dirname(expected_path))
    reports.setdefault(name, []).append(r)

known = {}
with open(known_path) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        name, field, ours, reason = line.rstrip("\n").split("\t", 3)
        known[(name, field)] = (ours, reason)

rows = []
with open(expected_path) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))

def registrable(host, domains):
    """The expected first URL host must reduce to one of our registrable domains."""
    labels = host.lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))

print("1..%d" % len(rows))
used = set()
failures = 0
for n, row in enumerate(rows, 1):
    name = row["file"]
    samples = reports.get(name, [])
    r = samples[0] if samples else None
    problems = []
    # A message with several spams attached: EXPECTED's values are the first one's, and its
    # notes name the second ("(second: IP, message-id)"), which must be a report too.
    second = re.search(r"\(second: ([0-9a-fA-F.:]+), ", row.get("notes", ""))
    if second and (len(samples) < 2 or samples[1]["source_ip"] != second.group(1)):
        problems.append(("second", samples[1]["source_ip"] if len(samples) > 1 else "-",
                         "expected a second report from %s" % second.group(1)))
    if r is None:
        problems.append(("missing", "-", "no report for this file"))
    else:
        exp_ip = row["source_ip"]
        got_ip = r["source_ip"] or "-"
        if exp_ip != "?" and exp_ip != got_ip:
            problems.append(("source_ip", got_ip, "expected %s" % exp_ip))
        host = row["first_url_host"]
        if host not in ("-", "?") and not registrable(host, r["domains"]):
            problems.append(("domains", ",".join(r["domains"]) or "-",
                             "expected the domain of %s" % host))
    unexplained = []
    for field, ours, why in problems:
        k = known.get((name, field))
        if k is not None and k[0] == ours:
            used.add((name, field))
            print("# %s: %s=%s differs from EXPECTED (%s): %s" % (name, field, ours, why, k[1]))
        else:
            unexplained.append("%s=%s (%s)" % (field, ours, why))
    if unexplained:
        failures += 1
        print("not ok %d - %s: %s" % (n, name, "; ".join(unexplained)))
    else:
        print("ok %d - %s" % (n, name))
for k in sorted(set(known) - used):
    print("# stale entry in %s: %s %s no longer differs" % (known_path, k[0], k[1]))
    failures += 1
sys.exit(1 if failures else 0)
