/* keys.c: key names, the console's actions by name, and the default bindings as config text. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "util.h"

const char *const keys_action_names[] = {
#define X(id, name, summary) name,
	KEY_ACTIONS(X)
#undef X
	NULL
};

const char *const keys_action_summaries[] = {
#define X(id, name, summary) summary,
	KEY_ACTIONS(X)
#undef X
	NULL
};

/*
 * The bindings a console starts with, read by the same parser as the config's bind lines
 * (which come after, and win). A binding is a command line: an action, or any command of the
 * command table, where %k stands for the selected case (or, after tag-prefix, every tagged
 * one). mutt's and tig's habits.
 */
const char keys_default_bindings[] =
    "bind j move-down\n"
    "bind Down move-down\n"
    "bind k move-up\n"
    "bind Up move-up\n"
    "bind PageDown page-down\n"
    "bind Space page-down\n"
    "bind C-f page-down\n"
    "bind PageUp page-up\n"
    "bind - page-up\n"
    "bind C-b page-up\n"
    "bind g first\n"
    "bind Home first\n"
    "bind G last\n"
    "bind End last\n"
    "bind Enter open\n"
    "bind q close\n"
    "bind Q quit\n"
    "bind / search\n"
    "bind n search-next\n"
    "bind N search-prev\n"
    "bind t tag\n"
    "bind ; tag-prefix\n"
    "bind T untag-all\n"
    "bind : prompt\n"
    "bind ? help\n"
    "bind M messages\n"
    "bind C-l redraw\n"
    "bind R refresh\n"
    "bind Tab next-grouping\n"
    "bind f todo\n"
    "bind e note\n"
    "bind v raw\n"
    "bind C-c cancel\n"
    "bind c cases\n"
    "bind d 'groups --by domain'\n"
    "bind i 'groups --by ip'\n"
    "bind o 'case %k --state open'\n"
    "bind r 'case %k --state resolved'\n"
    "bind x 'case %k --state ignored'\n"
    "bind y 'case %k --state notified'\n"
    "bind a 'case %k --take'\n"
    "bind A 'case %k --unassign'\n";

static const struct {
	const char	*name;
	int		 key;
} key_names[] = {
	{ "Up", DKEY_UP }, { "Down", DKEY_DOWN }, { "Left", DKEY_LEFT },
	{ "Right", DKEY_RIGHT }, { "PageUp", DKEY_PGUP }, { "PageDown", DKEY_PGDN },
	{ "Home", DKEY_HOME }, { "End", DKEY_END }, { "Enter", DKEY_ENTER },
	{ "Backspace", DKEY_BACKSPACE }, { "Delete", DKEY_DELETE }, { "Tab", DKEY_TAB },
	{ "BTab", DKEY_BTAB }, { "Esc", DKEY_ESC }, { "Insert", DKEY_INSERT },
	{ "Space", ' ' },
};

int
keys_parse(const char *name, int *key)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t i, n = strlen(name);
	char *end;
	long f;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (strcmp(name, key_names[i].name) == 0) {
			*key = key_names[i].key;
			return 0;
		}
	if (n == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-' &&
	    name[2] >= 'a' && name[2] <= 'z') {
		*key = DKEY_CTRL(name[2]);
		return 0;
	}
	if (name[0] == 'F' && n > 1) {
		f = strtol(name + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 12) {
			*key = DKEY_F1 + (int)f - 1;
			return 0;
		}
	}
	/* One printable character (ASCII; a key of another script is its UTF-8). */
	if (n == 1 && p[0] > ' ' && p[0] < 127) {
		*key = p[0];
		return 0;
	}
	if (n > 1 && p[0] >= 0xc2) {
		uint32_t c = 0;
		size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;

		if (len != n)
			return -1;
		c = p[0] & (0x7f >> len);
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			c = (c << 6) | (p[i] & 0x3f);
		}
		*key = (int)c;
		return 0;
	}
	return -1;
}

const char *
keys_name(int key, char *out, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
		if (key_names[i].key == key) {
			snprintf(out, size, "%s", key_names[i].name);
			return out;
		}
	if (key >= 1 && key <= 26)
		snprintf(out, size, "C-%c", 'a' + key - 1);
	else if (key >= DKEY_F1 && key <= DKEY_F12)
		snprintf(out, size, "F%d", key - DKEY_F1 + 1);
	else if (key > ' ' && key < 127)
		snprintf(out, size, "%c", key);
	else if (key >= 0xa0 && key < 0x110000) {
		/* UTF-8 of the code point. */
		if (key < 0x800)
			snprintf(out, size, "%c%c", 0xc0 | (key >> 6), 0x80 | (key & 0x3f));
		else if (key < 0x10000)
			snprintf(out, size, "%c%c%c", 0xe0 | (key >> 12), 0x80 | ((key >> 6) & 0x3f),
			    0x80 | (key & 0x3f));
		else
			snprintf(out, size, "%c%c%c%c", 0xf0 | (key >> 18),
			    0x80 | ((key >> 12) & 0x3f), 0x80 | ((key >> 6) & 0x3f),
			    0x80 | (key & 0x3f));
	} else
		snprintf(out, size, "key-%d", key);
	return out;
}
