/* unit.h: what the table-driven unit tests share: the row count, and the check of one row whose
 * result is a string or none. */
#ifndef ARFDESK_TESTS_UNIT_H
#define ARFDESK_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#define NROWS(t)	(sizeof (t) / sizeof (t)[0])

static inline const char *
unit_str_or_null(const char *s)
{
	return s != NULL ? s : "(null)";
}

/*
 * One row: got must be expected, or NULL where expected is NULL (the function found none). On a
 * mismatch the row is named first, as the format says ("urls_host(\"%s\")", the input).
 */
static inline void __attribute__((format(printf, 3, 4)))
unit_check_str(const char *got, const char *expected, const char *fmt, ...)
{
	char row[512];
	va_list ap;

	if (expected == NULL ? got != NULL : got == NULL || strcmp(got, expected) != 0) {
		va_start(ap, fmt);
		vsnprintf(row, sizeof row, fmt, ap);
		va_end(ap);
		print_error("%s: \"%s\", expected \"%s\"\n", row, unit_str_or_null(got),
		    unit_str_or_null(expected));
	}
	if (expected == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, expected);
	}
}

#endif
