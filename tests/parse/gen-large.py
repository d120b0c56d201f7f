#!/usr/bin/env python3
"""Re-creates the large / generated parser fixtures of tests/parse/ byte for byte:

  long-header.eml   ARF whose original carries one 204,800-character header line
  many-parts.eml    ARF multipart/report with 3,000 parts (part limit is 1,000)
  binary.eml        4,096 pseudo-random bytes (SHA-256 counter stream, fixed seed)

and their .expected files. Deterministic: no clock, no randomness source.
Run from anywhere: python3 tests/parse/gen-large.py
"""
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = ["format", "feedback_type", "source_ip", "source_ip_rule", "domains", "urls",
        "reported_domain", "original_message_id", "original_subject", "arrival_date",
        "parse_status", "parse_error"]


def write(name, data, expected):
    with open(os.path.join(HERE, name + ".eml"), "wb") as f:
        f.write(data)
    ordered = {k: expected[k] for k in KEYS if k in expected}
    with open(os.path.join(HERE, name + ".expected"), "w", encoding="utf-8") as f:
        f.write(json.dumps(ordered, ensure_ascii=False) + "\n")


def arf_head(boundary, subject, date, msgid, qid):
    return ("Return-Path: <fbl-bounces@fbl.example.net>\n"
            "Received: from fbl-out.example.net (fbl-out.example.net [198.51.100.10])\n"
            "\tby mx.abuse-desk.example.com (Postfix) with ESMTPS id %s\n"
            "\tfor <abuse@isp.example.com>; %s\n"
            "From: Example FBL <fbl@fbl.example.net>\n"
            "To: abuse@isp.example.com\n"
            "Subject: %s\n"
            "Date: %s\n"
            "Message-ID: <%s>\n"
            "MIME-Version: 1.0\n"
            "Content-Type: multipart/report; report-type=feedback-report;\n"
            "\tboundary=\"%s\"\n"
            "\n" % (qid, date, subject, date, msgid, boundary))


def arf_first_parts(boundary, ip, arrival):
    return ("--%s\n"
            "Content-Type: text/plain; charset=us-ascii\n"
            "\n"
            "This is an email abuse report for an email message received from IP\n"
            "%s on %s.\n"
            "\n"
            "--%s\n"
            "Content-Type: message/feedback-report\n"
            "\n"
            "Feedback-Type: abuse\n"
            "User-Agent: ExampleFBL/2.1\n"
            "Version: 1\n"
            "Source-IP: %s\n"
            "Arrival-Date: %s\n"
            "\n" % (boundary, ip, arrival, boundary, ip, arrival))


# ---------------------------------------------------------------- long-header
def long_header():
    b = "long-header-b1"
    padding = "0123456789abcdef" * 12800          # 204,800 characters, one line, no folding
    orig = ("Received: from mail.padding-example.com (mail.padding-example.com [192.0.2.150])\n"
            "\tby mx1.fbl.example.net (Postfix) with ESMTP id LH0002;\n"
            "\tMon, 08 Jul 2024 14:14:14 +0000 (UTC)\n"
            "From: Padding <pad@padding-example.com>\n"
            "To: zoe@fbl.example.net\n"
            "X-Padding: " + padding + "\n"
            "Subject: Header padding special\n"
            "Date: Mon, 08 Jul 2024 14:14:10 +0000\n"
            "Message-ID: <pad-200k@padding-example.com>\n"
            "Content-Type: text/plain\n"
            "\n"
            "Padded offer: https://offer.padding-example.com/p\n")
    msg = (arf_head(b, "FW: Header padding", "Mon, 08 Jul 2024 15:00:00 +0000",
                    "fbl-20240708150000-0033@fbl.example.net", "LH0001")
           + arf_first_parts(b, "192.0.2.150", "Mon, 08 Jul 2024 14:14:14 +0000")
           + "--%s\nContent-Type: message/rfc822\n\n%s\n--%s--\n" % (b, orig, b))
    write("long-header", msg.encode("ascii"), {
        "format": "arf", "feedback_type": "abuse", "source_ip": "192.0.2.150",
        "source_ip_rule": "report-field", "domains": ["padding-example.com"],
        "urls": ["https://offer.padding-example.com/p"], "reported_domain": None,
        "original_message_id": "pad-200k@padding-example.com",
        "original_subject": "Header padding special", "arrival_date": "2024-07-08T14:14:14Z",
        "parse_status": "ok", "parse_error": None})


# ---------------------------------------------------------------- many-parts
def many_parts():
    b = "many-parts-b1"
    orig = ("Received: from bulk.parts-example.net (bulk.parts-example.net [198.51.100.160])\n"
            "\tby mx1.fbl.example.net (Postfix) with ESMTP id MP0002;\n"
            "\tTue, 09 Jul 2024 09:09:09 +0000 (UTC)\n"
            "From: Parts <bulk@parts-example.net>\n"
            "To: amy@fbl.example.net\n"
            "Subject: Three thousand parts\n"
            "Date: Tue, 09 Jul 2024 09:09:00 +0000\n"
            "Message-ID: <parts-3000@parts-example.net>\n"
            "Content-Type: text/plain\n"
            "\n"
            "Catalogue: https://catalogue.parts-example.net/all\n")
    out = [arf_head(b, "FW: Three thousand parts", "Tue, 09 Jul 2024 10:00:00 +0000",
                    "fbl-20240709100000-0034@fbl.example.net", "MP0001"),
           arf_first_parts(b, "198.51.100.160", "Tue, 09 Jul 2024 09:09:09 +0000"),
           "--%s\nContent-Type: message/rfc822\n\n%s\n" % (b, orig)]
    # parts 1..3 above; parts 4..3000 are small fillers without URLs
    for n in range(4, 3001):
        out.append("--%s\nContent-Type: text/plain\n\nfiller part %d\n\n" % (b, n))
    out.append("--%s--\n" % b)
    write("many-parts", "".join(out).encode("ascii"), {
        "format": "arf", "feedback_type": "abuse", "source_ip": "198.51.100.160",
        "source_ip_rule": "report-field", "domains": ["parts-example.net"],
        "urls": ["https://catalogue.parts-example.net/all"], "reported_domain": None,
        "original_message_id": "parts-3000@parts-example.net",
        "original_subject": "Three thousand parts", "arrival_date": "2024-07-09T09:09:09Z",
        "parse_status": "partial"})


# ---------------------------------------------------------------- binary
def binary():
    data = bytearray()
    counter = 0
    while len(data) < 4096:
        data += hashlib.sha256(b"arfdesk binary fixture %d" % counter).digest()
        counter += 1
    write("binary", bytes(data[:4096]), {
        "format": "unknown", "feedback_type": None, "source_ip": None, "source_ip_rule": "none",
        "domains": [], "urls": [], "reported_domain": None, "original_message_id": None,
        "original_subject": None, "arrival_date": None, "parse_status": "unparsed"})


if __name__ == "__main__":
    long_header()
    many_parts()
    binary()
