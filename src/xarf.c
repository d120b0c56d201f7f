/* xarf.c: reads X-ARF's machine-readable report with jansson (JSON) or as the flat key/value
 * subset of YAML that X-ARF 0.1 and 0.2 report.txt files use. */

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <jansson.h>

#include "util.h"
#include "xarf.h"

static char *
json_text(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return NULL;
}

/* The first message/rfc822 sample: v3 Report.Samples[] {ContentType, Base64Encoded, Payload},
 * v4 evidence[] {content_type, payload (base64)}. */
static void
json_evidence(json_t *list, const char *type_key, const char *payload_key, struct xarf *x)
{
	json_t *item, *type, *payload, *b64;
	size_t i;
	gsize len;
	guchar *data;

	if (!json_is_array(list))
		return;
	json_array_foreach(list, i, item) {
		type = json_object_get(item, type_key);
		payload = json_object_get(item, payload_key);
		if (!json_is_string(type) || !json_is_string(payload) ||
		    strcasecmp(json_string_value(type), "message/rfc822") != 0)
			continue;
		b64 = json_object_get(item, "Base64Encoded");
		if (b64 != NULL && json_is_false(b64)) {
			x->evidence_len = strlen(json_string_value(payload));
			x->evidence = (unsigned char *)xstrdup(json_string_value(payload));
			return;
		}
		data = g_base64_decode(json_string_value(payload), &len);
		if (data == NULL || len == 0) {
			g_free(data);
			continue;
		}
		x->evidence = xmalloc(len + 1);
		memcpy(x->evidence, data, len);
		x->evidence[len] = '\0';
		x->evidence_len = len;
		g_free(data);
		return;
	}
}

/* Keys whose values are evidence payloads: shown by type and size, not kept whole. */
static int
is_payload_key(const char *key)
{
	return strcasecmp(key, "Payload") == 0 || strcasecmp(key, "Data") == 0;
}

static void
field_add(struct xarf *x, const char *path, const char *value)
{
	char *line, *safe;

	if (x->fields.count >= XARF_MAX_FIELDS)
		return;
	safe = text_safe_line(value, strlen(value));
	if (strlen(safe) > XARF_FIELD_MAX)
		memcpy(safe + XARF_FIELD_MAX - 3, "...", 4);
	line = xasprintf("%s: %s", path, safe);
	strlist_add(&x->fields, line);
	free(line);
	free(safe);
}

/* Every scalar of a JSON report as a "Path: value" field, objects by dotted path, arrays by
 * index: Service, Port, Category, Report-ID and the rest are kept for `show`. */
static void
json_fields(struct xarf *x, json_t *value, const char *path, int depth)
{
	const char *key;
	json_t *item;
	size_t i;
	char *sub, *text;

	if (depth > 8 || x->fields.count >= XARF_MAX_FIELDS)
		return;
	if (json_is_object(value)) {
		json_object_foreach(value, key, item) {
			sub = *path != '\0' ? xasprintf("%s.%s", path, key) : xstrdup(key);
			if (is_payload_key(key) && json_is_string(item)) {
				text = xasprintf("(%zu bytes)", strlen(json_string_value(item)));
				field_add(x, sub, text);
				free(text);
			} else
				json_fields(x, item, sub, depth + 1);
			free(sub);
		}
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, item) {
			sub = xasprintf("%s[%zu]", path, i);
			json_fields(x, item, sub, depth + 1);
			free(sub);
		}
	} else if (json_is_string(value))
		field_add(x, path, json_string_value(value));
	else if (json_is_integer(value)) {
		text = xasprintf("%lld", (long long)json_integer_value(value));
		field_add(x, path, text);
		free(text);
	} else if (json_is_real(value)) {
		text = xasprintf("%g", json_real_value(value));
		field_add(x, path, text);
		free(text);
	} else if (json_is_boolean(value))
		field_add(x, path, json_is_true(value) ? "true" : "false");
}

size_t
xarf_json_extent(const char *text, size_t len)
{
	size_t i, depth = 0;
	int in_string = 0;

	if (len == 0 || text[0] != '{')
		return 0;
	for (i = 0; i < len; i++) {
		if (in_string) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				in_string = 0;
		} else if (text[i] == '"')
			in_string = 1;
		else if (text[i] == '{' || text[i] == '[')
			depth++;
		else if ((text[i] == '}' || text[i] == ']') && --depth == 0)
			return i + 1;
	}
	return 0;
}

/* Keys only X-ARF reports have, to tell one from other JSON: a version, and its report keys. */
int
xarf_looks_like_json(const char *text, size_t len)
{
	static const char *const keys[] = { "\"xarf_version\"", "\"ReportType\"",
	    "\"ReportClass\"", "\"Report-Type\"", "\"source_identifier\"", "\"SourceIp\"" };
	size_t i = 0, k;

	while (i < len && isspace((unsigned char)text[i]))
		i++;
	if (i == len || text[i] != '{')
		return 0;
	for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
		if (g_strstr_len(text + i, (gssize)(len - i), keys[k]) != NULL)
			return 1;
	return 0;
}

int
xarf_parse_json(const char *text, size_t len, struct xarf *x, const char **err)
{
	json_error_t jerr;
	json_t *root, *report;

	memset(x, 0, sizeof *x);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (root == NULL) {
		*err = "X-ARF report is not valid JSON";
		return -1;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		*err = "X-ARF report is not a JSON object";
		return -1;
	}
	if ((x->version = json_text(root, "xarf_version")) != NULL) {
		/* X-ARF v4: flat, snake_case. */
		x->source = json_text(root, "source_identifier");
		x->source_type = json_text(root, "source_type");
		x->report_type = json_text(root, "type");
		x->date = json_text(root, "timestamp");
		json_evidence(json_object_get(root, "evidence"), "content_type", "payload", x);
	} else if ((report = json_object_get(root, "Report")) != NULL && json_is_object(report)) {
		/* X-ARF v1 to v3: a Report object in CamelCase. */
		x->version = json_text(root, "Version");
		x->source = json_text(report, "SourceIp");
		if (x->source == NULL)
			x->source = json_text(report, "Source");
		/* The 3.0 specification nests it: "Source": {"IP": ..., "Type": "ip"}. */
		if (x->source == NULL && json_is_object(json_object_get(report, "Source"))) {
			x->source = json_text(json_object_get(report, "Source"), "IP");
			x->source_type = json_text(json_object_get(report, "Source"), "Type");
		}
		x->report_type = json_text(report, "ReportType");
		x->date = json_text(report, "Date");
		x->reported_domain = json_text(report, "SourceDomain");
		json_evidence(json_object_get(report, "Samples"), "ContentType", "Payload", x);
		if (x->evidence == NULL)
			json_evidence(json_object_get(report, "Attachment"), "ContentType", "Data", x);
	} else {
		/* X-ARF 0.2 written as JSON: the YAML keys. */
		x->version = json_text(root, "Version");
		x->source = json_text(root, "Source");
		x->source_type = json_text(root, "Source-Type");
		x->report_type = json_text(root, "Report-Type");
		x->date = json_text(root, "Date");
	}
	json_fields(x, root, "", 0);
	json_decref(root);
	if (x->version == NULL && x->source == NULL) {
		xarf_free(x);
		*err = "JSON object has no X-ARF version or source";
		return -1;
	}
	return 0;
}

/* The keys of a 0.1/0.2 report.txt that arfdesk uses; the first occurrence wins. */
static const struct {
	const char	*name;
	size_t		 offset;
} yaml_keys[] = {
	{ "Source", offsetof(struct xarf, source) },
	{ "Source-Type", offsetof(struct xarf, source_type) },
	{ "Report-Type", offsetof(struct xarf, report_type) },
	{ "Version", offsetof(struct xarf, version) },
	{ "Date", offsetof(struct xarf, date) },
	{ "Domain", offsetof(struct xarf, reported_domain) },
};

int
xarf_parse_yaml(const char *text, size_t len, struct xarf *x)
{
	char *copy = xstrndup(text, len), *line, *next, *colon, *key, *value, **field;
	size_t vlen, i;

	memset(x, 0, sizeof *x);
	for (line = copy; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (isspace((unsigned char)*line) || *line == '#' || *line == '-')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		key = str_trim(line);
		value = str_trim(colon + 1);
		vlen = strlen(value);
		/* Quoted scalars: 'x' or "x". */
		if (vlen >= 2 && (value[0] == '"' || value[0] == '\'') && value[vlen - 1] == value[0]) {
			value[vlen - 1] = '\0';
			value++;
		}
		if (*value == '\0')
			continue;
		field_add(x, key, value);
		for (i = 0; i < sizeof yaml_keys / sizeof yaml_keys[0]; i++) {
			field = (char **)((char *)x + yaml_keys[i].offset);
			if (strcasecmp(key, yaml_keys[i].name) == 0 && *field == NULL)
				*field = xstrdup(value);
		}
	}
	free(copy);
	if (x->source == NULL && x->report_type == NULL) {
		xarf_free(x);
		return -1;
	}
	return 0;
}

void
xarf_free(struct xarf *x)
{
	free(x->version);
	free(x->source);
	free(x->source_type);
	free(x->report_type);
	free(x->date);
	free(x->reported_domain);
	free(x->evidence);
	strlist_free(&x->fields);
	memset(x, 0, sizeof *x);
}
