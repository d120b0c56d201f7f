#!/usr/bin/env python3
"""Generate synthetic ARF (RFC 5965) spam complaints for benchmarking arfdesk.

    bench/gen-arf.py --count N --out DIR [--seed S] [--format maildir|mbox]

maildir: DIR/cur, DIR/new, DIR/tmp; one message per file in DIR/new (unique names).
mbox:    DIR/complaints.mbox (mboxrd quoting of "From " lines).

Every message is a multipart/report (report-type=feedback-report): a text/plain part for
humans, a message/feedback-report part (Feedback-Type, User-Agent, Version, Source-IP,
Arrival-Date, Original-Mail-From, Original-Rcpt-To, Reported-Domain, ...) and the
original spam as message/rfc822 (several Received headers with a private-range internal
hop on top, Message-ID, Subject, Date, multipart/alternative text+html with URLs, parts
encoded base64 or quoted-printable).  Messages are about 4-8 KB, all distinct bytes.

Only documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
2001:db8::/32) and example-like names are used.  Standard library only; the output
depends only on --count, --seed and --format.
"""

import argparse
import base64
import datetime as dt
import os
import quopri
import random
import re
import sys
import time

# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

WORDS1 = ["cheap", "rx", "meds", "pills", "pharma", "generic", "health", "canadian", "discount",
          "express", "care", "direct", "online", "trusted", "herbal", "vita", "med", "drug",
          "tablet", "cure", "well", "bio", "apteka", "farma", "remedy"]
WORDS2 = ["store", "shop", "deals", "mart", "plus", "hub", "depot", "world", "zone", "center",
          "outlet", "direct", "club", "24", "4less", "now", "line", "market"]
SUFFIXES = ["com", "com", "com", "net", "net", "org", "co.uk", "co.uk", "ru", "com.au", "in",
            "biz", "info", "de", "co.in", "com.br", "pl", "eu"]
SUBDOMAINS = ["www", "www", "shop", "track", "click", "m", "secure", "order", "img", "cdn", "t"]

FBLS = [
    # (From, User-Agent, Version, subject template, human text URL, relay host, mailbox domain)
    ('"Yahoo! Mail AntiSpam Feedback" <feedback@arf.mail.yahoo.example>', "Yahoo!-Mail-Feedback/2.0",
     "0.1", "FW: {subj}", "https://help.yahoo.example/fbl", "mta-fbl%d.mail.yahoo.example",
     "yahoo-mail.example"),
    ("<scomp@aol.example>", "AOL SComp", "0.1", "Email Feedback Report for IP {ip}",
     "https://postmaster.aol.example/fbl", "scmp-d0%d.mail.aol.example", "aol-mail.example"),
    ("<feedbackloop@comcastfbl.senderscore.example>", "ReturnPathFBL/2.0", "1", "Comcast Abuse Report",
     "https://fbl.senderscore.example/", "fbl%d.senderscore.example", "comcast-mail.example"),
    ("<feedbackloop@fbl.fastmail.example>", "Fastmail FBL/1.0", "1", "Fastmail Abuse Report",
     "https://www.fastmail.example/help/fbl", "out%d.fbl.fastmail.example", "fastmail-user.example"),
    ('"GMX FBL" <fbl@abuse.gmx.example>', "GMX-FBL/1.4", "1", "Abuse report: {subj}",
     "https://postmaster.gmx.example/fbl", "mout-fbl%d.gmx.example", "gmx-mail.example"),
    ('"Zoho Feedback Loop Report" <feedbackloop@fbl.zoho.example>', "Zoho Mail", "1",
     "Zoho Abuse Report", "https://www.zoho.example/fbl", "fbl%d.zoho.example", "zoho-mail.example"),
]

BRANDS = ["Canada Drugs Online", "RxCare Pharmacy", "MedsDirect", "Pharmacy Express",
          "Trusted Tablets", "Apteka24", "HealthPlus Store", "Pharmacie Discount", "VitaMart",
          "GenericMeds", "PillBox Direct", "Farmacia Online"]
PRODUCTS = ["Sildenafil 100mg", "Tadalafil 20mg", "Modafinil 200mg", "Finasteride 1mg",
            "Atorvastatin 40mg", "Orlistat 120mg", "Vardenafil 20mg", "Sertraline 50mg",
            "Amoxicillin 500mg", "Melatonin 10mg", "Omeprazole 20mg", "Metformin 500mg"]
SUBJECTS = ["Your prescription refill is ready", "Save up to 80% on {p}", "{p} - no prescription needed",
            "Re: your order #{n}", "Last chance: pharmacy sale ends tonight", "Discreet shipping worldwide",
            "=?UTF-8?B?{b64}?=", "Black Friday deals on {p}", "Invoice {n} for your {p} order",
            "Important: your account has a pending discount"]
FILLER = ("Our licensed pharmacists dispatch every order within 24 hours in plain discreet packaging. "
          "All generics are manufactured to the highest standards and shipped from certified "
          "warehouses. Pay securely with any major card; your statement shows a neutral descriptor. "
          "Bonus pills are added free of charge to every order above the minimum amount. "
          "Satisfaction guaranteed or your money back, no questions asked. ").split(". ")
NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
         "mallory", "oscar", "peggy", "trent", "victor", "wendy", "yusuf", "zoe", "noor", "lena"]
PRIVATE_HOPS = [
    "from {mx} (10.{a}.{b}.{c}) by store{d}.{mbox} (10.{a}.3.{d}) with LMTP id {id}; {date}",
    "from localhost (localhost [127.0.0.1])\n\tby {mx} (Postfix) with ESMTP id {qid}\n\tfor <{rcpt}>; {date}",
    "from filter{d}.{mbox} (filter{d}.{mbox} [172.20.{b}.{c}])\n\tby {mx} (Postfix) with ESMTPS id {qid}\n\tfor <{rcpt}>; {date}",
    "from relay{d}.{mbox} (relay{d}.{mbox} [192.168.{b}.{c}])\n\tby {mx} with esmtp (Exim 4.97)\n\tid 1v{id}\n\tfor {rcpt}; {date}",
    "from edge{d}.{mbox} (edge{d}.{mbox} [100.72.{b}.{c}])\n\tby {mx} (Postfix) with ESMTPS id {qid}; {date}",
]
SOURCE_HOPS = [
    "from {helo} ({rdns} [{ip}])\n\tby {mx} (Postfix) with ESMTPS id {qid}\n\tfor <{rcpt}>; {date}",
    "from unknown (HELO {helo}) ({ip})\n  by {mx} with SMTP; {date}",
    "from [{ip}] (helo={helo})\n\tby {mx} with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.97)\n\t(envelope-from <{envfrom}>)\n\tid 1v{id}\n\tfor {rcpt}; {date}",
]

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789ABCDEF"


def make_ips(rng, n):
    """n distinct documentation-range addresses, ~8% IPv6."""
    nets = ["192.0.2.", "198.51.100.", "203.0.113."]
    out, seen = [], set()
    while len(out) < n:
        if rng.random() < 0.08:
            ip = "2001:db8:%x:%x::%x" % (rng.randint(0, 0xfff), rng.randint(0, 0xff), rng.randint(1, 0xffff))
        else:
            ip = rng.choice(nets) + str(rng.randint(1, 254))
            if len(seen) >= 3 * 254 * 0.97:   # v4 space nearly used up: use v6
                ip = "2001:db8:%x::%x" % (rng.randint(0, 0xffff), rng.randint(1, 0xffff))
        if ip not in seen:
            seen.add(ip)
            out.append(ip)
    return out


def public_first_octet(rng):
    while True:
        a = rng.randint(1, 223)
        if a not in (10, 100, 127, 169, 172, 192, 198, 203):
            return a


def make_public_ips(rng, n):
    """n distinct made-up public-looking IPv4 addresses, a few to a /24, ~8% IPv6 in
    2001:db8::/32 a few to a /48: strings only, never contacted."""
    out, seen = [], set()
    n6 = n * 8 // 100
    while len(out) < n - n6:
        prefix = "%d.%d.%d" % (public_first_octet(rng), rng.randint(0, 255), rng.randint(0, 255))
        for host in rng.sample(range(1, 255), min(rng.randint(1, 8), n - n6 - len(out))):
            ip = "%s.%d" % (prefix, host)
            if ip not in seen:
                seen.add(ip)
                out.append(ip)
    while len(out) < n:
        net = "2001:db8:%x" % rng.getrandbits(16)
        for _ in range(rng.randint(1, 4)):
            ip = "%s:%x::%x" % (net, rng.getrandbits(16), rng.randint(1, 0xffff))
            if ip not in seen and len(out) < n:
                seen.add(ip)
                out.append(ip)
    rng.shuffle(out)  # rank (and so volume) independent of address order
    return out


def make_domains(rng, n):
    out, seen = [], set()
    while len(out) < n:
        d = "%s-%s-example.%s" % (rng.choice(WORDS1), rng.choice(WORDS2), rng.choice(SUFFIXES))
        if rng.random() < 0.3:
            d = "%s%s-example.%s" % (rng.choice(WORDS1), rng.choice(WORDS2), rng.choice(SUFFIXES))
        if d in seen and len(seen) > 2000:
            # Past the word-pair space, add a number: still example-like, still distinct.
            d = "%s%d-%s-example.%s" % (rng.choice(WORDS1), rng.randint(2, 999),
                                        rng.choice(WORDS2), rng.choice(SUFFIXES))
        if d not in seen:
            seen.add(d)
            out.append(d)
    return out


def zipf_picker(rng, items, s=1.1):
    """Return a function choosing items with a power-law (Zipf-like) distribution."""
    import bisect
    import itertools
    w = [1.0 / (i + 1) ** s for i in range(len(items))]
    cum = list(itertools.accumulate(w))
    total = cum[-1]

    def pick():
        return items[bisect.bisect_left(cum, rng.random() * total)]
    return pick


def rfcdate(t, offmin):
    lt = t + dt.timedelta(minutes=offmin)
    sign = "+" if offmin >= 0 else "-"
    o = abs(offmin)
    return lt.strftime("%a, %d %b %Y %H:%M:%S ") + "%s%02d%02d" % (sign, o // 60, o % 60)


def build_body_pool(rng, domains, size):
    """Pre-render spam bodies (encoded parts); per message only headers are rendered."""
    pick_dom = zipf_picker(rng, domains, 0.9)
    pool = []
    for k in range(size):
        doms = []
        for _ in range(rng.randint(1, 4)):
            d = pick_dom()
            if d not in doms:
                doms.append(d)
        brand, product = rng.choice(BRANDS), rng.choice(PRODUCTS)
        price = "%.2f" % (rng.randint(39, 290) / 100.0)

        def url(d):
            return "%s://%s.%s/%s" % (rng.choice(["http", "https"]), rng.choice(SUBDOMAINS), d,
                                      rng.choice(["", "order", "p/%d" % rng.randint(10, 9999),
                                                  "r/%s" % "".join(rng.choice(ALNUM) for _ in range(12)),
                                                  "landing?c=%d&src=mail" % rng.randint(1, 999)]))
        urls = [url(d) for d in doms] + [url(rng.choice(doms)) for _ in range(rng.randint(1, 4))]
        paras = []
        for i in range(rng.randint(2, 6)):
            paras.append(". ".join(rng.sample(FILLER, rng.randint(2, len(FILLER) - 1))).strip() + ".")
        plain = ["Hello,", "", "%s from only $%s per pill - no prescription needed." % (product, price),
                 "Order now: " + urls[0], ""]
        for i, p in enumerate(paras):
            plain.append(p)
            if i + 1 < len(urls):
                plain.append("More: " + urls[i + 1])
            plain.append("")
        plain.append("-- \n%s" % brand)
        plain = "\n".join(plain) + "\n"
        html = ['<!DOCTYPE html>', '<html><head><meta charset="utf-8"><title>%s</title></head>' % brand,
                '<body style="font-family:Arial,sans-serif">',
                '<table width="600" align="center"><tr><td>',
                '<a href="%s"><img src="https://img.%s/b/%d.png" width="600" alt="%s"></a>'
                % (urls[0].replace("&", "&amp;"), doms[-1], rng.randint(1, 99999), brand),
                "<h1>%s</h1>" % product, "<p>Only <b>$%s</b> per pill!</p>" % price]
        for i, p in enumerate(paras):
            html.append("<p>%s</p>" % p)
            if i + 1 < len(urls):
                html.append('<p><a href="%s">Click here</a></p>' % urls[i + 1].replace("&", "&amp;"))
        html.append('<p style="font-size:10px">Unsubscribe: <a href="%s">here</a></p>'
                    % url(doms[0]).replace("&", "&amp;"))
        html.append("</td></tr></table></body></html>")
        html = "\n".join(html) + "\n"
        parts = []
        for ctype, text in (("text/plain", plain), ("text/html", html)):
            cte = rng.choice(["base64", "quoted-printable", "quoted-printable", "7bit"])
            if cte == "base64":
                enc = base64.encodebytes(text.encode()).decode()
            elif cte == "quoted-printable":
                enc = quopri.encodestring(text.encode()).decode()
            else:
                enc = text
            parts.append('Content-Type: %s; charset="utf-8"\nContent-Transfer-Encoding: %s\n\n%s'
                         % (ctype, cte, enc))
        pool.append((doms, brand, product, parts))
    return pool


# --------------------------------------------------------------------------------------

MSG = """{outer_received}
From: {fbl_from}
To: <abuse@{isp}>
Date: {rep_date}
Subject: {rep_subject}
Message-ID: <{rep_mid}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
\tboundary="{b1}"

--{b1}
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP {ip} on {arr_date}.
For more information about this format please see {fbl_url}.

Please do not reply to this message; the mailbox is not monitored.

--{b1}
Content-Type: message/feedback-report
Content-Disposition: inline

Feedback-Type: {ftype}
User-Agent: {ua}
Version: {ver}
Original-Mail-From: <{envfrom}>
Original-Rcpt-To: <{rcpt}>
Arrival-Date: {arr_date}
Reporting-MTA: dns; {relay}
Source-IP: {ip}
Reported-Domain: {fromdom}
Authentication-Results: {mbox}; spf={spf} smtp.mailfrom={envfrom}

--{b1}
Content-Type: message/rfc822
Content-Disposition: inline

Return-Path: <{envfrom}>
{received}
Message-ID: <{mid}>
Date: {orig_date}
From: "{brand}" <{hfrom}>
To: <{rcpt}>
Subject: {subject}
MIME-Version: 1.0
Content-Type: multipart/alternative;
\tboundary="{b2}"

--{b2}
{part1}
--{b2}
{part2}
--{b2}--

--{b1}--
"""


def main():
    ap = argparse.ArgumentParser(description="Generate synthetic ARF spam complaints.")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["maildir", "mbox"], default="maildir")
    ap.add_argument("--ips", type=int, default=600,
                    help="distinct source IPs (default 600; over 700, public-looking ones)")
    ap.add_argument("--domains", type=int, default=300, help="advertised domains (default 300)")
    ap.add_argument("--days", type=int, default=30, help="arrival dates spread (default 30)")
    ap.add_argument("--recent", action="store_true",
                    help="the days end now (default: 2026-11-01 to 2026-12-01)")
    args = ap.parse_args()
    if args.count < 0:
        ap.error("--count must be >= 0")
    if args.ips < 1 or args.domains < 1 or args.days < 1:
        ap.error("--ips, --domains and --days must be positive")
    if args.out == "-" and args.format != "mbox":
        ap.error("--out - writes an mbox to standard output: give --format mbox")

    rng = random.Random(args.seed)
    t0 = time.time()
    ips = make_ips(rng, args.ips) if args.ips <= 700 else make_public_ips(rng, args.ips)
    pick_ip = zipf_picker(rng, ips, 1.05)
    domains = make_domains(rng, args.domains)
    pool = build_body_pool(rng, domains, max(400, args.domains))
    mboxes = ["mailbox.example", "inbox-mail.example", "webpost.example", "freemail.example",
              "post.example.net", "mail.example.org"]
    ri = rng.randint
    choice = rng.choice
    rnd = rng.random
    span = args.days * 86400
    if args.recent:
        start = dt.datetime.utcfromtimestamp(int(time.time()) - span)
    else:
        start = dt.datetime(2026, 12, 1, 0, 0, 0) - dt.timedelta(seconds=span)
    tzs = [0, 60, -300, -360, -480, 120, 330, 540]
    seed_tag = "%x" % (args.seed & 0xffffffff)

    out = args.out
    if args.format == "maildir":
        for d in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(out, d), exist_ok=True)
        mbox_f = None
    elif out == "-":
        mbox_f = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False,
                      buffering=1 << 20)
    else:
        os.makedirs(out, exist_ok=True)
        mbox_f = open(os.path.join(out, "complaints.mbox"), "w", encoding="utf-8", newline="\n")
    from_quote = re.compile(r"^(>*From )", re.M)

    def hexid(n):
        return "".join(choice(HEX) for _ in range(n))

    base_epoch = 1793491200  # 2026-11-01T00:00:00Z, for Maildir names
    total_bytes = 0
    for i in range(args.count):
        fbl = choice(FBLS)
        fbl_from, ua, ver, subj_t, fbl_url, relay_t, mbox = fbl
        if rnd() < 0.5:
            mbox = choice(mboxes)
        ip = pick_ip()
        doms, brand, product, parts = choice(pool)
        fromdom = "mail." + doms[0]
        t_arr = start + dt.timedelta(seconds=ri(0, span))
        t_rep = t_arr + dt.timedelta(seconds=ri(60, 20000))
        rtz = choice(tzs)
        rcpt = "%s.%s%d@%s" % (choice(NAMES), choice(NAMES), ri(1, 9999), mbox)
        envfrom = "bounce-%d-%s@%s" % (i, hexid(12).lower(), fromdom)
        mx = "mx%d.%s" % (ri(1, 9), mbox)
        helo = choice([fromdom, "srv%d.%s" % (ri(1, 99), doms[0]), "localhost.localdomain",
                       "WIN-" + hexid(11)])
        if ":" in ip:
            rdns = "v6-%s.cust.hostnet.example" % ip.replace(":", "-")
        else:
            rdns = ip.replace(".", "-") + ".static.hostnet.example"
        n = ri(8, 99999)
        s = choice(SUBJECTS)
        if "{b64}" in s:
            subject = s.format(b64=base64.b64encode(("Médicaments: %s" % product).encode()).decode())
        else:
            subject = s.format(p=product, n=n)
        arr_date = rfcdate(t_arr, rtz)
        # Received: private internal hops on top, then the connecting host, then sender-side
        rcv = []
        for k in sorted(rng.sample(range(len(PRIVATE_HOPS)), ri(1, 2))):
            rcv.append("Received: " + PRIVATE_HOPS[k].format(
                mx=mx, mbox=mbox, rcpt=rcpt, a=ri(0, 255), b=ri(0, 255), c=ri(1, 254), d=ri(1, 9),
                id=hexid(14), qid=hexid(11), date=rfcdate(t_arr + dt.timedelta(seconds=ri(1, 5)), rtz)))
        rcv.append("Received: " + choice(SOURCE_HOPS).format(
            helo=helo, rdns=rdns, ip=ip, mx=mx, qid=hexid(11), rcpt=rcpt, envfrom=envfrom,
            id=hexid(14), date=arr_date))
        if rnd() < 0.6:
            rcv.append("Received: from localhost (localhost [127.0.0.1])\n\tby %s (Postfix) with ESMTP id %s;\n\t%s"
                       % (helo, hexid(10), rfcdate(t_arr - dt.timedelta(seconds=2), rtz)))
        relay = relay_t % ri(1, 9)
        msg = MSG.format(
            outer_received="Received: from %s (%s [192.0.2.%d])\n\tby mx1.hostnet.example (Postfix) with ESMTPS id %s\n\tfor <abuse@hostnet.example>; %s"
                           % (relay, relay, ri(200, 250), hexid(11), rfcdate(t_rep, 0)),
            fbl_from=fbl_from, isp="hostnet.example", rep_date=rfcdate(t_rep, choice(tzs)),
            rep_subject=subj_t.format(subj=subject if subject.isascii() else "Spam report", ip=ip),
            rep_mid="%s.%d.%s@%s" % (hexid(16).lower(), i, seed_tag, relay),
            b1="----=_report_%s_%d" % (hexid(12), i), ip=ip, arr_date=arr_date, fbl_url=fbl_url,
            ftype="abuse" if rnd() < 0.97 else choice(["fraud", "other", "not-spam"]),
            ua=ua, ver=ver, envfrom=envfrom, rcpt=rcpt, relay=relay, fromdom=fromdom, mbox=mbox,
            spf=choice(["pass", "softfail", "neutral", "fail"]), received="\n".join(rcv),
            mid="%s.%d@%s" % (hexid(20).lower(), i, helo),
            orig_date=rfcdate(t_arr - dt.timedelta(seconds=ri(2, 900)), choice(tzs)),
            brand=brand, hfrom="%s@%s" % (choice(["offers", "deals", "news", "noreply", "rx"]), fromdom),
            subject=subject, b2="=_alt_%s" % hexid(20), part1=parts[0], part2=parts[1])
        total_bytes += len(msg)
        if mbox_f is None:
            name = "%d.M%dP%sQ%d.arfdesk-bench" % (base_epoch + i // 16, i % 16 * 1000 + ri(0, 999), seed_tag, i + 1)
            with open(os.path.join(out, "new", name), "w", encoding="utf-8", newline="\n") as f:
                f.write(msg)
        else:
            mbox_f.write("From MAILER-DAEMON %s\n" % t_rep.strftime("%a %b %d %H:%M:%S %Y"))
            mbox_f.write(from_quote.sub(r">\1", msg))
            mbox_f.write("\n")
    if mbox_f is not None:
        mbox_f.close()
    el = time.time() - t0
    sys.stderr.write("gen-arf: %d messages, %.1f MB, avg %.0f bytes, %.1f s (%.0f msg/s)\n"
                     % (args.count, total_bytes / 1e6, total_bytes / max(1, args.count), el,
                        args.count / el if el > 0 else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
