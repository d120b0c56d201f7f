/* test-conf.c: tests setting each configuration key, the defaults and reading configuration files. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ipaddr.h"
#include "util.h"

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])

/* The value of one key as text: numbers in decimal, lists joined by commas. */
static char *
conf_text(const struct conf *conf, const char *key)
{
	char addr[IPADDR_STRLEN];
	struct buf b;
	size_t i;

	buf_init(&b);
	if (strcmp(key, "database") == 0)
		buf_adds(&b, conf->database);
	else if (strcmp(key, "user") == 0)
		buf_adds(&b, conf->user);
	else if (strcmp(key, "busy_timeout") == 0)
		buf_addf(&b, "%ld", conf->busy_timeout);
	else if (strcmp(key, "max_message_size") == 0)
		buf_addf(&b, "%llu", (unsigned long long)conf->max_message_size);
	else if (strcmp(key, "max_mime_depth") == 0)
		buf_addf(&b, "%ld", conf->max_mime_depth);
	else if (strcmp(key, "max_mime_parts") == 0)
		buf_addf(&b, "%ld", conf->max_mime_parts);
	else if (strcmp(key, "trusted_networks") == 0)
		for (i = 0; i < conf->ntrusted_networks; i++) {
			ipaddr_format(&conf->trusted_networks[i].addr, addr);
			buf_addf(&b, "%s%s/%d", i > 0 ? "," : "", addr,
			    conf->trusted_networks[i].prefix);
		}
	else if (strcmp(key, "trusted_domains") == 0)
		for (i = 0; i < conf->trusted_domains.count; i++)
			buf_addf(&b, "%s%s", i > 0 ? "," : "", conf->trusted_domains.items[i]);
	else if (strcmp(key, "reopen_states") == 0)
		buf_addf(&b, "%d", conf->reopen_states);
	else if (strcmp(key, "provider_families") == 0)
		buf_adds(&b, conf->provider_families != NULL ? conf->provider_families : "");
	else if (strcmp(key, "domain_allowlist") == 0)
		for (i = 0; i < conf->domain_allowlist.count; i++)
			buf_addf(&b, "%s%s", i > 0 ? "," : "", conf->domain_allowlist.items[i]);
	else
		buf_adds(&b, "(no such key)");
	return buf_steal(&b);
}

/* A temporary file holding text; its path is written to path. */
static void
temp_file(const char *text, char path[64])
{
	FILE *f;
	int fd;

	snprintf(path, 64, "/tmp/arfdesk-test-conf.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* conf_load with standard error caught: returns its result, and what it wrote in *err. */
static int
load_capturing(struct conf *conf, const char *path, char **err)
{
	char errpath[64];
	struct buf b;
	char chunk[256];
	ssize_t n;
	int fd, saved, rc;

	temp_file("", errpath);
	fd = open(errpath, O_RDWR);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	dup2(fd, 2);
	rc = conf_load(conf, path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	buf_init(&b);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	unlink(errpath);
	*err = buf_steal(&b);
	return rc;
}

/* ---- the defaults ---- */

static const struct {
	const char	*key;
	const char	*expected;
} default_tests[] = {
	{ "database", "" },
	{ "user", "" },
	{ "busy_timeout", "10" },
	{ "max_message_size", "26214400" },
	{ "max_mime_depth", "32" },
	{ "max_mime_parts", "1000" },
	{ "trusted_networks", "" },
	{ "trusted_domains", "" },
	{ "provider_families", "" },
	{ "domain_allowlist", "w3.org,spamcop.net,avast.com,avg.com" },
	{ "reopen_states", "2" },
};

static void
test_conf_defaults(void **state)
{
	struct conf conf;
	char *got;
	size_t i;

	assert_int_equal(conf_load(&conf, "/dev/null"), 0);
	assert_string_equal(conf.path, "/dev/null");
	/* Every declared key has a row here. */
	assert_int_equal(conf_nkeys, NROWS(default_tests));
	for (i = 0; i < NROWS(default_tests); i++) {
		assert_string_equal(conf_keys[i].name, default_tests[i].key);
		got = conf_text(&conf, default_tests[i].key);
		if (strcmp(got, default_tests[i].expected) != 0)
			print_error("default %s: \"%s\", expected \"%s\"\n", default_tests[i].key,
			    got, default_tests[i].expected);
		assert_string_equal(got, default_tests[i].expected);
		free(got);
	}
	conf_free(&conf);
	assert_null(conf.path);
}

/* ---- conf_set ---- */

static const struct {
	const char	*key;
	const char	*value;
	int		 rc;
	const char	*expected;	/* the value as conf_text gives it, or the error */
} set_tests[] = {
	{ "database", "/var/lib/arfdesk/desk.db", 0, "/var/lib/arfdesk/desk.db" },
	{ "database", "", 0, "" },
	{ "user", "alice", 0, "alice" },
	{ "user", "Alice Example", 0, "Alice Example" },
	{ "max_message_size", "10M", 0, "10485760" },
	{ "max_message_size", "10MB", 0, "10485760" },
	{ "max_message_size", "512k", 0, "524288" },
	{ "max_message_size", "2G", 0, "2147483648" },
	{ "max_message_size", "1", 0, "1" },
	{ "max_message_size", "0", -1, "max_message_size: not a size: 0" },
	{ "max_message_size", "0M", -1, "max_message_size: not a size: 0M" },
	{ "max_message_size", "lots", -1, "max_message_size: not a size: lots" },
	{ "max_message_size", "-1M", -1, "max_message_size: not a size: -1M" },
	{ "max_message_size", "10X", -1, "max_message_size: not a size: 10X" },
	{ "max_message_size", "", -1, "max_message_size: not a size: " },
	{ "busy_timeout", "1", 0, "1" },
	{ "busy_timeout", "3600", 0, "3600" },
	{ "busy_timeout", "0", -1, "busy_timeout: not a number of seconds from 1 to 3600: 0" },
	{ "busy_timeout", "5s", -1, "busy_timeout: not a number of seconds from 1 to 3600: 5s" },
	{ "max_mime_depth", "1", 0, "1" },
	{ "max_mime_depth", "64", 0, "64" },
	{ "max_mime_depth", "1000000", 0, "1000000" },
	{ "max_mime_depth", "0", -1, "max_mime_depth: not a number from 1 to 1000000: 0" },
	{ "max_mime_depth", "1000001", -1,
	  "max_mime_depth: not a number from 1 to 1000000: 1000001" },
	{ "max_mime_depth", "-5", -1, "max_mime_depth: not a number from 1 to 1000000: -5" },
	{ "max_mime_depth", "ten", -1, "max_mime_depth: not a number from 1 to 1000000: ten" },
	{ "max_mime_depth", "10x", -1, "max_mime_depth: not a number from 1 to 1000000: 10x" },
	{ "max_mime_depth", "", -1, "max_mime_depth: not a number from 1 to 1000000: " },
	{ "max_mime_depth", "99999999999999999999", -1,
	  "max_mime_depth: not a number from 1 to 1000000: 99999999999999999999" },
	{ "max_mime_parts", "5000", 0, "5000" },
	{ "max_mime_parts", "1", 0, "1" },
	{ "max_mime_parts", "0", -1, "max_mime_parts: not a number from 1 to 1000000: 0" },
	{ "max_mime_parts", "2000000", -1,
	  "max_mime_parts: not a number from 1 to 1000000: 2000000" },
	{ "trusted_networks", "192.0.2.0/24", 0, "192.0.2.0/24" },
	{ "trusted_networks", "10.0.0.0/8, 2001:DB8::/32 198.51.100.7", 0,
	  "10.0.0.0/8,2001:db8::/32,198.51.100.7/32" },
	{ "trusted_networks", " ,, 203.0.113.0/25 ,", 0, "203.0.113.0/25" },
	{ "trusted_networks", "", 0, "" },
	{ "trusted_networks", "192.0.2.0/33", -1, "trusted_networks: not a network: 192.0.2.0/33" },
	{ "trusted_networks", "10.0.0.0/8,mail.example.com", -1,
	  "trusted_networks: not a network: mail.example.com" },
	{ "trusted_networks", "999.0.0.0/8", -1, "trusted_networks: not a network: 999.0.0.0/8" },
	{ "domain_allowlist", "W3.org, Example.COM  other.example", 0,
	  "w3.org,example.com,other.example" },
	{ "domain_allowlist", "example.net", 0, "example.net" },
	{ "domain_allowlist", "", 0, "" },
	{ "domain_allowlist", "example.com. B\xc3\xbc" "cher.example", 0,
	  "example.com,xn--bcher-kva.example" },
	{ "domain_allowlist", "example.co.uk shop.example.github.io localhost", 0,
	  "example.co.uk,shop.example.github.io,localhost" },
	/* A public suffix would drop a whole country's (or every user's) domains. */
	{ "domain_allowlist", "w3.org co.uk", -1, "domain_allowlist: co.uk is a public suffix, "
	  "not a domain; name the domains under it instead (example.co.uk)" },
	{ "domain_allowlist", "COM", -1, "domain_allowlist: com is a public suffix, not a "
	  "domain; name the domains under it instead (example.com)" },
	{ "domain_allowlist", "github.io", -1, "domain_allowlist: github.io is a public suffix, "
	  "not a domain; name the domains under it instead (example.github.io)" },
	{ "domain_allowlist", "example..com", -1, "domain_allowlist: not a domain: example..com" },
	{ "domain_allowlist", "*.example.com", -1,
	  "domain_allowlist: not a domain: *.example.com" },
	{ "domain_allowlist", "http://example.com/", -1,
	  "domain_allowlist: not a domain: http://example.com/" },
	{ "trusted_domains", "Desk.Example, mail.desk-example.co.uk", 0,
	  "desk.example,mail.desk-example.co.uk" },
	{ "trusted_domains", "", 0, "" },
	{ "trusted_domains", "co.uk", -1, "trusted_domains: co.uk is a public suffix, not a "
	  "domain; name the domains under it instead (example.co.uk)" },
	{ "trusted_domains", "desk.example exa;mple.com", -1,
	  "trusted_domains: not a domain: exa;mple.com" },
	{ "bogus", "1", -1, "unknown key: bogus" },
	{ "Database", "/tmp/x.db", -1, "unknown key: Database" },
	{ "max-message-size", "1M", -1, "unknown key: max-message-size" },
	{ "", "x", -1, "unknown key: " },
};

static void
test_conf_set(void **state)
{
	struct conf conf;
	char *err, *got;
	size_t i;
	int rc;

	for (i = 0; i < NROWS(set_tests); i++) {
		assert_int_equal(conf_load(&conf, "/dev/null"), 0);
		err = NULL;
		rc = conf_set(&conf, set_tests[i].key, set_tests[i].value, &err);
		if (rc != set_tests[i].rc)
			print_error("conf_set(%s, \"%s\"): %d, expected %d (%s)\n", set_tests[i].key,
			    set_tests[i].value, rc, set_tests[i].rc, err != NULL ? err : "no error");
		assert_int_equal(rc, set_tests[i].rc);
		got = rc == 0 ? conf_text(&conf, set_tests[i].key) : err;
		assert_non_null(got);
		if (strcmp(got, set_tests[i].expected) != 0)
			print_error("conf_set(%s, \"%s\"): \"%s\", expected \"%s\"\n",
			    set_tests[i].key, set_tests[i].value, got, set_tests[i].expected);
		assert_string_equal(got, set_tests[i].expected);
		if (rc == 0)
			assert_null(err);
		free(got);
		conf_free(&conf);
	}
}

/* A key set twice keeps the last value, lists included. */
static void
test_conf_set_twice(void **state)
{
	struct conf conf;
	char *err = NULL, *got;

	assert_int_equal(conf_load(&conf, "/dev/null"), 0);
	assert_int_equal(conf_set(&conf, "trusted_networks", "10.0.0.0/8 192.0.2.0/24", &err), 0);
	assert_int_equal(conf_set(&conf, "trusted_networks", "198.51.100.0/24", &err), 0);
	assert_int_equal(conf.ntrusted_networks, 1);
	assert_int_equal(conf_set(&conf, "domain_allowlist", "a.example b.example", &err), 0);
	assert_int_equal(conf_set(&conf, "domain_allowlist", "c.example", &err), 0);
	got = conf_text(&conf, "domain_allowlist");
	assert_string_equal(got, "c.example");
	free(got);
	/* A list with an error in it leaves the one set before. */
	assert_int_equal(conf_set(&conf, "domain_allowlist", "d.example co.uk", &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	got = conf_text(&conf, "domain_allowlist");
	assert_string_equal(got, "c.example");
	free(got);
	assert_int_equal(conf_set(&conf, "trusted_domains", "a.example", &err), 0);
	assert_int_equal(conf_set(&conf, "trusted_domains", "b.example c.example", &err), 0);
	assert_int_equal(conf.trusted_domains.count, 2);
	assert_int_equal(conf_set(&conf, "user", "a", &err), 0);
	assert_int_equal(conf_set(&conf, "user", "b", &err), 0);
	assert_string_equal(conf.user, "b");
	assert_null(err);
	conf_free(&conf);
}

/* ---- conf_load ---- */

static const struct {
	const char	*key;
	const char	*expected;
} file_tests[] = {
	{ "database", "/srv/abuse/desk#1.db" },
	{ "user", "Abuse Desk" },
	{ "max_message_size", "52428800" },
	{ "max_mime_depth", "48" },
	{ "max_mime_parts", "200" },
	{ "trusted_networks", "192.0.2.0/24,2001:db8:1::/48" },
	{ "trusted_domains", "desk.example,desk-mail.example" },
	{ "domain_allowlist", "w3.org,spamcop.net,avast.com,avg.com" },	/* not in the file: the default */
};

static void
test_conf_load_file(void **state)
{
	struct conf conf;
	char path[64], *got, *err;
	size_t i;

	temp_file("# arfdesk configuration\n"
	    "\n"
	    "database = /srv/abuse/desk#1.db\n"
	    "   # an indented comment\n"
	    "user=Abuse Desk   \n"
	    "\tmax_message_size =  50M\n"
	    "max_mime_parts = 100\n"
	    "max_mime_parts = 200\n"
	    "max_mime_depth = 48  # a comment after white space\n"
	    "trusted_networks = 192.0.2.0/24, 2001:db8:1::/48\n"
	    "trusted_domains = Desk.Example desk-mail.example.\n"
	    "\n", path);
	assert_int_equal(load_capturing(&conf, path, &err), 0);
	if (*err != '\0')
		print_error("conf_load: unexpected message: %s", err);
	assert_string_equal(err, "");
	free(err);
	assert_string_equal(conf.path, path);
	for (i = 0; i < NROWS(file_tests); i++) {
		got = conf_text(&conf, file_tests[i].key);
		if (strcmp(got, file_tests[i].expected) != 0)
			print_error("%s from the file: \"%s\", expected \"%s\"\n", file_tests[i].key,
			    got, file_tests[i].expected);
		assert_string_equal(got, file_tests[i].expected);
		free(got);
	}
	conf_free(&conf);
	unlink(path);
}

/* Files that cannot be read: the error names the file and, for bad lines, the line. */
static const struct {
	const char	*name;
	const char	*text;		/* the file's content; NULL: use path as given */
	const char	*path;
	const char	*message;	/* what the error holds after the path ("": anything) */
} bad_tests[] = {
	{ "syntax error", "# comment\nmax_mime_depth = 10\n\nthis line has no equals sign\n", NULL,
	  ":4: expected key = value" },
	{ "unknown key", "database = x.db\nbogus = 1\n", NULL, ":2: unknown key: bogus" },
	{ "bad size", "max_message_size = lots\n", NULL,
	  ":1: max_message_size: not a size: lots" },
	{ "bad network", "\n\n\ntrusted_networks = 10.0.0.0/8 10.0.0.0/99\n", NULL,
	  ":4: trusted_networks: not a network: 10.0.0.0/99" },
	{ "out of range", "max_mime_depth = 0\n", NULL,
	  ":1: max_mime_depth: not a number from 1 to 1000000: 0" },
	{ "public suffix", "# the desk\ndomain_allowlist = w3.org, spamcop.net, co.uk\n", NULL,
	  ":2: domain_allowlist: co.uk is a public suffix, not a domain;" },
	{ "missing file", NULL, "/nonexistent/arfdesk/config", ": No such file or directory" },
	{ "bad reopen state", "reopen_states = resolved, open\n", NULL,
	  ":1: reopen_states: not notified, resolved or ignored: open" },
	{ "missing families", "\nprovider_families = /nonexistent/families\n", NULL,
	  ":2: provider_families: /nonexistent/families: No such file or directory" },
	/* BUG: a directory given as the configuration file is read as an empty file (fopen
	 * succeeds, getline fails with EISDIR and the error is not checked). */
	{ "directory", NULL, "/tmp", "" },
};

static void
test_conf_load_errors(void **state)
{
	struct conf conf;
	char path[64], *err;
	const char *p;
	size_t i;
	int rc;

	for (i = 0; i < NROWS(bad_tests); i++) {
		if (bad_tests[i].text != NULL) {
			temp_file(bad_tests[i].text, path);
			p = path;
		} else
			p = bad_tests[i].path;
		rc = load_capturing(&conf, p, &err);
		if (rc != -1 || strstr(err, p) == NULL || strstr(err, bad_tests[i].message) == NULL)
			print_error("%s: conf_load(%s): %d, \"%s\", expected -1 and \"%s\"\n",
			    bad_tests[i].name, p, rc, err, bad_tests[i].message);
		assert_int_equal(rc, -1);
		assert_non_null(strstr(err, p));
		assert_non_null(strstr(err, bad_tests[i].message));
		free(err);
		conf_free(&conf);
		if (bad_tests[i].text != NULL)
			unlink(path);
	}
}

/* Without a path: $ARFDESK_CONFIG, else $XDG_CONFIG_HOME/arfdesk/config if it exists. */
static void
test_conf_load_environment(void **state)
{
	struct conf conf;
	char path[64], *err;
	int rc;

	temp_file("max_mime_depth = 7\n", path);
	setenv("ARFDESK_CONFIG", path, 1);
	assert_int_equal(conf_load(&conf, NULL), 0);
	assert_string_equal(conf.path, path);
	assert_int_equal(conf.max_mime_depth, 7);
	conf_free(&conf);
	unlink(path);

	/* A file named by $ARFDESK_CONFIG must exist, like one given as the path. */
	setenv("ARFDESK_CONFIG", "/nonexistent/arfdesk/config", 1);
	rc = load_capturing(&conf, NULL, &err);
	if (rc != -1)
		print_error("conf_load with a missing $ARFDESK_CONFIG: %d\n", rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "/nonexistent/arfdesk/config"));
	free(err);
	conf_free(&conf);

	unsetenv("ARFDESK_CONFIG");
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	assert_int_equal(conf_load(&conf, NULL), 0);
	assert_null(conf.path);
	assert_int_equal(conf.max_mime_depth, 32);
	assert_int_equal(conf.domain_allowlist.count, 4);
	conf_free(&conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_defaults),
		cmocka_unit_test(test_conf_set),
		cmocka_unit_test(test_conf_set_twice),
		cmocka_unit_test(test_conf_load_file),
		cmocka_unit_test(test_conf_load_errors),
		cmocka_unit_test(test_conf_load_environment),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
