/* keys.h: the console's keys by name, its actions by name, and its default bindings (config
 * text compiled in): data, in the core, so that `help keys`, the console's help and the man
 * page's check all read the one table. */
#ifndef ARFDESK_KEYS_H
#define ARFDESK_KEYS_H

#include <stddef.h>

/* Keys: a character is its code point; the others are these. */
enum {
	DKEY_UP = 0x200000, DKEY_DOWN, DKEY_LEFT, DKEY_RIGHT, DKEY_PGUP, DKEY_PGDN, DKEY_HOME,
	DKEY_END, DKEY_ENTER, DKEY_BACKSPACE, DKEY_DELETE, DKEY_TAB, DKEY_BTAB, DKEY_ESC,
	DKEY_INSERT, DKEY_RESIZE, DKEY_F1,
	DKEY_F12 = DKEY_F1 + 11,
	DKEY_LAST
};
/* Control-A ... Control-Z are 1 ... 26 (Tab, Enter and Escape have their own). */
#define DKEY_CTRL(c)	((c) - 'a' + 1)

/* Console actions, X(identifier, name, summary): what a binding or the prompt can run besides
 * the commands of the command table. */
#define KEY_ACTIONS(X) \
	X(move_down, "move-down", "select the next row") \
	X(move_up, "move-up", "select the previous row") \
	X(page_down, "page-down", "a page down") \
	X(page_up, "page-up", "a page up") \
	X(first, "first", "the first row") \
	X(last, "last", "the last row") \
	X(open, "open", "open the selected row (a case, a report)") \
	X(close, "close", "close this view (quit from the first)") \
	X(quit, "quit", "quit the console") \
	X(search, "search", "search the rows of this view") \
	X(search_next, "search-next", "the next row that matches") \
	X(search_prev, "search-prev", "the previous row that matches") \
	X(tag, "tag", "tag or untag the selected row") \
	X(tag_prefix, "tag-prefix", "apply the next command to the tagged rows") \
	X(untag_all, "untag-all", "untag every row") \
	X(prompt, "prompt", "type a command") \
	X(help, "help", "the keys and the commands") \
	X(messages, "messages", "every error and warning since the console opened") \
	X(redraw, "redraw", "draw the screen again") \
	X(refresh, "refresh", "read the view again from the store") \
	X(next_grouping, "next-grouping", "group by the next kind: ip, net, domain, customer") \
	X(todo, "todo", "show only what needs a person, or everything") \
	X(note, "note", "add a note to the selected case") \
	X(raw, "raw", "the selected report's raw message") \
	X(cancel, "cancel", "stop the command running in the background")

enum key_action {
#define X(id, name, summary) KEY_ACTION_##id,
	KEY_ACTIONS(X)
#undef X
	KEY_NACTIONS
};

extern const char *const keys_action_names[];
extern const char *const keys_action_summaries[];

/* Key names ("j", "Down", "C-l", "PageDown", "Enter", "Space", "F1") and codes (draw.h). */
int		 keys_parse(const char *, int *key);
/* The name of a key, into out (at least 16 bytes); returns out. */
const char	*keys_name(int key, char *out, size_t size);
/* The default bindings, as config lines ("bind j move-down"), compiled in. */
extern const char keys_default_bindings[];

#endif
