/* pasted-date.c: the date of a header block pasted into a forward, in the long forms clients
 * write (en, de, fr, nl, es, it), made RFC 5322; a date without its zone is none. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pasted-date.h"
#include "text-scan.h"

/* Month names of the long date forms clients paste (en, de, fr, nl, es, it; full and short). */
static const struct {
	const char	*name;
	int		 month;
} month_names[] = {
	{ "january", 1 }, { "jan", 1 }, { "januar", 1 }, { "janvier", 1 }, { "janv", 1 },
	{ "januari", 1 }, { "enero", 1 }, { "ene", 1 }, { "gennaio", 1 }, { "gen", 1 },
	{ "february", 2 }, { "feb", 2 }, { "februar", 2 }, { "février", 2 }, { "févr", 2 },
	{ "fév", 2 }, { "februari", 2 }, { "febrero", 2 }, { "febbraio", 2 },
	{ "march", 3 }, { "mar", 3 }, { "märz", 3 }, { "mär", 3 }, { "mars", 3 }, { "maart", 3 },
	{ "mrt", 3 }, { "marzo", 3 },
	{ "april", 4 }, { "apr", 4 }, { "avril", 4 }, { "avr", 4 }, { "abril", 4 }, { "abr", 4 },
	{ "aprile", 4 },
	{ "may", 5 }, { "mai", 5 }, { "mei", 5 }, { "mayo", 5 }, { "maggio", 5 }, { "mag", 5 },
	{ "june", 6 }, { "jun", 6 }, { "juni", 6 }, { "juin", 6 }, { "junio", 6 }, { "giugno", 6 },
	{ "giu", 6 },
	{ "july", 7 }, { "jul", 7 }, { "juli", 7 }, { "juillet", 7 }, { "juil", 7 }, { "julio", 7 },
	{ "luglio", 7 }, { "lug", 7 },
	{ "august", 8 }, { "aug", 8 }, { "août", 8 }, { "augustus", 8 }, { "agosto", 8 },
	{ "ago", 8 },
	{ "september", 9 }, { "sep", 9 }, { "sept", 9 }, { "septembre", 9 }, { "septiembre", 9 },
	{ "setiembre", 9 }, { "settembre", 9 }, { "set", 9 },
	{ "october", 10 }, { "oct", 10 }, { "oktober", 10 }, { "okt", 10 }, { "octobre", 10 },
	{ "octubre", 10 }, { "ottobre", 10 }, { "ott", 10 },
	{ "november", 11 }, { "nov", 11 }, { "novembre", 11 }, { "noviembre", 11 },
	{ "december", 12 }, { "dec", 12 }, { "dezember", 12 }, { "dez", 12 }, { "décembre", 12 },
	{ "déc", 12 }, { "diciembre", 12 }, { "dic", 12 }, { "dicembre", 12 },
};

/* Words between the parts of a long date: "at", "um", "à", "om", "a las", "alle ore", "de". */
static const char *const date_fillers[] = {
	"at", "um", "uhr", "à", "om", "a", "las", "alle", "ore", "de", "del", "el", "le",
};

/* Time zones a pasted date names: RFC 5322's and the European ones Apple Mail writes. No
 * ambiguous one (BST, IST): a date in an unknown zone is left out, never guessed. */
static const struct {
	const char	*name;
	int		 minutes;
} zone_names[] = {
	{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 }, { "wet", 0 }, { "west", 60 },
	{ "cet", 60 }, { "cest", 120 }, { "mez", 60 }, { "mesz", 120 }, { "eet", 120 },
	{ "eest", 180 }, { "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
	{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
};

static const char *const month_abbr[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (!ASCII_DIGIT(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* An offset "+0200", "+02:00", "+2" (after "UTC"/"GMT") in minutes; 0 when not one. */
static int
zone_offset(const char *s, size_t n, int *minutes)
{
	const char *colon;
	int h, m = 0;

	if (n < 2 || (s[0] != '+' && s[0] != '-'))
		return 0;
	if ((colon = memchr(s, ':', n)) != NULL) {
		h = digits(s + 1, (size_t)(colon - s - 1));
		m = digits(colon + 1, n - (size_t)(colon - s) - 1);
		if ((size_t)(colon - s - 1) > 2 || n - (size_t)(colon - s) - 1 != 2)
			return 0;
	} else if (n == 5) {
		h = digits(s + 1, 2);
		m = digits(s + 3, 2);
	} else if (n <= 3)
		h = digits(s + 1, n - 1);
	else
		return 0;
	if (h < 0 || m < 0 || h > 14 || m > 59)
		return 0;
	*minutes = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 1;
}

static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/*
 * A pasted date as RFC 5322 ("2 Jul 2024 09:20:11 +0200") into out, or 0. Reads RFC 5322 dates
 * and the long forms clients write in en, de, fr, nl, es and it ("Tuesday, July 2, 2024 9:20
 * AM", "2. Juli 2024 um 09:20:11 MESZ", "2 de julio de 2024, 9:20:11 CEST"). Every word must be
 * understood, and the zone must be given: Outlook's and Gmail's dates have none, and a date in
 * the reader's unknown zone would be a wrong date.
 */
int
pasted_date_rfc5322(const char *value, size_t len, char *out, size_t size)
{
	const char *p = value, *end = value + len, *w;
	char word[40];
	size_t n, i, k;
	int ntok = 0, day = -1, month = -1, month_tok = -1, year = -1, hour = -1, min = -1;
	int sec = 0, zone = 0, have_zone = 0, ampm = 0, depth, v;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' ||
		    *p == '\n' || text_scan_nbsp_len(p, end) > 0))
			p += text_scan_nbsp_len(p, end) > 0 ? text_scan_nbsp_len(p, end) : 1;
		if (p == end)
			break;
		if (*p == '(') {	/* a comment: "(CEST)" */
			for (depth = 0; p < end; p++) {
				depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
				if (depth == 0)
					break;
			}
			if (p == end)
				return 0;
			p++;
			continue;
		}
		for (w = p; p < end && *p != ' ' && *p != '\t' && *p != ',' && *p != '(' &&
		    *p != '\r' && *p != '\n' && text_scan_nbsp_len(p, end) == 0; p++)
			;
		n = (size_t)(p - w);
		if (n >= sizeof word)
			return 0;
		for (i = 0; i < n; i++)
			word[i] = (char)ASCII_LOWER((unsigned char)w[i]);
		word[n] = '\0';
		if (strcmp(word, "a.m.") == 0 || strcmp(word, "am") == 0)
			ampm = 1;
		else if (strcmp(word, "p.m.") == 0 || strcmp(word, "pm") == 0)
			ampm = 2;
		else if (zone_offset(word, n, &v)) {
			zone = v;
			have_zone++;
		} else {
			if (n > 1 && word[n - 1] == '.')
				word[--n] = '\0';
			if ((v = digits(word, n)) >= 0) {
				if (n == 4 && year < 0)
					year = v;
				else if (n <= 2 && day < 0)
					day = v;
				else
					return 0;
			} else if (n >= 4 && n <= 8 && ASCII_DIGIT(word[0]) && strchr(word, ':') != NULL) {
				char *colon = strchr(word, ':'), *colon2 = strchr(colon + 1, ':');

				if (hour >= 0 || colon - word > 2)
					return 0;
				hour = digits(word, (size_t)(colon - word));
				min = digits(colon + 1, colon2 != NULL ? (size_t)(colon2 - colon - 1) :
				    strlen(colon + 1));
				sec = colon2 != NULL ? digits(colon2 + 1, strlen(colon2 + 1)) : 0;
				if (hour < 0 || min < 0 || sec < 0 || strlen(colon + 1) < 2)
					return 0;
			} else {
				for (k = 0; k < sizeof month_names / sizeof month_names[0]; k++)
					if (strcmp(word, month_names[k].name) == 0)
						break;
				if (k < sizeof month_names / sizeof month_names[0]) {
					/* "mar. 2 juil.": the first was the weekday. */
					if (month >= 0 && month_tok != 0)
						return 0;
					month = month_names[k].month;
					month_tok = ntok;
					ntok++;
					continue;
				}
				for (k = 0; k < sizeof zone_names / sizeof zone_names[0]; k++) {
					size_t zn = strlen(zone_names[k].name);

					if (strncmp(word, zone_names[k].name, zn) == 0 &&
					    (word[zn] == '\0' || ((k < 3) &&
					    zone_offset(word + zn, n - zn, &v))))
						break;
				}
				if (k < sizeof zone_names / sizeof zone_names[0]) {
					size_t zn = strlen(zone_names[k].name);

					zone = word[zn] == '\0' ? zone_names[k].minutes : v;
					have_zone++;
				} else {
					for (k = 0; k < sizeof date_fillers / sizeof date_fillers[0]; k++)
						if (strcmp(word, date_fillers[k]) == 0)
							break;
					/* The weekday leads; any word of letters will do there. */
					if (k == sizeof date_fillers / sizeof date_fillers[0] && ntok != 0)
						return 0;
					if (ntok == 0 && k == sizeof date_fillers / sizeof date_fillers[0])
						for (i = 0; i < n; i++)
							if (!ASCII_ALPHA(word[i]) &&
							    (unsigned char)word[i] < 0x80)
								return 0;
				}
			}
		}
		ntok++;
	}
	if (day < 1 || month < 1 || year < 1970 || year > 2099 || hour < 0 || have_zone != 1 ||
	    day > days_in_month(year, month))
		return 0;
	if (ampm != 0) {
		if (hour < 1 || hour > 12)
			return 0;
		hour = hour % 12 + (ampm == 2 ? 12 : 0);
	}
	if (hour > 23 || min > 59 || sec > 59)
		return 0;
	snprintf(out, size, "%02d %s %04d %02d:%02d:%02d %c%02d%02d", day, month_abbr[month - 1],
	    year, hour, min, sec, zone < 0 ? '-' : '+', abs(zone) / 60, abs(zone) % 60);
	return 1;
}
