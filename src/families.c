/* families.c: the table of mailbox provider families, from share/providers (compiled in) and the
 * desk's own file, and the lookups the Received walk makes in it. */

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "families.h"
#include "urls.h"
#include "util.h"

/* share/providers as a C string, made by the Makefile (providers.inc in the build directory). */
static const char providers_text[] =
#include "providers.inc"
    ;

struct family {
	char		*name;
	struct strlist	 domains;
	struct ipnet	*nets;
	size_t		 nnets;
};

struct families {
	struct family	*items;
	size_t		 count;
};

#define FAMILY_WORD_MAX	256

static struct family *
family_get(struct families *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->count; i++)
		if (strcmp(f->items[i].name, name) == 0)
			return &f->items[i];
	f->items = xrealloc(f->items, (f->count + 1) * sizeof *f->items);
	memset(&f->items[f->count], 0, sizeof *f->items);
	f->items[f->count].name = xstrdup(name);
	return &f->items[f->count++];
}

/* One word of a block: a network when it parses as one, else a domain. */
static int
family_add_word(struct family *fam, const char *word, char **why)
{
	struct ipnet net;
	char *host;

	if (strchr(word, ':') != NULL || strspn(word, "0123456789./") == strlen(word)) {
		if (ipnet_parse(word, &net) != 0) {
			*why = xasprintf("not a network: %s", word);
			return -1;
		}
		ipnet_mask(&net);
		fam->nets = xrealloc(fam->nets, (fam->nnets + 1) * sizeof *fam->nets);
		fam->nets[fam->nnets++] = net;
		return 0;
	}
	host = urls_host_name(word);
	if (host == NULL) {
		*why = xasprintf("not a domain: %s", word);
		return -1;
	}
	strlist_add_unique(&fam->domains, host);
	free(host);
	return 0;
}

static void
families_free_items(struct families *f)
{
	size_t i;

	for (i = 0; i < f->count; i++) {
		free(f->items[i].name);
		strlist_free(&f->items[i].domains);
		free(f->items[i].nets);
	}
	free(f->items);
	f->items = NULL;
	f->count = 0;
}

/* Parse into a scratch table first, so that a bad file changes nothing. */
static int
families_parse(struct families *into, const char *text, const char *source, char **err)
{
	const char *p = text, *eol, *w;
	char word[FAMILY_WORD_MAX], *why = NULL;
	struct family *current = NULL;
	size_t line = 0, len;
	int first;

	for (; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = p + strcspn(p, "\n");
		line++;
		first = !isspace((unsigned char)*p);
		for (w = p; w < eol;) {
			while (w < eol && isspace((unsigned char)*w))
				w++;
			if (w == eol || *w == '#')
				break;
			len = 0;
			while (w + len < eol && !isspace((unsigned char)w[len]) && w[len] != '#')
				len++;
			if (len >= sizeof word) {
				why = xasprintf("word too long");
				goto fail;
			}
			memcpy(word, w, len);
			word[len] = '\0';
			w += len;
			if (first) {
				current = family_get(into, word);
				first = 0;
			} else if (current == NULL) {
				why = xasprintf("continuation line without a family name");
				goto fail;
			} else if (family_add_word(current, word, &why) != 0)
				goto fail;
		}
	}
	return 0;
fail:
	*err = xasprintf("%s:%zu: %s", source, line, why);
	free(why);
	return -1;
}

static void
family_merge(struct families *f, const struct family *from)
{
	struct family *to = family_get(f, from->name);
	size_t i;

	for (i = 0; i < from->domains.count; i++)
		strlist_add_unique(&to->domains, from->domains.items[i]);
	if (from->nnets > 0) {
		to->nets = xrealloc(to->nets, (to->nnets + from->nnets) * sizeof *to->nets);
		memcpy(to->nets + to->nnets, from->nets, from->nnets * sizeof *to->nets);
		to->nnets += from->nnets;
	}
}

int
families_load(struct families *f, const char *text, const char *source, char **err)
{
	struct families scratch = { 0 };
	size_t i;
	int rc;

	rc = families_parse(&scratch, text, source, err);
	if (rc == 0)
		for (i = 0; i < scratch.count; i++)
			family_merge(f, &scratch.items[i]);
	families_free_items(&scratch);
	return rc;
}

void
families_free(struct families *f)
{
	if (f == NULL)
		return;
	families_free_items(f);
	free(f);
}

struct families *
families_new(void)
{
	struct families *f = xcalloc(1, sizeof *f);
	char *err = NULL;

	/* The shipped table is tested (test-received.c); failing here is a broken build. */
	if (families_load(f, providers_text, "share/providers", &err) != 0)
		abort();
	return f;
}

static struct families *builtin;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void
builtin_init(void)
{
	builtin = families_new();
}

const struct families *
families_builtin(void)
{
	pthread_once(&builtin_once, builtin_init);
	return builtin;
}

const char *
families_of_host(const struct families *f, const char *host)
{
	size_t i, j, hl = strlen(host), dl;
	const char *d;

	for (i = 0; i < f->count; i++)
		for (j = 0; j < f->items[i].domains.count; j++) {
			d = f->items[i].domains.items[j];
			dl = strlen(d);
			if (hl == dl && strcmp(host, d) == 0)
				return f->items[i].name;
			if (hl > dl && host[hl - dl - 1] == '.' && strcmp(host + hl - dl, d) == 0)
				return f->items[i].name;
		}
	return NULL;
}

const char *
families_of_ip(const struct families *f, const struct ipaddr *ip)
{
	size_t i, j;

	for (i = 0; i < f->count; i++)
		for (j = 0; j < f->items[i].nnets; j++)
			if (ipnet_contains(&f->items[i].nets[j], ip))
				return f->items[i].name;
	return NULL;
}

int
families_outside(const struct families *f, const char *family, const struct ipaddr *ip)
{
	size_t i, j;

	for (i = 0; i < f->count; i++) {
		if (strcmp(f->items[i].name, family) != 0)
			continue;
		if (f->items[i].nnets == 0)
			return 0;
		for (j = 0; j < f->items[i].nnets; j++)
			if (ipnet_contains(&f->items[i].nets[j], ip))
				return 0;
		return 1;
	}
	return 0;
}
