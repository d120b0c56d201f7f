#!/usr/bin/env python3
"""Generate the arfdesk demo set: one pharma-spam campaign as an abuse desk sees it.

    python3 tests/lib/gen-demo.py [--out DIR] [--expected FILE]

Writes DIR/0001.eml ... DIR/NNNN.eml (DIR defaults to share/demo) and the expected
parse of each in FILE (default tests/data/demo-expected.tsv).  Standard library only and fully deterministic:
running it again produces byte-identical files.

The fictional setting: "hostnet.example" runs abuse@hostnet.example.  Several of its
customers' servers (documentation-range addresses 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32) send a pharmacy spam campaign during November 2026.
The complaints arrive through feedback loops (ARF), X-ARF reporters, SpamCop, users
forwarding the spam, Microsoft JMRP-style forwards, and a few broken messages.

The expected file has one row per file (tab separated, header line first):

    file  format  feedback_type  source_ip  source_ip_rule  domains

using the vocabulary of the arfdesk parsing contract:
  format          arf | xarf | spamcop | forwarded | unknown
  feedback_type   lower-cased ARF Feedback-Type, "-" when null
  source_ip       canonical text form, "-" when null
  source_ip_rule  report-field | xarf | spamcop | received:N | none
  domains         registrable domains (punycode), comma separated, in order of first
                  appearance in the original spam (Reported-Uri counted too); "-" when
                  the list is empty
The generator knows the truth because it built every message; nothing is parsed back.

All names are fictional: reporters live under *.example, advertised domains are
"<something>-example.<suffix>" names, addresses are from documentation ranges.  The only
real names are format boilerplate: the X-ARF 0.2 "Schema-URL: http://www.x-arf.org/..."
field and the W3C DOCTYPE/xmlns URLs (w3.org) in some spam HTML, both of which the
contract excludes from domains.
"""

import argparse
import base64
import datetime as dt
import ipaddress
import json
import os
import quopri
import random
import sys
from email.header import Header

SEED = 20261102
COUNT = 200
OUR_DOMAIN = "hostnet.example"
ABUSE = "abuse@hostnet.example"

# ---------------------------------------------------------------------------
# The campaign: sending hosts (power-law noisy), advertised domains.
# ---------------------------------------------------------------------------

SOURCE_IPS = [
    "198.51.100.23", "203.0.113.45", "198.51.100.24", "192.0.2.77",
    "2001:db8:4c1::25", "203.0.113.46", "198.51.100.57", "192.0.2.33",
    "203.0.113.121", "198.51.100.101", "2001:db8:4c1::26", "192.0.2.34",
    "203.0.113.5", "198.51.100.140", "203.0.113.88", "192.0.2.150",
    "2001:db8:77:10::1a", "198.51.100.58", "203.0.113.190", "192.0.2.35",
    "198.51.100.170", "203.0.113.6", "192.0.2.78", "2001:db8:feed:2::c0",
    "203.0.113.122", "198.51.100.102", "192.0.2.151", "203.0.113.191",
    "2001:db8:0:5::3", "198.51.100.173",
]

# registrable domain -> subdomains used in URLs (first one is the usual landing host)
PHARMA_DOMAINS = [
    ("cheap-meds-example.com", ["www", "shop", "secure"]),
    ("rx-example.co.uk", ["www", "shop", "order"]),
    ("meds-example.net", ["www", "order", "m"]),
    ("pills-example.ru", ["www", "shop", "ru"]),
    ("canadian-pharmacy-example.com", ["www", "store"]),
    ("generic-rx-example.net", ["www", "buy"]),
    ("rx-deals-example.org", ["www", "deals"]),
    ("meds4less-example.co.uk", ["www", "shop"]),
    ("pharma-example.com.au", ["www", "shop"]),
    ("med-shop-example.in", ["www", "store"]),
    ("médicaments-example.com", ["www", "shop"]),      # IDN
    ("herbal-remedy-example.biz", ["www", "get"]),
]
TRACK_DOMAIN = ("clk-example.net", ["track", "click", "t"])
IMG_DOMAIN = ("img-cdn-example.com", ["img", "cdn", "static"])
UNSUB_DOMAIN = ("safe-unsubscribe-example.com", ["www", "u"])

IDN_UNICODE = "médicaments-example.com"
IDN_PUNY = "xn--mdicaments-example-bwb.com"


def puny(domain):
    return ".".join(l.encode("idna").decode("ascii") if any(ord(c) > 127 for c in l) else l
                    for l in domain.split("."))


assert puny(IDN_UNICODE) == IDN_PUNY

BRANDS = ["Canada Drugs Online", "RxCare Pharmacy", "MedsDirect", "Pharmacy Express",
          "Trusted Tablets", "Apteka24", "HealthPlus Store", "Pharmacie Discount"]
PRODUCTS = ["Sildenafil 100mg", "Tadalafil 20mg", "Modafinil 200mg", "Finasteride 1mg",
            "Atorvastatin 40mg", "Orlistat 120mg", "Vardenafil 20mg", "Sertraline 50mg",
            "Amoxicillin 500mg", "Melatonin 10mg"]
SUBJECTS = [
    "Your prescription refill is ready",
    "Save up to 80% on {product}",
    "{product} - no prescription needed",
    "Re: your order #{num}",
    "Last chance: November pharmacy sale",
    "Médicaments à prix réduit – livraison discrète",
    "\U0001F48A {product} from ${price} per pill",
    "Discreet shipping worldwide, {brand}",
    "Аптека: скидка 70% на {product}",
    "Fwd: {product} invoice",
    "Important health notice for {user}",
    "Black Friday early deals on {product}",
]
SPAM_USERS = ["offers", "deals", "noreply", "pharmacy", "news", "info", "support", "rx"]
FIRST_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
               "judy", "mallory", "oscar", "peggy", "trent", "victor", "wendy", "yusuf",
               "zoe", "noor", "lena", "marta", "pavel", "sven", "ines"]

# Mailbox providers whose users receive the spam (the recipients), fictional.
MAILBOXES = ["mailbox.example", "inbox-mail.example", "webpost.example", "freemail.example",
             "post.example.net", "mail.example.org"]

START = dt.datetime(2026, 11, 2, 6, 0, 0, tzinfo=dt.timezone.utc)
SPAN_SECONDS = 21 * 86400

TZS = [0, 60, -300, -360, -480, 120, 330, 540, -180]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def tz(minutes):
    return dt.timezone(dt.timedelta(minutes=minutes))


def rfcdate(t, tzmin=0, comment=False):
    t = t.astimezone(tz(tzmin))
    s = t.strftime("%a, %d %b %Y %H:%M:%S ")
    off = t.utcoffset().total_seconds() // 60
    sign = "+" if off >= 0 else "-"
    off = abs(int(off))
    s += "%s%02d%02d" % (sign, off // 60, off % 60)
    if comment and tzmin == 0:
        s += " (UTC)"
    return s


def canon_ip(ip):
    a = ipaddress.ip_address(ip)
    if a.version == 6 and a.ipv4_mapped:
        return str(a.ipv4_mapped)
    return str(a)


def is_v6(ip):
    return ":" in ip


def rdns(ip):
    if is_v6(ip):
        return "v6-%s.cust.hostnet.example" % ip.replace(":", "-").strip("-")
    return "%s.static.hostnet.example" % ip.replace(".", "-")


def qp(text, charset="utf-8"):
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def b64(text, charset="utf-8"):
    return base64.encodebytes(text.encode(charset)).decode("ascii")


def enc_header(value):
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        return Header(value, "utf-8", header_name="Subject").encode()


def fold(name, value):
    """Fold a long header at spaces (crude, realistic enough)."""
    line = "%s: %s" % (name, value)
    if len(line) <= 78:
        return line
    out, cur = [], ""
    for word in line.split(" "):
        if cur and len(cur) + 1 + len(word) > 76:
            out.append(cur)
            cur = "\t" + word
        else:
            cur = word if not cur else cur + " " + word
    out.append(cur)
    return "\n".join(out)


class Rng(random.Random):
    def hexid(self, n):
        return "".join(self.choice("0123456789ABCDEF") for _ in range(n))

    def lhex(self, n):
        return "".join(self.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n):
        return "".join(self.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                       for _ in range(n))

    def boundary(self):
        return self.choice(["----=_Part_%d_%d.%d" % (self.randint(10000, 999999),
                                                      self.randint(10 ** 8, 10 ** 9),
                                                      self.randint(10 ** 12, 10 ** 13)),
                            "=_%s" % self.lhex(24),
                            "000000000000%s" % self.lhex(16),
                            "b1_%s" % self.lhex(32)])


# ---------------------------------------------------------------------------
# Received headers
# ---------------------------------------------------------------------------

PRIVATE_HOPS = [
    # (template, description) - every one has a "from" clause whose connecting IP is
    # private/reserved, so the Received walk must skip it.
    "from {mx} (10.40.1.{a}) by store-{b}.{mbox} (10.40.3.{b}) with LMTP id {id}; {date}",
    "from localhost (localhost [127.0.0.1])\n\tby {mx} (Postfix) with ESMTP id {qid}\n\tfor <{rcpt}>; {date}",
    "from {mx} ([127.0.0.1])\n\tby localhost ({mx} [127.0.0.1]) (amavisd-new, port 10024)\n\twith ESMTP id {id2} for <{rcpt}>; {date}",
    "from filter-{b}.{mbox} (filter-{b}.{mbox} [172.20.4.{a}])\n\tby {mx} (Postfix) with ESMTPS id {qid}\n\tfor <{rcpt}>; {date}",
    "from relay-in.{mbox} (relay-in.{mbox} [192.168.10.{a}])\n\tby {mx} with esmtp (Exim 4.97)\n\tid {exim}\n\tfor {rcpt}; {date}",
    "from edge-{b}.{mbox} (edge-{b}.{mbox} [100.72.3.{a}])\n\tby {mx} (Postfix) with ESMTPS id {qid}; {date}",
    "from frontend-{b}.{mbox} (fd3c:2d81:9a0::{a:x}) by {mx} (fd3c:2d81:9a0::1) with Microsoft SMTP Server id 15.20.{a}.{b}; {date}",
]


def private_hops(rng, n, ctx, t):
    hops = []
    # PRIVATE_HOPS is ordered top (mailbox store) to bottom (edge); keep that order
    picked = sorted(rng.sample(range(len(PRIVATE_HOPS)), n))
    for i, k in enumerate(picked):
        tmpl = PRIVATE_HOPS[k]
        tt = t + dt.timedelta(seconds=(n - i) * rng.randint(1, 4))
        hops.append(tmpl.format(
            mx=ctx["mx"], mbox=ctx["mbox"], rcpt=ctx["rcpt"], a=rng.randint(2, 250),
            b=rng.randint(1, 9), id=rng.alnum(14), id2=rng.alnum(12), qid=rng.hexid(11),
            exim="1v%s-%s-%s" % (rng.alnum(4), rng.alnum(6), rng.alnum(2)),
            date=rfcdate(tt, ctx["rtz"])))
    return hops


def source_hop(rng, ip, ctx, t, style=None):
    helo = ctx["helo"]
    rd = rdns(ip)
    d = rfcdate(t, ctx["rtz"])
    style = style or rng.choice(["postfix", "postfix", "postfix", "qmail", "exim", "exchange",
                                 "sendmail"])
    if style == "postfix":
        return ("from %s (%s [%s])\n\tby %s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
                % (helo, rd, ip, ctx["mx"], rng.hexid(11), ctx["rcpt"], d))
    if style == "qmail":
        return "from unknown (HELO %s) (%s)\n  by %s with SMTP; %s" % (helo, ip, ctx["mx"], d)
    if style == "exim":
        return ("from [%s] (helo=%s)\n\tby %s with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384\n"
                "\t(Exim 4.97)\n\t(envelope-from <%s>)\n\tid 1v%s-%s-%s\n\tfor %s; %s"
                % (ip, helo, ctx["mx"], ctx["envfrom"], rng.alnum(4), rng.alnum(6),
                   rng.alnum(2), ctx["rcpt"], d))
    if style == "exchange":
        return ("from %s (%s) by %s (10.13.%d.%d) with Microsoft SMTP Server\n"
                " (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.%d.%d\n"
                " via Frontend Transport; %s"
                % (helo, ip, ctx["mx"], rng.randint(1, 250), rng.randint(1, 250),
                   rng.randint(7000, 8200), rng.randint(1, 40), d))
    if style == "sendmail":
        lit = ("IPv6:" + ip) if is_v6(ip) else ip
        return ("from %s (%s [%s])\n\tby %s (8.17.2/8.17.2) with ESMTP id 4A%s\n\tfor <%s>; %s"
                % (helo, rd, lit, ctx["mx"], rng.alnum(10), ctx["rcpt"], d))
    raise ValueError(style)


def sender_internal_hops(rng, ctx, t):
    """Hops below the source hop: the spammer's own MTA; any format is fine here."""
    hops = []
    if rng.random() < 0.6:
        hops.append("from localhost (localhost [127.0.0.1])\n\tby %s (Postfix) with ESMTP id %s;\n\t%s"
                    % (ctx["helo"], rng.hexid(10), rfcdate(t - dt.timedelta(seconds=3), ctx["stz"])))
    if rng.random() < 0.3:
        hops.append("by %s (Postfix, from userid 1001)\n\tid %s; %s"
                    % (ctx["helo"], rng.hexid(10), rfcdate(t - dt.timedelta(seconds=5), ctx["stz"])))
    return hops


# ---------------------------------------------------------------------------
# The original spam
# ---------------------------------------------------------------------------

class UrlLog:
    """Collects URLs in order of appearance and the registrable domain of each."""

    def __init__(self):
        self.domains = []

    def add(self, reg):
        if reg and reg not in self.domains:
            self.domains.append(reg)


def mkurl(rng, dom, log, scheme=None, sub=None, path=None, unicode_host=False):
    reg, subs = dom
    sub = sub or rng.choice(subs)
    host_reg = reg
    if reg == IDN_UNICODE and not unicode_host:
        host_reg = IDN_PUNY
    scheme = scheme or rng.choice(["http", "https", "https"])
    path = path if path is not None else rng.choice([
        "/", "/order", "/catalog/%s" % rng.choice(["ed", "pain", "sleep", "diet"]),
        "/p/%d" % rng.randint(100, 9999), "/landing/nov26?c=%s" % rng.alnum(6),
        "/buy?id=%d&ref=%s" % (rng.randint(10, 99), rng.alnum(5))])
    log.add(puny(reg))
    return "%s://%s.%s%s" % (scheme, sub, host_reg, path)


def html_attr(url, rng, allow_entity=True):
    u = url.replace("&", "&amp;")
    if allow_entity and rng.random() < 0.12 and "://www." in u:
        # numeric character references for the dots of the host
        scheme, rest = u.split("://", 1)
        host, _, tail = rest.partition("/")
        u = scheme + "://" + host.replace(".", "&#46;") + ("/" + tail if tail else "")
    return u


def spam_content(rng, m, obfuscate=False, ascii_only=False):
    """Build the spam's text and html bodies.

    Returns (plain, html, log). obfuscate=True refangs nothing but writes hxxp etc. into
    the plain text (used for user forwards); html is None then.
    """
    log = UrlLog()
    main = m["main_dom"]
    brand, product, price = m["brand"], m["product"], m["price"]
    use_idn_unicode = main[0] == IDN_UNICODE and rng.random() < 0.5 and not ascii_only
    u_main = mkurl(rng, main, log, sub=main[1][0] if rng.random() < 0.5 else None,
                   unicode_host=use_idn_unicode)
    lines = [
        rng.choice(["Hello,", "Dear customer,", "Hi %s," % m["rcpt_name"].title(), "Good day!"]),
        "",
        rng.choice(["Our November sale is live: %s from $%s per pill." % (product, price),
                    "%s is back in stock at $%s per pill." % (product, price),
                    "Save up to 80%% on %s - no prescription needed." % product]),
        rng.choice(["Order now: ", "Shop here: ", "Get yours today: ", ""]) + u_main,
        "",
        rng.choice(["No prescription required. Discreet worldwide shipping.",
                    "Licensed pharmacists, FDA-approved generics, 24/7 support.",
                    "Free bonus pills with every order over $150!"]),
    ]
    if rng.random() < 0.5:
        second = m["second_dom"]
        u2 = mkurl(rng, second, log)
        lines += ["", rng.choice(["Also on offer: ", "Mirror site: ", "Backup store: "]) + u2]
    if rng.random() < 0.35:
        # a bare www. URL in plain text
        reg = rng.choice([main, m["second_dom"]])
        www_host = puny(reg[0])
        log.add(www_host)
        lines += ["", "Or type www.%s into your browser." % www_host]
    if rng.random() < 0.15:
        # an IP-literal link: not a domain
        lines += ["", "Fast mirror: http://%s/rx/?c=%d" % (rng.choice(["203.0.113.50", "198.51.100.250"]),
                                                            rng.randint(1000, 9999))]
    unsub = None
    if rng.random() < 0.5:
        unsub = mkurl(rng, UNSUB_DOMAIN, log, path="/u/%s" % rng.alnum(18))
        lines += ["", "--", "To stop receiving these offers: " + unsub]
    lines += ["", "%s, %s" % (brand, rng.choice(["Vancouver BC", "Nicosia", "Mumbai", "Tallinn"]))]
    plain = "\n".join(lines) + "\n"

    if obfuscate:
        plain = obfuscate_text(rng, plain)
        return plain, None, log

    # HTML part (its URLs come after the plain part's in MIME order)
    h = []
    if rng.random() < 0.5:
        h.append('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                 '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">')
        h.append('<html xmlns="http://www.w3.org/1999/xhtml">')
    else:
        h.append("<!DOCTYPE html>")
        h.append("<html>")
    h.append('<head><meta http-equiv="Content-Type" content="text/html; charset=%s">'
             "<title>%s</title></head>" % (m["charset"], brand))
    h.append('<body style="margin:0;padding:0;background:#f4f4f4">')
    h.append('<table width="600" align="center" cellpadding="0" cellspacing="0" border="0">')
    if rng.random() < 0.6:
        img = mkurl(rng, IMG_DOMAIN, log, scheme="https", path="/n26/%s.png" % rng.alnum(10))
        h.append('<tr><td><img src="%s" width="600" height="120" alt="%s"></td></tr>'
                 % (html_attr(img, rng), brand))
    href = u_main
    if rng.random() < 0.5:
        href = mkurl(rng, TRACK_DOMAIN, log, path="/r/%s?u=%s" % (
            rng.alnum(16), "https%3A%2F%2F" + u_main.split("://", 1)[1].split("/", 1)[0]))
    h.append('<tr><td style="font-family:Arial,sans-serif;font-size:16px;padding:20px">')
    h.append("<h1 style=\"color:#c00\">%s</h1>" % rng.choice(["Huge savings", "November sale",
                                                             "Your health, our priority"]))
    h.append("<p>Get <b>%s</b> from only <b>$%s</b> per pill. No prescription needed!</p>"
             % (product, price))
    h.append('<p><a href="%s" style="background:#c00;color:#fff;padding:12px 24px;'
             'text-decoration:none">ORDER NOW &raquo;</a></p>' % html_attr(href, rng))
    if href != u_main:
        log.add(puny(main[0]))  # u_main also appears verbatim below
    h.append('<p>Visit us at <a href="%s">%s</a></p>' % (html_attr(u_main, rng, False), brand))
    if rng.random() < 0.4:
        u3 = mkurl(rng, m["second_dom"], log)
        h.append("<p>Alternative store: %s</p>" % u3.replace("&", "&amp;"))  # bare URL in html text
    h.append("</td></tr>")
    if rng.random() < 0.5:
        unsub2 = unsub or mkurl(rng, UNSUB_DOMAIN, log, path="/u/%s" % rng.alnum(18))
        log.add(UNSUB_DOMAIN[0])
        h.append('<tr><td style="font-size:11px;color:#888">Unsubscribe <a href="%s">here</a>.</td></tr>'
                 % html_attr(unsub2, rng))
    if rng.random() < 0.4:
        pix = mkurl(rng, TRACK_DOMAIN, log, path="/o/%s.gif" % rng.alnum(12))
        h.append('<tr><td><img src="%s" width="1" height="1" alt=""></td></tr>' % html_attr(pix, rng))
    h.append("</table></body></html>")
    html = "\n".join(h) + "\n"
    return plain, html, log


def obfuscate_text(rng, text):
    """What users do before forwarding: defang URLs."""
    def defang(url):
        style = rng.choice(["hxxp", "dot", "both", "colon", "stars"])
        u = url
        if style in ("hxxp", "both"):
            u = u.replace("https://", "hxxps://").replace("http://", "hxxp://")
        if style in ("dot", "both"):
            scheme, sep, rest = u.partition("://")
            host, slash, tail = rest.partition("/")
            parts = host.split(".")
            host = ".".join(parts[:-2]) + "." + "[.]".join(parts[-2:]) if len(parts) > 2 else "[.]".join(parts)
            u = scheme + sep + host + slash + tail
        if style == "colon":
            u = u.replace("://", "[:]//").replace("http", "hxxp")
        if style == "stars":
            # only the plain-http form "h**p" is a known obfuscation
            u = u.replace("http://", "h**p://").replace("https://", "hxxps://")
        return u

    out = []
    for word in text.split(" "):
        lines = word.split("\n")
        nl = []
        for w in lines:
            if w.startswith("http://") or w.startswith("https://"):
                w = defang(w)
            elif w.startswith("www."):
                w = w.replace(".", "(.)", 1) if rng.random() < 0.5 else w.replace(".", "[dot]")
                # keep the first label "www" intact: www(.)example... -> starts "www"
            nl.append(w)
        out.append("\n".join(nl))
    return " ".join(out)


def encode_part(rng, ctype, text, charset, cte=None):
    cte = cte or rng.choice(["quoted-printable", "base64", "quoted-printable"])
    try:
        text.encode("ascii")
        is_ascii = True
    except UnicodeEncodeError:
        is_ascii = False
    if cte == "7bit" and not is_ascii:
        cte = "quoted-printable"
    if cte == "base64":
        body = b64(text, charset)
    elif cte == "quoted-printable":
        body = qp(text, charset)
    else:
        body = text
    return ('Content-Type: %s; charset="%s"\nContent-Transfer-Encoding: %s\n\n%s'
            % (ctype, charset, cte, body))


def spam_message(rng, m, ctx, hops_private, style=None, headers_only=False,
                 simple_plain=False, extra_top=None):
    """Return (raw spam text, UrlLog, subject, message_id). Received walk: the source hop
    sits right below hops_private private hops, i.e. it is received:(hops_private+1)."""
    t = m["t_arrival"]
    ip = m["ip"]
    hdr = []
    if extra_top:
        hdr += extra_top
    hdr.append("Return-Path: <%s>" % ctx["envfrom"])
    for h in private_hops(rng, hops_private, ctx, t):
        hdr.append("Received: " + h)
    hdr.append("Received: " + source_hop(rng, ip, ctx, t, style))
    if rng.random() < 0.5:
        hdr.append("Authentication-Results: %s;\n\tspf=%s smtp.mailfrom=%s;\n\tdkim=%s header.d=%s"
                   % (ctx["mx"], rng.choice(["pass", "softfail", "neutral"]),
                      ctx["envfrom"].split("@")[1], rng.choice(["pass", "none", "fail"]),
                      ctx["fromdom"]))
    for h in sender_internal_hops(rng, ctx, t):
        hdr.append("Received: " + h)
    if rng.random() < 0.6:
        hdr.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s%d;\n"
                   "\th=from:to:subject:date:message-id; bh=%s=;\n\tb=%s\n\t %s=="
                   % (ctx["fromdom"], rng.randint(1, 9), rng.alnum(43), rng.alnum(70), rng.alnum(40)))
    msgid = "%s.%s@%s" % (rng.lhex(16), rng.randint(10000, 99999), ctx["helo"])
    subj = m["subject"]
    hdr.append("Message-ID: <%s>" % msgid)
    hdr.append("Date: " + rfcdate(t - dt.timedelta(seconds=rng.randint(2, 300)), ctx["stz"]))
    hdr.append('From: "%s" <%s>' % (m["brand"], ctx["hfrom"]))
    hdr.append("To: <%s>" % ctx["rcpt"])
    hdr.append("Subject: " + enc_header(subj))
    hdr.append("MIME-Version: 1.0")
    if rng.random() < 0.4:
        hdr.append("List-Unsubscribe: <mailto:unsub-%s@%s>" % (rng.lhex(12), ctx["fromdom"]))
    if rng.random() < 0.3:
        hdr.append("X-Mailer: %s" % rng.choice(["PHPMailer 6.8.1",
                                                 "Microsoft Outlook 16.0", "MailKing 5.2"]))
    charset = m["charset"]
    if headers_only:
        hdr.append('Content-Type: text/html; charset="%s"' % charset)
        hdr.append("Content-Transfer-Encoding: base64")
        return "\n".join(hdr) + "\n", UrlLog(), subj, msgid

    if simple_plain:
        plain, _, log = spam_content(rng, m, ascii_only=True)
        # rebuild log from the plain part only
        log2 = UrlLog()
        for d in plain_domains(plain):
            log2.add(d)
        hdr.append('Content-Type: text/plain; charset="us-ascii"')
        hdr.append("Content-Transfer-Encoding: 7bit")
        return "\n".join(hdr) + "\n\n" + plain, log2, subj, msgid

    plain, html, log = spam_content(rng, m)
    r = rng.random()
    if r < 0.12:
        # HTML only, single part
        log = UrlLog()
        for d in html_domains(html):
            log.add(d)
        hdr.append('Content-Type: text/html; charset="%s"' % charset)
        cte = rng.choice(["base64", "quoted-printable"])
        hdr.append("Content-Transfer-Encoding: " + cte)
        body = b64(html, charset) if cte == "base64" else qp(html, charset)
        return "\n".join(hdr) + "\n\n" + body, log, subj, msgid
    bnd = rng.boundary()
    hdr.append('Content-Type: multipart/alternative;\n\tboundary="%s"' % bnd)
    body = ("This is a multi-part message in MIME format.\n\n" if rng.random() < 0.5 else "")
    body += "--%s\n%s\n--%s\n%s\n--%s--\n" % (
        bnd, encode_part(rng, "text/plain", plain, charset),
        bnd, encode_part(rng, "text/html", html, charset), bnd)
    return "\n".join(hdr) + "\n\n" + body, log, subj, msgid



def hosts_domains(hosts):
    """The generated registrable domains (punycode) the hosts fall under, first seen first."""
    out = []
    allregs = [d for d, _ in PHARMA_DOMAINS] + [TRACK_DOMAIN[0], IMG_DOMAIN[0], UNSUB_DOMAIN[0]]
    for host in hosts:
        for reg in allregs:
            for form in (reg, puny(reg)):
                if host == form or host.endswith("." + form):
                    d = puny(reg)
                    if d not in out:
                        out.append(d)
    return out

def plain_domains(plain):
    """Registrable domains of the (non-obfuscated) plain text, as the generator wrote them."""
    hosts = [tok.split("://", 1)[-1].split("/", 1)[0]
             for tok in plain.replace("\n", " ").split(" ")
             if tok.startswith("http://") or tok.startswith("https://") or tok.startswith("www.")]
    return hosts_domains(hosts)


def html_domains(html):
    """Domains of an html-only spam: recomputed from the html text (attribute values,
    entity-decoded) in order of appearance."""
    import html as htmlmod
    import re
    text = htmlmod.unescape(html)
    hosts = [mo.group(2).lower() for mo in re.finditer(r"(https?://)([^/\s\"'<>?]+)", text)]
    return hosts_domains(h for h in hosts if not h.endswith("w3.org"))


# ---------------------------------------------------------------------------
# Complaint wrappers
# ---------------------------------------------------------------------------

FBLS = {
    "yahoo": dict(frm='"Yahoo! Mail AntiSpam Feedback" <feedback@arf.mail.yahoo.example>',
                  ua="Yahoo!-Mail-Feedback/2.0", version="0.1", mbox="yahoo-mail.example",
                  subject="FW: {subj}", source_ip=True, date_field="Arrival-Date",
                  relay=("mta-fbl-%d.mail.yahoo.example", "192.0.2.2%02d")),
    "aol": dict(frm="<scomp@aol.example>", ua="AOL SComp", version="0.1", mbox="aol-mail.example",
                subject="Email Feedback Report for IP {ip}", source_ip=True,
                date_field="Received-Date", redacted=True,
                relay=("scmp-d0%d.mail.aol.example", "198.51.100.2%02d")),
    "comcast": dict(frm="<feedbackloop@comcastfbl.senderscore.example>", ua="ReturnPathFBL/2.0",
                    version="1", mbox="comcast-mail.example", subject="Comcast Abuse Report",
                    source_ip=True, date_field="Arrival-Date",
                    relay=("fbl%d.senderscore.example", "203.0.113.2%02d")),
    "fastmail": dict(frm="<feedbackloop@fbl.fastmail.example>", ua="Fastmail FBL/1.0", version="1",
                     mbox="fastmail-user.example", subject="Fastmail Abuse Report",
                     source_ip=True, date_field="Arrival-Date", reported_uri=True,
                     relay=("out%d.fbl.fastmail.example", "192.0.2.2%02d")),
    "gmx": dict(frm='"GMX FBL" <fbl@abuse.gmx.example>', ua="GMX-FBL/1.4", version="1",
                mbox="gmx-mail.example", subject="Abuse report: {subj}", source_ip=True,
                date_field="Arrival-Date", uppercase_type=True,
                relay=("mout-fbl%d.gmx.example", "198.51.100.2%02d")),
    "mailcz": dict(frm='"Postmaster Mailbox.cz" <fbl@postmaster.mailbox-cz.example>',
                   ua="MBX-Feedback/1.1", version="1", mbox="mailbox-cz.example",
                   subject="Spam complaint", source_ip=False, date_field="Arrival-Date",
                   relay=("fbl%d.mailbox-cz.example", "203.0.113.2%02d")),
    "trapnet": dict(frm='"TrapNet Reports" <reports@trapnet.example>', ua="trapnet-reporter/3.2",
                    version="1", mbox="traps.trapnet.example",
                    subject="[TrapNet] spam from {ip}", source_ip=True,
                    date_field="Arrival-Date", headers_only=True,
                    relay=("rep%d.trapnet.example", "192.0.2.2%02d")),
}
FBL_WEIGHTS = [("yahoo", 30), ("aol", 18), ("comcast", 16), ("fastmail", 10), ("gmx", 10),
               ("mailcz", 9), ("trapnet", 7)]


def outer_received(rng, relay, t):
    host_t, ip_t = relay
    n = rng.randint(1, 4)
    host = host_t % n
    ip = ip_t % rng.randint(1, 40)
    return ("Received: from %s (%s [%s])\n\tby mx1.%s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
            % (host, host, ip, OUR_DOMAIN, rng.hexid(11), ABUSE, rfcdate(t, 0)))


def human_arf_text(rng, fbl, m):
    ip = m["ip"]
    when = rfcdate(m["t_arrival"], -300)
    lines = ["This is an email abuse report for an email message received from IP %s on %s." % (ip, when),
             ""]
    if fbl == "aol":
        lines += ["For information, please review the top portion of the following page:",
                  "https://postmaster.aol.example/fbl", ""]
    elif fbl == "yahoo":
        lines += ["For more information about this format please see https://help.yahoo.example/fbl/arf",
                  ""]
    elif fbl == "comcast":
        lines += ["Comcast Feedback Loop, operated by Return Path. See https://fbl.senderscore.example/",
                  ""]
    elif fbl == "trapnet":
        lines += ["The message was received by a spamtrap. Headers are attached.",
                  "Details: https://www.trapnet.example/lookup?ip=%s" % ip, ""]
    else:
        lines += ["A user of our service marked this message as spam.", ""]
    lines += ["Please do not reply to this message; the mailbox is not monitored."]
    return "\n".join(lines) + "\n"


def make_arf(rng, m, fbl_name, variant=None):
    """ARF multipart/report. Returns (raw, expected-dict)."""
    fbl = FBLS[fbl_name]
    ctx = m["ctx"]
    t_rep = m["t_report"]
    ftype = m["ftype"]
    hops_private = rng.choice([1, 1, 1, 2, 2, 3])
    headers_only = fbl.get("headers_only", False)
    spam, log, subj, msgid = spam_message(rng, m, ctx, hops_private, headers_only=headers_only)

    bnd = rng.boundary()
    h = []
    h.append(outer_received(rng, fbl["relay"], t_rep + dt.timedelta(seconds=rng.randint(1, 30))))
    h.append("From: " + fbl["frm"])
    h.append("To: <%s>" % ABUSE)
    h.append("Date: " + rfcdate(t_rep, rng.choice(TZS)))
    rs = fbl["subject"].format(subj=subj, ip=m["ip"])
    ers = enc_header(rs)
    h.append(fold("Subject", ers) if ers == rs else "Subject: " + ers)
    h.append("Message-ID: <%s.%s@%s>" % (rng.lhex(20), rng.randint(100, 999), fbl["frm"].split("@")[1].rstrip(">")))
    h.append("MIME-Version: 1.0")
    if variant == "mixed":
        h.append('Content-Type: multipart/mixed;\n\tboundary="%s"' % bnd)
    else:
        h.append('Content-Type: multipart/report; report-type=feedback-report;\n\tboundary="%s"' % bnd)
    if fbl_name == "aol":
        h.append("X-AOL-INRLY: %s [%s] scmp-d0%d" % (ctx["helo"], m["ip"], rng.randint(1, 9)))
        h.append("X-Loop: scomp")

    # the machine-readable part
    ft = ftype.title() if fbl.get("uppercase_type") else ftype
    fr = ["Feedback-Type: %s" % ft, "User-Agent: %s" % fbl["ua"], "Version: %s" % fbl["version"]]
    expected_ip, rule = None, None
    if fbl_name != "aol":
        fr.append("Original-Mail-From: <%s>" % ctx["envfrom"])
        fr.append("Original-Rcpt-To: <%s>" % ctx["rcpt"])
    fr.append("%s: %s" % (fbl["date_field"], rfcdate(m["t_arrival"], ctx["rtz"])))
    if fbl_name in ("yahoo", "comcast", "fastmail", "gmx"):
        fr.append("Reporting-MTA: dns; %s" % (fbl["relay"][0] % 1))
    if variant == "bad-source-ip":
        ip_text = m["ip"].rsplit(".", 1)[0] + ".xxx"
        fr.append("Source-IP: %s" % ip_text)
    elif fbl["source_ip"]:
        ip_text = m["ip"]
        if variant == "ipv4-mapped" and not is_v6(ip_text):
            ip_text = "::ffff:" + ip_text
        elif variant == "v6-long" and is_v6(ip_text):
            ip_text = ipaddress.ip_address(ip_text).exploded.upper()
        fr.append("Source-IP: %s" % ip_text)
        expected_ip, rule = canon_ip(m["ip"]), "report-field"
    fr.append("Reported-Domain: %s" % ctx["fromdom"])
    if fbl_name == "yahoo" or fbl_name == "comcast":
        fr.append("Authentication-Results: %s; spf=%s smtp.mailfrom=%s"
                  % (fbl["mbox"], rng.choice(["pass", "softfail", "neutral"]), ctx["envfrom"]))
    if fbl.get("reported_uri") and log.domains:
        # Reported-Uri names the spam's first link host (same registrable domain as the
        # first domain of the body, so the order of first appearance is unambiguous)
        first = log.domains[0]
        fr.append("Reported-Uri: http://www.%s/" % first)
    if fbl.get("redacted"):
        fr.append("Redacted-Address: redacted")
    if rule is None:
        expected_ip, rule = canon_ip(m["ip"]), "received:%d" % (hops_private + 1)

    human = human_arf_text(rng, fbl_name, m)
    parts = []
    parts.append('Content-Type: text/plain; charset="US-ASCII"\nContent-Transfer-Encoding: 7bit\n\n' + human)
    parts.append("Content-Type: message/feedback-report\nContent-Disposition: inline\n\n" + "\n".join(fr) + "\n")
    if headers_only:
        parts.append("Content-Type: text/rfc822-headers\nContent-Disposition: inline\n\n" + spam)
    else:
        parts.append("Content-Type: message/rfc822\nContent-Disposition: inline\n\n" + spam)
    if variant == "mixed":
        # re-sent by a colleague: report parts inside multipart/mixed with a note first
        note = ('Content-Type: text/plain; charset="utf-8"\n\n'
                "Forwarding this FBL report from the %s loop, came to the old postmaster alias.\n"
                "-- \nNOC, hostnet\n" % fbl_name)
        parts.insert(0, note)
    body = "".join("--%s\n%s\n" % (bnd, p) for p in parts) + "--%s--\n" % bnd
    raw = "\n".join(h) + "\n\n" + body
    if variant == "truncated":
        # cut inside the embedded message's header block, right after its Subject line
        cut = raw.index("\nSubject: ", raw.index("message/rfc822"))
        cut = raw.index("\n", cut + 1) + 1
        raw = raw[:cut]
        log = UrlLog()
    domains = list(log.domains)
    return raw, dict(format="arf", feedback_type=ftype.lower(), source_ip=expected_ip,
                     source_ip_rule=rule, domains=domains)


def make_jmrp(rng, m):
    ctx = m["ctx"]
    t_rep = m["t_report"]
    hops_private = rng.choice([1, 2, 2])
    extra = ["X-HmXmrOriginalRecipient: <%s>" % ctx["rcpt"],
             "X-Reporter-IP: 203.0.113.%d" % rng.randint(230, 250)]
    spam, log, subj, msgid = spam_message(rng, m, ctx, hops_private, style="exchange", extra_top=extra)
    bnd = "%s-%s-%s-%s-%s" % (rng.hexid(8), rng.hexid(4), rng.hexid(4), rng.hexid(4), rng.hexid(12))
    h = [outer_received(rng, ("jmrp%d.hotmail.example", "203.0.113.2%02d"), t_rep),
         "Date: " + rfcdate(t_rep, 0),
         "From: staff@hotmail.example",
         "Subject: complaint about message from %s" % m["ip"],
         "To: %s" % ABUSE,
         "MIME-Version: 1.0",
         'Content-Type: multipart/mixed; boundary="%s"' % bnd,
         "Message-ID: <%s@%s.hotmail.example>" % (rng.alnum(24), rng.choice(["SN1", "BL2", "DM5"])),
         "X-OriginalArrivalTime: %s FILETIME=[%s:%s]" % (
             t_rep.strftime("%d %b %Y %H:%M:%S.0000 (UTC)"), rng.hexid(8), rng.hexid(8))]
    body = "--%s\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n%s\n--%s--\n" % (bnd, spam, bnd)
    return "\n".join(h) + "\n\n" + body, dict(
        format="forwarded", feedback_type=None, source_ip=canon_ip(m["ip"]),
        source_ip_rule="received:%d" % (hops_private + 1), domains=list(log.domains))


def user_outer(rng, m, subject, ctype_line):
    u = m["reporter"]
    t = m["t_report"]
    prov = u.split("@")[1]
    k = rng.randint(1, 9)
    return ["Received: from mail-out-%d.%s (mail-out-%d.%s [198.51.100.%d])\n\tby mx1.%s (Postfix) with ESMTPS id %s\n\tfor <%s>; %s"
            % (k, prov, k, prov, rng.randint(210, 250), OUR_DOMAIN,
               rng.hexid(11), ABUSE, rfcdate(t + dt.timedelta(seconds=4), 0)),
            "From: %s <%s>" % (u.split("@")[0].title(), u),
            "To: %s" % ABUSE,
            "Subject: " + enc_header(subject),
            "Date: " + rfcdate(t, rng.choice(TZS)),
            "Message-ID: <%s@%s>" % (rng.alnum(28), prov),
            "MIME-Version: 1.0",
            ctype_line,
            "User-Agent: " + rng.choice(["Mozilla Thunderbird 128.4", "Roundcube Webmail/1.6.9",
                                          "Apple Mail (2.3826)", "K-9 Mail 6.8"])]


USER_NOTES = [
    "Hello,\n\nI keep getting this junk from one of your servers. Please make it stop.\n\nRegards,\n{name}\n",
    "Another pharmacy spam from your network, original attached with full headers.\n\n{name}\n",
    "Hi abuse team,\n\nthird one this week. I never signed up for anything.\nPlease act on this.\n\nThanks\n{name}\n",
    "SPAM!!! see attached\n",
    "Dear Sir/Madam,\n\nplease find attached an unsolicited commercial e-mail sent from\nyour IP space. Kindly terminate the customer.\n\nBest regards\n{name}\n",
]


def make_fwd_attach(rng, m, nested=False):
    ctx = m["ctx"]
    hops_private = rng.choice([1, 1, 2, 3])
    spam, log, subj, msgid = spam_message(rng, m, ctx, hops_private)
    bnd = rng.boundary()
    name = m["reporter"].split("@")[0].title()
    note = rng.choice(USER_NOTES).format(name=name)
    h = user_outer(rng, m, rng.choice(["Fwd: " + subj, "SPAM from your network", "abuse report: " + subj,
                                       "Spam - please investigate"]),
                   'Content-Type: multipart/mixed; boundary="%s"' % bnd)
    fname = rng.choice(["spam.eml", "forwarded message.eml", "%s.eml" % rng.alnum(8), "original.eml"])
    att = ('Content-Type: message/rfc822; name="%s"\nContent-Disposition: attachment; filename="%s"\n\n%s'
           % (fname, fname, spam))
    if nested:
        b2 = rng.boundary()
        inner = ('Content-Type: multipart/mixed; boundary="%s"\n\n--%s\nContent-Type: text/plain; charset="utf-8"\n\n'
                 "(forwarded by the helpdesk on behalf of the customer)\n\n--%s\n%s\n--%s--\n"
                 % (b2, b2, b2, att, b2))
        body = "--%s\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: 8bit\n\n%s\n--%s\n%s\n--%s--\n" % (
            bnd, note, bnd, inner, bnd)
    else:
        body = ("--%s\nContent-Type: text/plain; charset=\"utf-8\"; format=flowed\nContent-Transfer-Encoding: 7bit\n\n%s\n"
                "--%s\n%s\n--%s--\n" % (bnd, note, bnd, att, bnd))
    return "\n".join(h) + "\n\n" + body, dict(
        format="forwarded", feedback_type=None, source_ip=canon_ip(m["ip"]),
        source_ip_rule="received:%d" % (hops_private + 1), domains=list(log.domains))


def make_fwd_inline(rng, m, with_headers=True, outlook=False, html_alt=False):
    """A user forwards inline; the original's headers are quoted in the body."""
    ctx = m["ctx"]
    t = m["t_arrival"]
    hops_private = rng.choice([1, 1, 2])
    name = m["reporter"].split("@")[0].title()
    subj = m["subject"]
    obfuscate = not html_alt
    plain, html, log = spam_content(rng, m, obfuscate=obfuscate)
    if html_alt:
        # only the plain text is forwarded: its domains, not the unused html's
        log = UrlLog()
        for d in plain_domains(plain):
            log.add(d)
    note = rng.choice([
        "Please stop this spam coming from your servers. Full headers below.\n\n{name}\n",
        "FYI - spam from your IP range. Links defanged.\n\n-- \n{name}\n",
        "Got this again today, headers included.\n",
    ]).format(name=name)
    lines = []
    if outlook:
        lines += ["-----Original Message-----",
                  'From: %s <%s>' % (m["brand"], ctx["hfrom"]),
                  "Sent: %s" % (t.astimezone(tz(ctx["rtz"])).strftime("%A, %B %d, %Y %I:%M %p")),
                  "To: %s" % ctx["rcpt"],
                  "Subject: %s" % subj, ""]
    else:
        lines += ["---------- Forwarded message ---------",
                  "From: %s <%s>" % (m["brand"], ctx["hfrom"]),
                  "Date: %s" % (t.astimezone(tz(ctx["rtz"])).strftime("%a, %b %d, %Y at %I:%M %p").replace(" 0", " ")),
                  "Subject: %s" % subj,
                  "To: <%s>" % ctx["rcpt"], ""]
    if with_headers:
        hdrs = ["Return-Path: <%s>" % ctx["envfrom"]]
        for hh in private_hops(rng, hops_private, ctx, t):
            hdrs.append("Received: " + hh)
        hdrs.append("Received: " + source_hop(rng, m["ip"], ctx, t, rng.choice(["postfix", "qmail", "exim"])))
        msgid = "%s.%s@%s" % (rng.lhex(16), rng.randint(10000, 99999), ctx["helo"])
        hdrs += ["Message-ID: <%s>" % msgid,
                 "Date: " + rfcdate(t - dt.timedelta(seconds=rng.randint(2, 300)), ctx["stz"]),
                 'From: "%s" <%s>' % (m["brand"], ctx["hfrom"]),
                 "To: <%s>" % ctx["rcpt"],
                 "Subject: " + subj]
        lines += hdrs + [""]
        ip_exp, rule = canon_ip(m["ip"]), "received:%d" % (hops_private + 1)
    else:
        ip_exp, rule = None, "none"
    fwd_text = "\n".join(lines) + "\n" + plain
    text = note + "\n\n" + fwd_text
    if html_alt:
        import html as htmlmod
        bnd = rng.boundary()
        html_fwd = ('<div dir="ltr">%s<br><br><div class="gmail_quote"><pre>%s</pre></div></div>\n'
                    % (htmlmod.escape(note).replace("\n", "<br>"), htmlmod.escape(fwd_text)))
        ctype = 'Content-Type: multipart/alternative; boundary="%s"' % bnd
        body = ("--%s\n%s\n--%s\n%s\n--%s--\n"
                % (bnd, encode_part(rng, "text/plain", text, "UTF-8", "quoted-printable"),
                   bnd, encode_part(rng, "text/html", html_fwd, "UTF-8", "quoted-printable"), bnd))
    else:
        ctype = 'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable'
        body = qp(text)
    h = user_outer(rng, m, ("FW: " if outlook else "Fwd: ") + subj, ctype)
    return "\n".join(h) + "\n\n" + body, dict(
        format="forwarded", feedback_type=None, source_ip=ip_exp, source_ip_rule=rule,
        domains=list(log.domains))


XARF_REPORTERS = [
    ("Spamtrap-Net e.V.", "spamtrap-net.example", "spamtrap@spamtrap-net.example"),
    ("CleanMail Blocklist", "cleanmail-bl.example", "reports@cleanmail-bl.example"),
    ("ISP Kabel Nord", "kabelnord.example", "abuse-out@kabelnord.example"),
    ("Abuse Monitor", "abuse-monitor.example", "xarf@abuse-monitor.example"),
]


def make_xarf(rng, m, kind):
    """kind: yaml | yaml-xarf-yes | json-v3 | json-v02 | yaml-noevidence"""
    ctx = m["ctx"]
    t_rep = m["t_report"]
    org, odom, oaddr = rng.choice(XARF_REPORTERS)
    ip = m["ip"]
    evidence = kind != "yaml-noevidence"
    if evidence:
        spam, log, subj, msgid = spam_message(rng, m, ctx, rng.choice([1, 2]))
    else:
        log, subj = UrlLog(), m["subject"]
    rid = "%d@%s" % (rng.randint(10 ** 8, 10 ** 9), odom)
    bnd = "Abuse-%s" % rng.lhex(32)
    h = [outer_received(rng, ("mail%d." + odom, "203.0.113.2%02d"), t_rep),
         'From: "%s" <%s>' % (org, oaddr),
         'To: "Abuse-Team of IP: %s" <%s>' % (ip, ABUSE),
         "Subject: " + enc_header("[X-ARF] abuse report about %s - %s - spam" % (ip, rfcdate(m["t_arrival"], 60))),
         "Date: " + rfcdate(t_rep, 60),
         "Message-ID: <%s.%s@%s>" % (rng.randint(10 ** 9, 10 ** 10), rng.hexid(6), odom),
         "MIME-Version: 1.0",
         "Auto-Submitted: auto-generated"]
    if kind == "yaml-xarf-yes":
        h.append("X-ARF: YES")
    elif kind != "json-v3" or rng.random() < 0.5:
        h.append("X-XARF: PLAIN")
    h.append('Content-Type: multipart/mixed;\n\tboundary="%s"' % bnd)
    human = ("Hello Abuse-Team,\n\nyour server/customer with the IP *%s* sent unsolicited bulk email\n"
             "(pharmacy spam) to a spamtrap address operated by %s on %s.\n\n"
             "Please check the machine behind the IP %s and stop the spam.\n"
             "More information: https://www.%s/about-reports\n\n"
             "This report is in X-ARF format; the original message is attached.\n\n-- \n%s\n"
             % (ip, org, rfcdate(m["t_arrival"], 60), ip, odom, org))
    parts = ['MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\nContent-Type: text/plain; charset=utf-8\n\n' + human]
    src_type = "ipv6" if is_v6(ip) else "ipv4"
    when = m["t_arrival"].astimezone(tz(60))
    if kind.startswith("yaml"):
        y = ["---", "Reported-From: %s" % oaddr, "Category: abuse", "Report-Type: spam",
             "Service: smtp", "Version: 0.2", "User-Agent: xarf-reporter %s 1.%d" % (odom, rng.randint(0, 9)),
             "Date: %s" % rfcdate(m["t_arrival"], 60), "Source-Type: %s" % src_type, "Source: %s" % ip,
             "Port: 25", "Destination: mx.%s" % odom, "Report-ID: %s" % rid,
             "Schema-URL: http://www.x-arf.org/schema/abuse_spam_0.1.2.json"]
        if evidence:
            y.append("Attachment: message/rfc822")
        parts.append('MIME-Version: 1.0\nContent-Transfer-Encoding: 7bit\nContent-Type: text/plain; charset=utf-8; name="report.txt"\n\n'
                     + "\n".join(y) + "\n")
    elif kind == "json-v3":
        j = {"Version": "3",
             "ReporterInfo": {"ReporterOrg": org, "ReporterOrgDomain": odom, "ReporterOrgEmail": oaddr,
                              "ReporterContactEmail": oaddr, "ReporterContactName": "Abuse Desk"},
             "Disclosure": True,
             "Report": {"ReportClass": "Activity", "ReportType": "Spam", "ReportSubType": "Trap",
                        "Date": when.strftime("%Y-%m-%dT%H:%M:%S+01:00"), "SourceIp": ip,
                        "SourcePort": rng.randint(1025, 65000), "DestinationPort": 25,
                        "SmtpMailFromAddress": ctx["envfrom"], "SmtpRcptToAddress": ctx["rcpt"]}}
        js = json.dumps(j, indent=2)
        if rng.random() < 0.5:
            parts.append("Content-Type: application/json; name=xarf.json\nContent-Transfer-Encoding: base64\n"
                         "Content-Disposition: attachment; filename=xarf.json\n\n" + base64.encodebytes(js.encode()).decode())
        else:
            parts.append("Content-Type: application/json; charset=utf-8; name=xarf.json\n"
                         "Content-Disposition: attachment; filename=xarf.json\n\n" + js + "\n")
    else:  # json-v02: the 0.2 field names as a JSON object
        j = {"Reported-From": oaddr, "Category": "abuse", "Report-Type": "spam", "Service": "smtp",
             "Version": "0.2", "User-Agent": "xarf-json %s" % odom,
             "Date": rfcdate(m["t_arrival"], 60), "Source-Type": src_type, "Source": ip, "Port": 25,
             "Report-ID": rid, "Attachment": "message/rfc822"}
        parts.append("Content-Type: application/json; charset=utf-8; name=report.json\n"
                     "Content-Disposition: attachment; filename=report.json\n\n" + json.dumps(j, indent=1) + "\n")
    if evidence:
        parts.append("Content-Type: message/rfc822; name=\"spam.eml\"\nContent-Disposition: attachment; filename=\"spam.eml\"\n\n" + spam)
    body = "".join("--%s\n%s\n" % (bnd, p) for p in parts) + "--%s--\n" % bnd
    return "\n".join(h) + "\n\n" + body, dict(
        format="xarf", feedback_type=None, source_ip=canon_ip(ip), source_ip_rule="xarf",
        domains=list(log.domains))


def make_spamcop(rng, m):
    ctx = m["ctx"]
    t_rep = m["t_report"]
    ip = m["ip"]
    rid = rng.randint(7 * 10 ** 9, 8 * 10 ** 9)
    spam, log, subj, msgid = spam_message(rng, m, ctx, rng.choice([1, 2]), simple_plain=True)
    h = [outer_received(rng, ("vmx%d.spamcop.example", "192.0.2.2%02d"), t_rep),
         'From: "%s" <%d@reports.spamcop.example>' % (m["reporter"].split("@")[0].title(), rid),
         "To: %s" % ABUSE,
         "Subject: " + enc_header("[SpamCop (%s) id:%d]%s" % (ip, rid, subj)),
         "Precedence: list",
         "Message-ID: <rid_%d@msgid.spamcop.example>" % rid,
         "Date: " + rfcdate(t_rep, -300),
         "X-SpamCop-sourceip: %s" % ip,
         "X-Mailer: https://www.spamcop.example/ v5.4.1",
         "MIME-Version: 1.0",
         'Content-Type: text/plain; charset="us-ascii"',
         "Content-Transfer-Encoding: 7bit"]
    lines = ["[ SpamCop V5.4.1 ]",
             "This message is brief for your comfort.  Please use links below for details.",
             "",
             "Email from %s / %s" % (ip, rfcdate(m["t_arrival"], -300)),
             "https://www.spamcop.example/w3m?i=z%dz%sz" % (rid, rng.lhex(32)),
             ""]
    if log.domains and rng.random() < 0.6:
        lines += ["Spamvertised web site: http://www.%s/" % log.domains[0],
                  "https://www.spamcop.example/w3m?i=z%dz%sz" % (rid, rng.lhex(32)),
                  "%s is hosted at a network you may be responsible for" % log.domains[0], ""]
    lines += ["[ Offending message ]", spam]
    return "\n".join(h) + "\n\n" + "\n".join(lines), dict(
        format="spamcop", feedback_type=None, source_ip=canon_ip(ip), source_ip_rule="spamcop",
        domains=list(log.domains))


def make_garbage(rng, m):
    # a file some tool wrote half of: no header block, binary-ish noise, no URLs
    chunks = ["\x1f\x8b\x08" + "".join(chr(rng.randint(0x80, 0xff)) for _ in range(40)),
              "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                      for _ in range(76 * 18)),
              "%%%% partial download %%%%"]
    raw = ""
    for i in range(14):
        c = rng.choice(chunks)
        raw += c[: rng.randint(20, len(c))] + ("\n" if rng.random() < 0.7 else "")
    return raw.encode("latin-1"), dict(format="unknown", feedback_type=None, source_ip=None,
                                        source_ip_rule="none", domains=[])


# ---------------------------------------------------------------------------
# Planning the 200 messages
# ---------------------------------------------------------------------------

def zipf_counts(n_items, total, s=1.15):
    w = [1.0 / (i + 1) ** s for i in range(n_items)]
    scale = (total - n_items) / sum(w)
    counts = [1 + int(x * scale) for x in w]
    i = 0
    while sum(counts) < total:
        counts[i % n_items] += 1
        i += 1
    return counts


def plan(rng):
    kinds = []
    kinds += [("garbage", None)]
    kinds += [("arf", "truncated"), ("arf", "bad-source-ip"), ("arf", "ipv4-mapped"), ("arf", "v6-long"),
              ("arf", "mixed"), ("arf", "mixed")]
    kinds += [("spamcop", None)] * 5
    kinds += [("xarf", "yaml")] * 10 + [("xarf", "yaml-xarf-yes")] * 3 + [("xarf", "json-v3")] * 8 + \
             [("xarf", "json-v02")] * 6 + [("xarf", "yaml-noevidence")] * 3
    kinds += [("jmrp", None)] * 9
    kinds += [("fwd-attach", None)] * 11 + [("fwd-attach", "nested")]
    kinds += [("fwd-inline", "plain")] * 8 + [("fwd-inline", "html")] * 3 + \
             [("fwd-inline", "outlook")] * 2 + [("fwd-inline", "noheaders")] * 2
    while len(kinds) < COUNT:
        kinds.append(("arf", None))
    rng.shuffle(kinds)
    return kinds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--out", default=os.path.join(top, "share", "demo"))
    ap.add_argument("--expected", default=os.path.join(top, "tests", "data", "demo-expected.tsv"))
    args = ap.parse_args()
    rng = Rng(SEED)

    kinds = plan(rng)
    # source IPs: power law over the campaign hosts
    counts = zipf_counts(len(SOURCE_IPS), COUNT)
    ips = []
    for ip, c in zip(SOURCE_IPS, counts):
        ips += [ip] * c
    rng.shuffle(ips)
    # make sure the ipv6-specific variant gets an IPv6 address and the v4 ones a v4
    for i, (k, v) in enumerate(kinds):
        want6 = v == "v6-long"
        want4 = v in ("ipv4-mapped", "bad-source-ip")
        if (want6 and not is_v6(ips[i])) or (want4 and is_v6(ips[i])):
            for j in range(len(ips)):
                if j != i and is_v6(ips[j]) == want6 and kinds[j][1] not in ("v6-long", "ipv4-mapped", "bad-source-ip"):
                    ips[i], ips[j] = ips[j], ips[i]
                    break

    # arrival times over 3 weeks, denser in the middle week (a campaign ramps up and down)
    times = []
    for i in range(COUNT):
        x = rng.betavariate(1.4, 1.6)
        times.append(START + dt.timedelta(seconds=int(x * SPAN_SECONDS)))
    # a few complaints carry other feedback types than "abuse"
    plain_arf = [i for i, (k, v) in enumerate(kinds) if k == "arf" and v is None]
    ftypes = {}
    for i, ft in zip(rng.sample(plain_arf, 8),
                     ["fraud", "fraud", "fraud", "not-spam", "not-spam", "other", "other", "opt-out"]):
        ftypes[i] = ft

    fbl_pool = []
    for name, w in FBL_WEIGHTS:
        fbl_pool += [name] * w

    msgs = []
    for i in range(COUNT):
        kind, variant = kinds[i]
        t_arr = times[i]
        frac = (t_arr - START).total_seconds() / SPAN_SECONDS
        # domain rotation: the campaign moves from domain to domain over the 3 weeks
        centre = int(frac * len(PHARMA_DOMAINS))
        idx = min(len(PHARMA_DOMAINS) - 1, max(0, centre + rng.choice([-1, 0, 0, 0, 1])))
        main_dom = PHARMA_DOMAINS[idx]
        second_dom = PHARMA_DOMAINS[(idx + rng.choice([1, 2, 3, 5])) % len(PHARMA_DOMAINS)]
        helo_dom = rng.choice([main_dom, second_dom])
        fromdom = "mail." + puny(helo_dom[0])
        fbl = None
        if kind == "arf":
            fbl = rng.choice(fbl_pool)
            if variant == "bad-source-ip":
                fbl = "comcast"
            elif variant in ("ipv4-mapped", "v6-long"):
                fbl = "yahoo"
            elif variant == "truncated":
                fbl = "aol"
            elif variant is None and fbl == "trapnet" and rng.random() < 0.3:
                fbl = "yahoo"
        # the complaining mailbox belongs to the feedback loop's provider
        if fbl:
            mbox = FBLS[fbl]["mbox"]
        elif kind == "jmrp":
            mbox = rng.choice(["outlook.example", "hotmail.example"])
        else:
            mbox = rng.choice(MAILBOXES)
        rcpt_name = rng.choice(FIRST_NAMES)
        ctx = dict(mx="mx%d.%s" % (rng.randint(1, 6), mbox), mbox=mbox,
                   rcpt="%s.%s%d@%s" % (rcpt_name, rng.choice(FIRST_NAMES), rng.randint(1, 99), mbox),
                   helo=rng.choice([fromdom, "srv%d.%s" % (rng.randint(1, 40), puny(helo_dom[0])),
                                    "WIN-%s" % rng.alnum(11).upper(), "localhost.localdomain"]),
                   envfrom="bounce-%s@%s" % (rng.lhex(20), fromdom),
                   hfrom="%s@%s" % (rng.choice(SPAM_USERS), fromdom), fromdom=fromdom,
                   rtz=rng.choice(TZS), stz=rng.choice(TZS))
        product = rng.choice(PRODUCTS)
        brand = rng.choice(BRANDS)
        price = "%.2f" % (rng.randint(39, 290) / 100.0)
        subject = rng.choice(SUBJECTS).format(product=product, brand=brand, price=price,
                                              num=rng.randint(100000, 999999), user=rcpt_name.title())
        ftype = ftypes.get(i, "abuse")
        m = dict(ip=ips[i], t_arrival=t_arr,
                 t_report=t_arr + dt.timedelta(seconds=rng.randint(60, 6 * 3600)),
                 ctx=ctx, main_dom=main_dom, second_dom=second_dom, brand=brand, product=product,
                 price=price, subject=subject, rcpt_name=rcpt_name, ftype=ftype,
                 charset=rng.choice(["utf-8", "utf-8", "utf-8", "iso-8859-1"]),
                 reporter="%s@%s" % (rng.choice(FIRST_NAMES), rng.choice(["freemail.example", "webpost.example",
                                                                          "inbox-mail.example"])))
        if kind == "arf":
            raw, exp = make_arf(rng, m, fbl, variant)
        elif kind == "jmrp":
            raw, exp = make_jmrp(rng, m)
        elif kind == "fwd-attach":
            raw, exp = make_fwd_attach(rng, m, nested=(variant == "nested"))
        elif kind == "fwd-inline":
            raw, exp = make_fwd_inline(rng, m, with_headers=(variant not in ("noheaders", "outlook")),
                                       outlook=(variant == "outlook"), html_alt=(variant == "html"))
        elif kind == "xarf":
            raw, exp = make_xarf(rng, m, variant)
        elif kind == "spamcop":
            raw, exp = make_spamcop(rng, m)
        elif kind == "garbage":
            raw, exp = make_garbage(rng, m)
        msgs.append((m["t_report"], raw, exp))

    msgs.sort(key=lambda x: x[0])
    os.makedirs(args.out, exist_ok=True)
    rows = ["file\tformat\tfeedback_type\tsource_ip\tsource_ip_rule\tdomains"]
    crlf_pick = set(rng.sample(range(COUNT), 2))
    for n, (_, raw, exp) in enumerate(msgs, 1):
        fn = "%04d.eml" % n
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        if n - 1 in crlf_pick and exp["format"] != "unknown":
            data = data.replace(b"\n", b"\r\n")
        with open(os.path.join(args.out, fn), "wb") as f:
            f.write(data)
        rows.append("\t".join([fn, exp["format"], exp["feedback_type"] or "-", exp["source_ip"] or "-",
                               exp["source_ip_rule"], ",".join(exp["domains"]) or "-"]))
    with open(args.expected, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
