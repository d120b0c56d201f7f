#!/usr/bin/env python3
"""Fill an arfdesk database with synthetic reports, fast, for query benchmarks.

    bench/gen-reports.py --db DB [--rows N] [--seed S] [--ips K] [--domains D] [--days DAYS]

The schema is arfdesk's own: the script first runs `arfdesk -d DB reparse` so that arfdesk
creates (or migrates) it, then inserts N rows into messages, reports, report_domains and
report_urls with Python's sqlite3 in one transaction, and runs ANALYZE.

  - source IPs: about K (default 20,000) made-up public-looking IPv4 addresses, clustered a few
    to a /24, plus ~8% IPv6 in 2001:db8::/32; report counts per IP follow a power law (Zipf),
    so a few hosts are very noisy and most send a handful;
  - source_net: the /24 (IPv4) or /48 (IPv6), as arfdesk writes it;
  - seen_at (= arrival_date): spread over the DAYS (default 90) days before now;
  - format 'arf'; feedback-type, user agent and reporter from a few fictional feedback loops;
  - report_domains / report_urls: one advertised domain per report (two for ~15%), from a pool
    of about D (default 5,000) example-like registrable domains, also power-law;
  - messages.raw: a small placeholder blob (the real message is not needed to group); sha256 is
    unique per (seed, id).

Nothing touches the network: the addresses are only strings in a local file. The output depends
only on --rows, --seed, --ips, --domains, --days and the current day (seen_at is relative to
now). Rows are appended after the highest existing message id, so running it twice on the same
database doubles it.

ARFDESK (environment) or --arfdesk names the binary; the default is the repository's ./arfdesk.
"""

import argparse
import hashlib
import ipaddress
import itertools
import os
import random
import sqlite3
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORDS1 = ["cheap", "rx", "meds", "pills", "pharma", "generic", "health", "canadian", "discount",
          "express", "care", "direct", "online", "trusted", "herbal", "vita", "med", "drug",
          "tablet", "cure", "well", "bio", "apteka", "farma", "remedy", "prime", "super", "smart",
          "fast", "green", "blue", "best", "top", "mega", "ultra", "royal", "gold", "star"]
WORDS2 = ["store", "shop", "deals", "mart", "plus", "hub", "depot", "world", "zone", "center",
          "outlet", "club", "24", "4less", "now", "line", "market", "point", "spot", "base",
          "place", "land", "box", "lab", "net", "web", "go", "city", "nation", "direct"]
SUFFIXES = ["com", "com", "com", "net", "net", "org", "co.uk", "co.uk", "ru", "com.au", "in",
            "biz", "info", "de", "co.in", "com.br", "pl", "eu"]
SUBDOMAINS = ["www", "shop", "track", "click", "m", "secure", "order"]

# (User-Agent, Version, reporter, rcpt domain)
FBLS = [
    ("Yahoo!-Mail-Feedback/2.0", "0.1",
     "Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.example>", "yahoo-mail.example"),
    ("AOL SComp", "0.1", "scomp@aol.example", "aol-mail.example"),
    ("ReturnPathFBL/2.0", "1", "feedbackloop@comcastfbl.senderscore.example",
     "comcast-mail.example"),
    ("Fastmail FBL/1.0", "1", "feedbackloop@fbl.fastmail.example", "fastmail-user.example"),
    ("GMX-FBL/1.4", "1", "GMX FBL <fbl@abuse.gmx.example>", "gmx-mail.example"),
    ("Zoho Mail", "1", "Zoho Feedback Loop Report <feedbackloop@fbl.zoho.example>",
     "zoho-mail.example"),
]
FEEDBACK_TYPES = ["abuse"] * 96 + ["fraud", "not-spam", "other", "virus"]
SUBJECTS = ["Last chance: pharmacy sale ends tonight", "Save up to 80% on Metformin 500mg",
            "Your order is waiting", "Re: your prescription", "Exclusive offer inside",
            "Limited stock - order now", "Discreet delivery worldwide", "FW: special price"]
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "wendy"]


def zipf_cum(n, s):
    """Cumulative Zipf weights for ranks 1..n, for random.choices(cum_weights=...)."""
    return list(itertools.accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


def public_first_octet(rng):
    while True:
        a = rng.randint(1, 223)
        if a not in (10, 100, 127, 169, 172, 192, 198, 203):
            return a


def make_sources(rng, count):
    """About `count` distinct (ip, net) pairs: IPv4 a few per /24, ~8% IPv6 a few per /48."""
    out, seen = [], set()
    n6 = count * 8 // 100
    while len(out) < count - n6:
        net = (public_first_octet(rng), rng.randint(0, 255), rng.randint(0, 255))
        prefix = "%d.%d.%d" % net
        # 1-8 hosts per /24, so that --by net groups are coarser than --by ip.
        for host in rng.sample(range(1, 255), min(rng.randint(1, 8), count - n6 - len(out))):
            ip = "%s.%d" % (prefix, host)
            if ip not in seen:
                seen.add(ip)
                out.append((ip, prefix + ".0/24"))
    while len(out) < count:
        base = (0x20010db8 << 96) | (rng.getrandbits(16) << 80)
        net = str(ipaddress.IPv6Network((base, 48)))
        for _ in range(rng.randint(1, 4)):
            ip = str(ipaddress.IPv6Address(base | rng.getrandbits(64)))
            if ip not in seen and len(out) < count:
                seen.add(ip)
                out.append((ip, net))
    rng.shuffle(out)  # rank (and so volume) independent of address order
    return out


def make_domains(rng, count):
    out, seen = [], set()
    while len(out) < count:
        d = "%s-%s-example.%s" % (rng.choice(WORDS1), rng.choice(WORDS2), rng.choice(SUFFIXES))
        if d in seen:
            # Past the word-pair space, add a number: still example-like, still distinct.
            d = "%s%d-%s-example.%s" % (rng.choice(WORDS1), rng.randint(2, 999),
                                        rng.choice(WORDS2), rng.choice(SUFFIXES))
            if d in seen:
                continue
        seen.add(d)
        out.append(d)
    return out


def main():
    ap = argparse.ArgumentParser(description="Fill an arfdesk database with synthetic reports.")
    ap.add_argument("--db", required=True, help="database file (created if missing)")
    ap.add_argument("--rows", type=int, default=1000000, help="reports to add (default 1000000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ips", type=int, default=20000, help="distinct source IPs (default 20000)")
    ap.add_argument("--domains", type=int, default=5000, help="domain pool (default 5000)")
    ap.add_argument("--days", type=int, default=90, help="seen_at spread (default 90)")
    ap.add_argument("--arfdesk", default=os.environ.get("ARFDESK", os.path.join(REPO, "arfdesk")))
    args = ap.parse_args()
    if args.rows < 1 or args.ips < 1 or args.domains < 1 or args.days < 1:
        ap.error("--rows, --ips, --domains and --days must be positive")

    t0 = time.time()
    # arfdesk creates and migrates its own schema; this script never defines tables.
    subprocess.run([args.arfdesk, "-d", args.db, "reparse"], check=True,
                   stdout=subprocess.DEVNULL)

    rng = random.Random(args.seed)
    sources = make_sources(rng, args.ips)
    src_cum = zipf_cum(len(sources), 1.0)
    domains = make_domains(rng, args.domains)
    dom_cum = zipf_cum(len(domains), 1.0)
    now = int(time.time())
    span = args.days * 86400

    db = sqlite3.connect(args.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -524288")  # 512 MB
    db.execute("PRAGMA temp_store = MEMORY")
    db.execute("PRAGMA threads = %d" % min(4, os.cpu_count() or 1))  # index sorts
    db.execute("PRAGMA foreign_keys = OFF")
    base = db.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0]

    # Secondary indexes are cheaper to build once at the end than to keep up row by row.
    # Their SQL comes from arfdesk's own schema, so they are recreated exactly.
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         " AND sql IS NOT NULL AND tbl_name IN"
                         " ('reports', 'report_domains', 'report_urls')").fetchall()
    db.execute("BEGIN")
    for name, _ in indexes:
        db.execute('DROP INDEX "%s"' % name.replace('"', '""'))

    # Python draws the random choices (small integers); SQLite builds the text columns from
    # them with joins on small lookup tables, which is several times faster than formatting
    # a million rows of strings in Python.
    db.execute("CREATE TEMP TABLE src (k INTEGER PRIMARY KEY, ip TEXT, net TEXT)")
    db.execute("CREATE TEMP TABLE dom (k INTEGER PRIMARY KEY, d TEXT)")
    db.execute("CREATE TEMP TABLE fbl (k INTEGER PRIMARY KEY, ua TEXT, ver TEXT, reporter TEXT,"
               " rcptdom TEXT)")
    db.execute("CREATE TEMP TABLE txt (k INTEGER PRIMARY KEY, ftype TEXT, subj TEXT, name TEXT,"
               " sub TEXT)")
    db.execute("CREATE TEMP TABLE picks (rid INTEGER PRIMARY KEY, s INTEGER, d INTEGER,"
               " d2 INTEGER, seen INTEGER, sha TEXT)")
    db.executemany("INSERT INTO src VALUES (?,?,?)", ((i, ip, net) for i, (ip, net)
                                                      in enumerate(sources)))
    db.executemany("INSERT INTO dom VALUES (?,?)", enumerate(domains))
    db.executemany("INSERT INTO fbl VALUES (?,?,?,?,?)", ((i,) + f for i, f in enumerate(FBLS)))
    db.executemany("INSERT INTO txt VALUES (?,?,?,?,?)",
                   ((i, FEEDBACK_TYPES[i % len(FEEDBACK_TYPES)], SUBJECTS[i % len(SUBJECTS)],
                     NAMES[i % len(NAMES)], SUBDOMAINS[i % len(SUBDOMAINS)])
                    for i in range(len(FEEDBACK_TYPES))))

    chunk = 100000
    done = 0
    rnd = rng.random
    src_idx = range(len(sources))
    dom_idx = range(len(domains))
    sha256 = hashlib.sha256
    while done < args.rows:
        n = min(chunk, args.rows - done)
        rids = range(base + done + 1, base + done + n + 1)
        db.executemany("INSERT INTO picks VALUES (?,?,?,?,?,?)", zip(
            rids,
            rng.choices(src_idx, cum_weights=src_cum, k=n),
            rng.choices(dom_idx, cum_weights=dom_cum, k=n),
            rng.choices(dom_idx, cum_weights=dom_cum, k=n),
            [now - int(rnd() * span) for _ in rids],
            [sha256(b"arfdesk-bench:%d:%d" % (args.seed, rid)).hexdigest() for rid in rids]))
        done += n

    nfbl, ntxt = len(FBLS), len(FEEDBACK_TYPES)
    # CROSS JOIN keeps picks as the outer loop, so rows go in in id order.
    db.execute("""
        INSERT INTO messages (id, source, source_pos, sha256, raw, size, imported_at,
            parse_status, parse_error)
        SELECT rid, '/bench/synthetic/new/' || name, name, sha, raw, length(raw), ?1, 'ok', NULL
        FROM (SELECT rid, sha, seen || '.M' || rid || 'P1Q' || rid || '.arfdesk-bench' AS name,
                     CAST('synthetic report ' || rid || char(10) AS BLOB) AS raw FROM picks)
        """, (now,))
    db.execute("""
        INSERT INTO reports (id, message_id, sample, format, feedback_type, user_agent, version,
            reporter, arrival_date, seen_at, source_ip, source_ip_rule, source_net,
            reported_domain, original_mail_from, original_rcpt_to, original_message_id,
            original_subject, auth_results, incidents, fields, class)
        SELECT rid, rid, 1, 'arf', ftype, ua, ver, reporter, seen, seen, ip, 'report-field', net,
            'mail.' || d, mfrom, rcpt, printf('%%x.%%d@localhost.localdomain',
            (rid * 2654435761) %% 4294967296, rid), subj, auth, NULL,
            'Feedback-Type: ' || ftype || char(10) || 'User-Agent: ' || ua || char(10) ||
            'Version: ' || ver || char(10) || 'Original-Mail-From: ' || mfrom || char(10) ||
            'Original-Rcpt-To: ' || rcpt || char(10) || 'Source-IP: ' || ip || char(10) ||
            'Reported-Domain: mail.' || d || char(10) ||
            'Authentication-Results: ' || auth || char(10),
            CASE WHEN ftype IN ('abuse', 'fraud', 'virus', 'other', 'not-spam', 'auth-failure')
                THEN ftype ELSE 'other' END
        FROM (SELECT p.rid, p.seen, s.ip, s.net, d.d, f.ua, f.ver, f.reporter, t.ftype, t.subj,
                     '<bounce-' || p.rid || '@mail.' || d.d || '>' AS mfrom,
                     '<' || t.name || (p.rid %% 10000) || '@' || f.rcptdom || '>' AS rcpt,
                     f.rcptdom || '; spf=pass smtp.mailfrom=bounce-' || p.rid || '@mail.' ||
                         d.d AS auth
              FROM picks p CROSS JOIN src s ON s.k = p.s CROSS JOIN dom d ON d.k = p.d
                   CROSS JOIN fbl f ON f.k = p.rid %% %d CROSS JOIN txt t ON t.k = p.rid %% %d)
        """ % (nfbl, ntxt))
    # One advertised domain per report, a second one for about 15% (every 7th, when distinct).
    db.execute("""
        INSERT INTO report_urls (report_id, position, url, host, registrable_domain)
        SELECT rid, 0, 'http://' || host || '/r/' || printf('%%x', rid), host, d
        FROM (SELECT p.rid, t.sub || '.' || d.d AS host, d.d FROM picks p
              CROSS JOIN dom d ON d.k = p.d CROSS JOIN txt t ON t.k = p.rid %% %d)
        """ % ntxt)
    db.execute("""
        INSERT INTO report_urls (report_id, position, url, host, registrable_domain)
        SELECT p.rid, 1, 'https://www.' || d.d || '/', 'www.' || d.d, d.d
        FROM picks p CROSS JOIN dom d ON d.k = p.d2 WHERE p.rid %% 7 = 0 AND p.d2 != p.d
        """.replace("%%", "%"))
    db.execute("""
        INSERT OR IGNORE INTO report_domains (report_id, domain, seen_at, class)
        SELECT u.report_id, u.registrable_domain, r.seen_at, r.class
        FROM report_urls u JOIN reports r ON r.id = u.report_id
        WHERE u.report_id > ?1 ORDER BY u.report_id, u.position
        """, (base,))
    ndomains = db.execute("SELECT COUNT(*) FROM report_domains WHERE report_id > ?",
                          (base,)).fetchone()[0]
    t_ins = time.time()
    for _, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    t_idx = time.time()
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode = WAL")  # what arfdesk sets on every open anyway
    db.close()
    t_end = time.time()
    print("gen-reports: %d reports (%d distinct IPs possible, %d domain rows), ids %d-%d; "
          "insert %.1f s, indexes %.1f s, analyze %.1f s, total %.1f s"
          % (args.rows, len(sources), ndomains, base + 1, base + args.rows,
             t_ins - t0, t_idx - t_ins, t_end - t_idx, t_end - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
