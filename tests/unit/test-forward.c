/* test-forward.c: tests finding the original quoted in a complaint's text; SpamCop's sources. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forward.h"
#include "html-text.h"
#include "pasted-date.h"
#include "util.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])

/* forward_start: where the original starts, given as the text that must follow. */
static const struct {
	const char	*name;
	const char	*text;
	const char	*starts;	/* a prefix of the expected start, NULL: none */
} start_tests[] = {
	{ "gmail marker, short block",
	  "See below.\n\n---------- Forwarded message ---------\nFrom: A <a@x.example>\n"
	  "Subject: hi\n\nbody\n",
	  "From: A <a@x.example>" },
	{ "marker block holding Received wins",
	  "fyi\n-----Original Message-----\nFrom: s@x.example\nReceived: from x ([192.0.2.1])\n\n"
	  "body\nReceived: from later\n",
	  "From: s@x.example" },
	{ "pasted headers after a short marker block",
	  "---------- Forwarded message ---------\nFrom: s@x.example\nSubject: s\n\n"
	  "Return-Path: <b@x.example>\nReceived: from y ([192.0.2.9])\n\nspam\n",
	  "Return-Path: <b@x.example>" },
	{ "pasted headers before a marker",
	  "Delivered-To: me@example.org\nReceived: by z\n\nhtml\n---------- Forwarded message"
	  " ---------\nFrom: s@x.example\n",
	  "Delivered-To: me@example.org" },
	{ "spamcop offending message",
	  "[ SpamCop V4.8 ]\nEmail from 192.0.2.7 / Mon\n\n[ Offending message ]\n"
	  "X-Account-Key: a\nReceived: from q ([192.0.2.7])\n",
	  "X-Account-Key: a" },
	{ "marker not followed by headers",
	  "---------- Forwarded message ---------\nhello there\n", NULL },
	{ "nothing quoted", "Please stop these mails.\nThanks\n", NULL },
	{ "Received inside a sentence is not a header",
	  "I have Received: nothing useful\n", NULL },
	{ "marker words in a sentence are no marker",
	  "Please see the forwarded message below:\nFrom: me@example.org\nthanks\n", NULL },
	{ "marker words with more words are no marker",
	  "---------- Forwarded message follows ---------\nFrom: s@x.example\n", NULL },
	{ "Apple's words in a sentence are no marker",
	  "Begin forwarded message: see below\nFrom: s@x.example\n", NULL },
	{ "Original Message without its dashes is no marker",
	  "Original Message\nFrom: s@x.example\n", NULL },
	{ "a short rule is no marker",
	  "__________\nFrom: s@x.example\n", NULL },
	{ "French sentence with a colon is no header",
	  "Début du message réexpédié :\nVoici le spam :\nmerci\n", NULL },
	{ "a later marker whose block has Received wins",
	  "---------- Forwarded message ---------\nFrom: u@x.example\nSubject: Fwd\n\n"
	  "Begin forwarded message:\n\nFrom: s@x.example\nReceived: from q ([192.0.2.7])\n\nspam\n",
	  "From: s@x.example\nReceived:" },
	{ "quoted forward",
	  "see below\n> ---------- Forwarded message ---------\n> From: s@x.example\n"
	  "> Received: from q ([192.0.2.7])\n>\n> spam\n",
	  "> From: s@x.example" },
	{ "quoted pasted Received",
	  "see below\n> Received: from q ([192.0.2.7])\n> Subject: s\n",
	  "> Received: from q" },
	{ "HTML: Gmail forward in a text/plain part",
	  "Hi,\nsee below.\n<div dir=\"ltr\">---------- Forwarded message ---------<br>From: "
	  "<strong>A</strong> <span>&lt;a@x.example&gt;</span><br>Subject: s<br></div><br>body",
	  "From: <strong>A</strong>" },
	{ "HTML: OWA rule and bold names",
	  "<p>fyi</p><hr style=\"display:inline-block;width:98%\"><div id=\"divRplyFwdMsg\">"
	  "<font face=\"Calibri\"><b>From:</b> P &lt;w@x.example&gt;<br><b>Sent:</b> Tuesday, "
	  "July 2, 2024 9:20 AM<br><b>Subject:</b> You won</font><div>&nbsp;</div></div>",
	  "From:</b> P &lt;w@x.example&gt;" },
	{ "HTML: pasted Received lines with entities",
	  "<p>Headers:</p><p>Received: from m (m [203.0.113.5])<br>by mx with ESMTP<br>"
	  "Message-ID: &#60;1@x.example&#62;</p>",
	  "Received: from m (m [203.0.113.5])<br>" },
	{ "angle-bracket addresses are no HTML",
	  "---------- Forwarded message ---------\nFrom: A <a@x.example>\nTo: <b@y.example>\n\nx\n",
	  "From: A <a@x.example>\nTo: <b@y.example>" },
};

static void
test_start(void **state)
{
	const char *got;
	size_t i;

	for (i = 0; i < NROWS(start_tests); i++) {
		got = forward_start(start_tests[i].text);
		if (start_tests[i].starts == NULL) {
			if (got != NULL)
				print_error("row \"%s\": expected none, got \"%.40s\"\n",
				    start_tests[i].name, got);
			assert_null(got);
			continue;
		}
		if (got == NULL || strncmp(got, start_tests[i].starts,
		    strlen(start_tests[i].starts)) != 0)
			print_error("row \"%s\": got \"%.40s\"\n", start_tests[i].name,
			    got ? got : "(none)");
		assert_non_null(got);
		assert_memory_equal(got, start_tests[i].starts, strlen(start_tests[i].starts));
	}
}

/* Every marker of the table in src/forward.c, each followed by the header block its client
 * writes (in that language); forward_start must give the block. */
static const struct {
	const char	*client;
	const char	*marker;
	const char	*block;
} marker_tests[] = {
	{ "Gmail en", "---------- Forwarded message ---------", "From: A <a@x.example>\nDate: x\n" },
	{ "Gmail de", "---------- Weitergeleitete Nachricht ---------", "Von: A <a@x.example>\n" },
	{ "Gmail fr", "---------- Message transféré ---------", "De : A <a@x.example>\n" },
	{ "Gmail nl", "---------- Doorgestuurd bericht ---------", "Van: A <a@x.example>\n" },
	{ "Gmail es", "---------- Mensaje reenviado ---------", "De: A <a@x.example>\n" },
	{ "Gmail it", "---------- Messaggio inoltrato ---------", "Da: A <a@x.example>\n" },
	{ "Thunderbird en", "-------- Forwarded Message --------", "Subject: \ts\nDate: \tx\n" },
	{ "Thunderbird de", "-------- Weitergeleitete Nachricht --------", "Betreff: \ts\n" },
	{ "Thunderbird fr", "-------- Message transféré --------", "Sujet : \ts\n" },
	{ "Thunderbird nl", "-------- Doorgestuurd bericht --------", "Onderwerp: \ts\n" },
	{ "Thunderbird es", "-------- Mensaje reenviado --------", "Asunto: \ts\n" },
	{ "Thunderbird it", "-------- Messaggio Inoltrato --------", "Oggetto: \ts\n" },
	{ "Yahoo en", "----- Forwarded Message -----", "From: A <a@x.example>\n" },
	{ "Yahoo fr", "----- Message transmis -----", "De : A <a@x.example>\n" },
	{ "GMX de", "-------- Original-Nachricht --------", "Betreff: s\nDatum: x\n" },
	{ "Outlook en", "-----Original Message-----", "From: A [mailto:a@x.example]\n" },
	{ "Outlook de", "-----Ursprüngliche Nachricht-----", "Von: A [mailto:a@x.example]\n" },
	{ "Outlook fr", "-----Message d'origine-----", "De : A [mailto:a@x.example]\n" },
	{ "Outlook nl", "-----Oorspronkelijk bericht-----", "Van: A [mailto:a@x.example]\n" },
	{ "Outlook es", "-----Mensaje original-----", "De: A [mailto:a@x.example]\n" },
	{ "Outlook it", "-----Messaggio originale-----", "Da: A [mailto:a@x.example]\n" },
	{ "Outlook rule en", "________________________________", "From: A <a@x.example>\nSent: x\n" },
	{ "Outlook rule de", "________________________________", "Von: A <a@x.example>\n" },
	{ "Outlook rule fr", "________________________________", "De\xc2\xa0: A <a@x.example>\n" },
	{ "Outlook rule nl", "________________________________", "Van: A <a@x.example>\n" },
	{ "Outlook rule es", "________________________________", "De: A <a@x.example>\n" },
	{ "Outlook rule it", "________________________________", "Da: A <a@x.example>\n" },
	{ "Gmail of Outlook HTML", "________________________________", "*From:* A <a@x.example>\n" },
	{ "Apple Mail en", "Begin forwarded message:", "From: A <a@x.example>\n" },
	{ "Apple Mail de", "Anfang der weitergeleiteten Nachricht:", "Von: A <a@x.example>\n" },
	{ "Apple Mail de (E-Mail)", "Anfang der weitergeleiteten E-Mail:", "Von: A <a@x.example>\n" },
	{ "Apple Mail fr", "Début du message réexpédié :", "De: A <a@x.example>\n" },
	{ "Apple Mail iOS fr", "Début du message transféré :", "De: A <a@x.example>\n" },
	{ "Apple Mail nl", "Begin doorgestuurd bericht:", "Van: A <a@x.example>\n" },
	{ "Apple Mail es", "Inicio del mensaje reenviado:", "De: A <a@x.example>\n" },
	{ "Apple Mail it", "Inizio messaggio inoltrato:", "Da: A <a@x.example>\n" },
};

static void
test_markers(void **state)
{
	char text[512];
	const char *got;
	size_t i;
	int blank;

	for (i = 0; i < NROWS(marker_tests); i++) {
		/* Apple Mail leaves a blank line after its marker; try both. */
		for (blank = 0; blank < 2; blank++) {
			snprintf(text, sizeof text, "Please look at this.\n\n%s\n%s%s\nbody\n",
			    marker_tests[i].marker, blank ? "\n" : "", marker_tests[i].block);
			got = forward_start(text);
			if (got == NULL || strcmp(got, strstr(text, marker_tests[i].block)) != 0)
				print_error("row \"%s\": got \"%.40s\"\n", marker_tests[i].client,
				    got ? got : "(none)");
			assert_non_null(got);
			assert_ptr_equal(got, strstr(text, marker_tests[i].block));
		}
	}
}

/* forward_text: quoting removed and lost folding restored, the body left alone. */
static const struct {
	const char	*name;
	const char	*in;
	const char	*out;
} text_tests[] = {
	{ "quoted", "> From: a@x.example\n> Subject: s\n>\n> body\n",
	  "From: a@x.example\nSubject: s\n\nbody\n" },
	{ "lost folding",
	  "Received: from 10.0.0.1 by mx with\nHTTPS; Mon, 2 Nov 2026\nSubject: s\n\nbody\nnot: header\n",
	  "Received: from 10.0.0.1 by mx with\n HTTPS; Mon, 2 Nov 2026\nSubject: s\n\nbody\nnot: header\n" },
	{ "base64 continuation",
	  "X-Sig: a=1;\nb=Zm9v+/==\nFrom: s@x.example\n\n",
	  "X-Sig: a=1;\n b=Zm9v+/==\nFrom: s@x.example\n\n" },
	{ "folded already", "Subject: a\n\tb\n\nx\n", "Subject: a\n\tb\n\nx\n" },
	{ "Outlook de: names, mailto, Gesendet without a zone left out",
	  "Von: Gewinn Team [mailto:g@x.example]\nGesendet: Dienstag, 2. Juli 2024 09:20\n"
	  "An: j@y.example\nBetreff: Ihr Gewinn\n\nVon: body\n",
	  "From: Gewinn Team <g@x.example>\nTo: j@y.example\nSubject: Ihr Gewinn\n\nVon: body\n" },
	{ "Outlook en: Sent is the Date, left out without a zone",
	  "From: P <p@x.example>\nSent: Tuesday, July 2, 2024 9:20 AM\nTo: m@y.example\n"
	  "Subject: Win\n\nx\n",
	  "From: P <p@x.example>\nTo: m@y.example\nSubject: Win\n\nx\n" },
	{ "Outlook fr: French colon, space and no-break space",
	  "De\xc2\xa0: Colis <c@x.example>\nEnvoy\xc3\xa9 : mardi 2 juillet 2024 09:20\n"
	  "\xc3\x80 : m@y.example\nObjet\xc2\xa0: Votre colis\n\nx\n",
	  "From: Colis <c@x.example>\nTo: m@y.example\nSubject: Votre colis\n\nx\n" },
	{ "Outlook nl",
	  "Van: A [mailto:a@x.example]\nVerzonden: dinsdag 2 juli 2024 09:20\nAan: m@y.example\n"
	  "CC: n@y.example\nOnderwerp: Aanbieding\n\nx\n",
	  "From: A <a@x.example>\nTo: m@y.example\nCc: n@y.example\nSubject: Aanbieding\n\nx\n" },
	{ "Outlook es: Enviado el",
	  "De: A [mailto:a@x.example]\nEnviado el: martes, 2 de julio de 2024 9:20\n"
	  "Para: m@y.example\nAsunto: Oferta\n\nx\n",
	  "From: A <a@x.example>\nTo: m@y.example\nSubject: Oferta\n\nx\n" },
	{ "Outlook it",
	  "Da: Offerte [mailto:o@x.example]\nInviato: marted\xc3\xac 2 luglio 2024 09:20\n"
	  "A: m@y.example\nCc: n@y.example\nOggetto: Sconto\n\nx\n",
	  "From: Offerte <o@x.example>\nTo: m@y.example\nCc: n@y.example\nSubject: Sconto\n\nx\n" },
	{ "Outlook's address with its mailto copy",
	  "From: Ann <a@x.example<mailto:a@x.example>>\n\nx\n", "From: Ann <a@x.example>\n\nx\n" },
	{ "Apple Mail nl: a date with its zone converted",
	  "Van: A <a@x.example>\nOnderwerp: Pakket\nDatum: 2 juli 2024 om 09:20:11 CEST\n"
	  "Aan: m@y.example\n\nx\n",
	  "From: A <a@x.example>\nSubject: Pakket\nDate: 02 Jul 2024 09:20:11 +0200\n"
	  "To: m@y.example\n\nx\n" },
	{ "Apple Mail de: MESZ",
	  "Von: A <a@x.example>\nBetreff: s\nDatum: 2. Juli 2024 um 09:20:11 MESZ\n\nx\n",
	  "From: A <a@x.example>\nSubject: s\nDate: 02 Jul 2024 09:20:11 +0200\n\nx\n" },
	{ "Apple Mail fr: UTC+2",
	  "De: A <a@x.example>\nObjet: s\nDate: 2 juillet 2024 \xc3\xa0 09:20:11 UTC+2\n\nx\n",
	  "From: A <a@x.example>\nSubject: s\nDate: 02 Jul 2024 09:20:11 +0200\n\nx\n" },
	{ "Apple Mail es",
	  "De: A <a@x.example>\nAsunto: s\nFecha: 2 de julio de 2024, 9:20:11 CEST\n\nx\n",
	  "From: A <a@x.example>\nSubject: s\nDate: 02 Jul 2024 09:20:11 +0200\n\nx\n" },
	{ "Apple Mail it",
	  "Da: A <a@x.example>\nOggetto: s\nData: 2 luglio 2024 alle ore 09:20:11 CEST\n\nx\n",
	  "From: A <a@x.example>\nSubject: s\nDate: 02 Jul 2024 09:20:11 +0200\n\nx\n" },
	{ "Apple Mail en: PM and GMT+2",
	  "From: A <a@x.example>\nDate: July 2, 2024 at 9:20:11 PM GMT+2\n\nx\n",
	  "From: A <a@x.example>\nDate: 02 Jul 2024 21:20:11 +0200\n\nx\n" },
	{ "Thunderbird es: RFC 5322 date after a tab",
	  "Asunto: \tOferta\nFecha: \tTue, 2 Jul 2024 09:20:11 +0200 (CEST)\nDe: \tX <x@x.example>\n"
	  "Para: \ty@y.example\n\nx\n",
	  "Subject: Oferta\nDate: 02 Jul 2024 09:20:11 +0200\nFrom: X <x@x.example>\n"
	  "To: y@y.example\n\nx\n" },
	{ "Gmail fr: a date without its zone left out",
	  "De : A <a@x.example>\nDate: mar. 2 juil. 2024 \xc3\xa0 09:20\nSubject: s\n\nx\n",
	  "From: A <a@x.example>\nSubject: s\n\nx\n" },
	{ "a date that is no date left out",
	  "Date: 31 Feb 2024 09:20:11 +0000\nDate: Tue, 2 Jul 2024 09:20:11 +9900\nSubject: s\n\nx\n",
	  "Subject: s\n\nx\n" },
	{ "Gmail's bold names from an Outlook HTML forward",
	  "*From:* Prize <p@x.example>\n*Sent:* Tuesday, July 2, 2024 9:20 AM\n*Subject:* Win\n\nx\n",
	  "From: Prize <p@x.example>\nSubject: Win\n\nx\n" },
	{ "re-wrapped Received: by/for/time lines continue it, the body is not joined",
	  "Received: from mail.x.example (mail.x.example [203.0.113.5])\nby mx.y.example with ESMTP "
	  "id 4WD1x2\nfor <u@y.example>; Tue, 02 Jul 2024\n09:20:11 +0200\nSubject: s\n\n"
	  "First: body line\nsecond\n",
	  "Received: from mail.x.example (mail.x.example [203.0.113.5])\n by mx.y.example with "
	  "ESMTP id 4WD1x2\n for <u@y.example>; Tue, 02 Jul 2024\n 09:20:11 +0200\nSubject: s\n\n"
	  "First: body line\nsecond\n" },
	{ "a blank line of spaces ends the block",
	  "Subject: s\n   \nbody\n", "Subject: s\n\nbody\n" },
	{ "HTML: lines and entities, the body left as it is",
	  "<div>From: A &lt;a@x.example&gt;<br>Subject: s<br>Message-ID: &#60;m1@x.example&#62;"
	  "<br></div><br><p>Body <a href=\"https://x.example/\">here</a></p>",
	  "From: A <a@x.example>\nSubject: s\nMessage-ID: <m1@x.example>\n\n"
	  "Body <a href=\"https://x.example/\">here</a></p>" },
	{ "HTML: Outlook's header block and its blank div",
	  "From:</b> P &lt;w@x.example&gt;<br><b>Sent:</b> Tuesday, July 2, 2024 9:20 AM<br>"
	  "<b>To:</b> m@y.example<br><b>Subject:</b> You won</font><div>&nbsp;</div></div>"
	  "<div>Claim now</div>",
	  "From: P <w@x.example>\nTo: m@y.example\nSubject: You won\n\nClaim now</div>" },
	{ "HTML: a re-wrapped Received in a paragraph, comments and styles gone",
	  "<html><head><style>p {margin:0}</style></head><body><!-- x --><p>Received: from m "
	  "(m [203.0.113.5])\nby mx with ESMTP id 1<br>Subject: s</p><p>spam</p></body></html>",
	  "Received: from m (m [203.0.113.5]) by mx with ESMTP id 1\nSubject: s\n\n"
	  "spam</p></body></html>" },
};

static void
test_text(void **state)
{
	char *got;
	size_t i;

	for (i = 0; i < NROWS(text_tests); i++) {
		got = forward_text(text_tests[i].in);
		if (strcmp(got, text_tests[i].out) != 0)
			print_error("row \"%s\"\n", text_tests[i].name);
		assert_string_equal(got, text_tests[i].out);
		free(got);
	}
}

/* forward_spamcop_sources: the addresses named, as written, joined by ", ". */
static const struct {
	const char	*name;
	const char	*text;
	const char	*sources;	/* "" for none */
} spamcop_tests[] = {
	{ "one report", "[ SpamCop V4.8.3 ]\nEmail from 178.200.164.219 / Mon, 12 Sep 2016\n",
	  "178.200.164.219" },
	{ "IPv6", "Email from 2001:db8::7 / Mon\n", "2001:db8::7" },
	{ "CRLF, no date", "x\r\nEmail from 192.0.2.1\r\n", "192.0.2.1" },
	{ "munged address", "Email from  / nothing\n", "" },
	{ "in a sentence", "An Email from 192.0.2.1 in a sentence\n", "" },
	{ "not an address", "Email from our team / today\n", "" },
	{ "no line at all", "no line at all", "" },
	{ "quoted", "> [ SpamCop V5.4.0 ]\n>\n> Email from 198.51.100.4 / Tue\n", "198.51.100.4" },
	{ "quoted without a space", ">Email from 198.51.100.4 / Tue\n", "198.51.100.4" },
	{ "a digest: each once, in order",
	  "[ SpamCop V5.4.0 ]\nEmail from 192.0.2.61 / a\n[ Offending message ]\nx\n"
	  "[ SpamCop V5.4.0 ]\nEmail from 198.51.100.93 / b\n"
	  "[ SpamCop V5.4.0 ]\nEmail from 192.0.2.61 / c\n",
	  "192.0.2.61, 198.51.100.93" },
	{ "a bad address that looks like one is kept for the caller",
	  "Email from 999.1.2.3 / x\n", "999.1.2.3" },
	{ "summary table: rows, not RDNS lines, up to the key",
	  " IP_Address Start/Length Trap User Mole Simp Comments\n"
	  "                         RDNS\n"
	  " 192.0.2.44 Jul  1 18h/2  12    1    0    0 blocklisted\n"
	  "                         mail.cafe-example.net\n"
	  " 2001:DB8:0:0::25 Jul  2 3h/1  0    2    0    0\n"
	  "                         (no rdns)\n"
	  "\n"
	  " 203.0.113.8  Jul  2 1h/0   1    0    0    0\n"
	  "-- Key to Columns --\n"
	  "IP Address:  The numeric address.\n"
	  " 198.51.100.1 is not a row\n",
	  "192.0.2.44, 2001:DB8:0:0::25, 203.0.113.8" },
	{ "no table without its header line", " 192.0.2.44 Jul  1 18h/2  12\n", "" },
	{ "an offending message ends a table",
	  "IP_Address Start/Length Trap User Mole Simp Comments\n192.0.2.5 Jul 1 1h/0 1 0 0 0\n"
	  "[ Offending message ]\n192.0.2.6 x\n", "192.0.2.5" },
};

static void
test_spamcop(void **state)
{
	struct strlist got = { 0 };
	char joined[256];
	size_t i, k;

	for (i = 0; i < NROWS(spamcop_tests); i++) {
		forward_spamcop_sources(spamcop_tests[i].text, &got);
		joined[0] = '\0';
		for (k = 0; k < got.count; k++)
			snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
			    k > 0 ? ", " : "", got.items[k]);
		if (strcmp(joined, spamcop_tests[i].sources) != 0)
			print_error("row \"%s\": got \"%s\"\n", spamcop_tests[i].name, joined);
		assert_string_equal(joined, spamcop_tests[i].sources);
		strlist_free(&got);
	}
}

static const struct {
	const char	*text;
	int		 expected;
} header_tests[] = {
	{ "Received: from x", 1 }, { "\n\nFrom: a", 1 }, { "X-Spam-Flag: YES", 1 },
	{ "hello world", 0 }, { ": no name", 0 }, { "", 0 }, { "1abc: x", 0 },
	{ "Name with space: x", 0 },
	{ "Von: a", 1 }, { "Objet : x", 1 }, { "Objet\xc2\xa0: x", 1 }, { "\xc3\x80: x", 1 },
	{ "\xc3\x80 : x", 1 }, { "Envoy\xc3\xa9 : x", 1 }, { "Enviado el: x", 1 },
	{ "*From:* x", 1 }, { "\xc3\x89metteur: x", 1 }, { "Kopie (CC): x", 1 },
	{ "Voici le spam :", 0 }, { "Attention : x", 0 }, { "09:20:11 +0200", 0 },
	{ "* bullet: x", 0 },
};

static void
test_looks_like_headers(void **state)
{
	size_t i;

	for (i = 0; i < NROWS(header_tests); i++) {
		if (forward_looks_like_headers(header_tests[i].text,
		    strlen(header_tests[i].text)) != header_tests[i].expected)
			print_error("row \"%s\"\n", header_tests[i].text);
		assert_int_equal(forward_looks_like_headers(header_tests[i].text,
		    strlen(header_tests[i].text)), header_tests[i].expected);
	}
}

/* n distinct "Email from" lines, then a repeat of the first. */
static void
email_from_lines(struct buf *text, int n)
{
	int i;

	buf_reset(text);
	for (i = 0; i < n; i++)
		buf_addf(text, "Email from 10.0.%d.%d / x\n", i / 256, i % 256);
	buf_adds(text, "Email from 10.0.0.0 / a repeat\n");
}

/* A text naming more sources than are kept: the first FORWARD_MAX_SOURCES, and -1; exactly as
 * many (and a repeat) is no overflow. */
static void
test_spamcop_bound(void **state)
{
	struct buf text;
	struct strlist got = { 0 };

	buf_init(&text);
	email_from_lines(&text, FORWARD_MAX_SOURCES + 1);
	assert_int_equal(forward_spamcop_sources(text.data, &got), -1);
	assert_int_equal(got.count, FORWARD_MAX_SOURCES);
	strlist_free(&got);
	email_from_lines(&text, FORWARD_MAX_SOURCES);
	assert_int_equal(forward_spamcop_sources(text.data, &got), 0);
	assert_int_equal(got.count, FORWARD_MAX_SOURCES);
	strlist_free(&got);
	buf_free(&text);
}

/* pasted_date_rfc5322: the long forms clients paste, RFC 5322 out; NULL: none (no zone, no
 * such day, a word not understood). */
static const struct {
	const char	*in;
	const char	*out;
} date_tests[] = {
	{ "Tue, 2 Jul 2024 09:20:11 +0200 (CEST)", "02 Jul 2024 09:20:11 +0200" },
	{ "2. Juli 2024 um 09:20:11 MESZ", "02 Jul 2024 09:20:11 +0200" },
	{ "July 2, 2024 at 9:20:11 PM GMT+2", "02 Jul 2024 21:20:11 +0200" },
	{ "2 de julio de 2024, 9:20:11 CEST", "02 Jul 2024 09:20:11 +0200" },
	{ "mardi 2 juillet 2024 09:20 UTC", "02 Jul 2024 09:20:00 +0000" },
	{ "29 Feb 2024 23:59:59 -0700", "29 Feb 2024 23:59:59 -0700" },
	{ "Tuesday, July 2, 2024 9:20 AM", NULL },
	{ "29 Feb 2023 10:00:00 +0000", NULL },
	{ "2 Jul 2024 09:20:11 BST", NULL },
	{ "2 Jul 2024 13:20:11 PM +0000", NULL },
	{ "2 Jul 2024 soon 09:20:11 +0000", NULL },
	{ "", NULL },
};

static void
test_pasted_date(void **state)
{
	char out[64];
	size_t i;
	int ok;

	for (i = 0; i < NROWS(date_tests); i++) {
		ok = pasted_date_rfc5322(date_tests[i].in, strlen(date_tests[i].in), out, sizeof out);
		if (ok != (date_tests[i].out != NULL) || (ok && strcmp(out, date_tests[i].out) != 0))
			print_error("row \"%s\": got %s\n", date_tests[i].in, ok ? out : "none");
		assert_int_equal(ok, date_tests[i].out != NULL);
		if (ok)
			assert_string_equal(out, date_tests[i].out);
	}
}

/* html_text_looks_like, and html_text_lines with the map back to the HTML. */
static const struct {
	const char	*in;
	int		 html;
	const char	*lines;		/* NULL: not converted */
} html_tests[] = {
	{ "From: A <a@x.example>\nTo: <b@y.example>\n", 0, NULL },
	{ "Price < 5 & more > 3\n", 0, NULL },
	{ "<b>bold</b> and <span>inline</span> only\n", 0, NULL },
	{ "From: A &lt;a@x.example&gt;\n", 1, "From: A <a@x.example>\n" },
	{ "note\n<div>From: A<br>Subject:&nbsp;s</div><p>body</p>", 1,
	  "note\nFrom: A\nSubject:\xc2\xa0s\nbody\n\n" },
	{ "<p>a</p><hr><style>p{}</style><!-- c --><pre>x\n  y</pre>", 1,
	  "a\n\n________________________________\nx\n  y\n" },
};

static void
test_html_text(void **state)
{
	struct html_lines map;
	char *got;
	const char *line, *next;
	size_t i, src;

	for (i = 0; i < NROWS(html_tests); i++) {
		if (html_text_looks_like(html_tests[i].in) != html_tests[i].html)
			print_error("row \"%s\"\n", html_tests[i].in);
		assert_int_equal(html_text_looks_like(html_tests[i].in), html_tests[i].html);
		if (html_tests[i].lines == NULL)
			continue;
		got = html_text_lines(html_tests[i].in, strlen(html_tests[i].in), &map);
		if (strcmp(got, html_tests[i].lines) != 0)
			print_error("row \"%s\": got \"%s\"\n", html_tests[i].in, got);
		assert_string_equal(got, html_tests[i].lines);
		/* A line that holds text maps back to a place in the HTML. */
		for (line = got; *line != '\0'; line = next) {
			next = strchr(line, '\n') != NULL ? strchr(line, '\n') + 1 : line + strlen(line);
			src = html_text_source(&map, (size_t)(line - got));
			if (*line != '\n')
				assert_true(src < strlen(html_tests[i].in));
		}
		free(map.lines);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_markers),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_spamcop),
		cmocka_unit_test(test_spamcop_bound),
		cmocka_unit_test(test_looks_like_headers),
		cmocka_unit_test(test_pasted_date),
		cmocka_unit_test(test_html_text),
	};

	return cmocka_run_group_tests_name("forward", tests, NULL, NULL);
}
