/* fuzz-report.c: a libFuzzer target for the message parser, the part of arfdesk that reads the
 * most untrusted input: MIME, feedback fields, X-ARF JSON and YAML, Received headers, URLs. */

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "report.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conf conf;
	static int ready;
	struct report report;

	if (!ready) {
		if (conf_load(&conf, "/dev/null") != 0)
			return 0;
		report_init();
		ready = 1;
	}
	report_parse((const char *)data, size, &conf, &report);
	report_free(&report);
	return 0;
}
