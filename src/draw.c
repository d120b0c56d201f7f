/* draw.c: the console's screen through ncursesw: start and end, colours, safe text, keys. */

#define NCURSES_WIDECHAR 1

#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "draw.h"
#include "msg.h"
#include "util.h"

const char *const draw_style_names[] = {
#define X(name, mono, fg, bg, summary) #name,
	DRAW_STYLES(X)
#undef X
	NULL
};

const char *const draw_style_summaries[] = {
#define X(name, mono, fg, bg, summary) summary,
	DRAW_STYLES(X)
#undef X
	NULL
};

static const int style_mono[] = {
#define X(name, mono, fg, bg, summary) mono,
	DRAW_STYLES(X)
#undef X
};

/* The colours of each element: the defaults, then the config's. */
static short style_fg[] = {
#define X(name, mono, fg, bg, summary) fg,
	DRAW_STYLES(X)
#undef X
};
static short style_bg[] = {
#define X(name, mono, fg, bg, summary) bg,
	DRAW_STYLES(X)
#undef X
};

static SCREEN *screen;
static int use_colour;
static int utf8;

static attr_t
mono_attrs(int mono)
{
	attr_t a = A_NORMAL;

	if (mono & DRAW_A_REVERSE)
		a |= A_REVERSE;
	if (mono & DRAW_A_BOLD)
		a |= A_BOLD;
	if (mono & DRAW_A_UNDERLINE)
		a |= A_UNDERLINE;
	if (mono & DRAW_A_DIM)
		a |= A_DIM;
	return a;
}

static void
set_pairs(void)
{
	int i;

	for (i = 0; i < DRAW_NSTYLES; i++)
		init_pair((short)(i + 1), style_fg[i], style_bg[i]);
}

int
draw_init(int colour)
{
	const char *codeset = nl_langinfo(CODESET);

	utf8 = codeset != NULL && strcasecmp(codeset, "UTF-8") == 0;
	/* newterm, not initscr: a terminal curses cannot drive is an error to report, not an
	 * exit from inside the library. The size is the terminal's own (TIOCGWINSZ), not LINES
	 * and COLUMNS from the environment: a shell or script that exported COLUMNS=200 would
	 * otherwise have every row drawn past the edge, wrapping over the next. */
	use_tioctl(TRUE);
	screen = newterm(NULL, stdout, stdin);
	if (screen == NULL) {
		msg_error("cannot drive this terminal (TERM=%s)", getenv("TERM") != NULL ?
		    getenv("TERM") : "");
		return -1;
	}
	set_term(screen);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Escape alone is a key: do not wait a second for what might follow it. */
	set_escdelay(25);
	curs_set(0);
	use_colour = colour && has_colors();
	if (use_colour) {
		start_color();
		use_default_colors();
		set_pairs();
	}
	return 0;
}

void
draw_end(void)
{
	if (screen == NULL)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
	fflush(stdout);
}

int
draw_active(void)
{
	return screen != NULL;
}

void
draw_resize(void)
{
	struct winsize ws;

	if (screen == NULL)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
}

void
draw_size(int *rows, int *cols)
{
	*rows = screen != NULL ? LINES : 24;
	*cols = screen != NULL ? COLS : 80;
}

int
draw_utf8(void)
{
	return utf8;
}

static int
colour_number(const char *name, short *out)
{
	static const char *const names[] = { "black", "red", "green", "yellow", "blue",
	    "magenta", "cyan", "white", NULL };
	char *end;
	long n;
	int i;

	if (strcmp(name, "default") == 0) {
		*out = -1;
		return 0;
	}
	if ((i = names_find(names, name)) >= 0) {
		*out = (short)i;
		return 0;
	}
	n = strtol(name, &end, 10);
	if (*name == '\0' || *end != '\0' || n < 0 || n > 255)
		return -1;
	*out = (short)n;
	return 0;
}

int
draw_color(const char *element, const char *fg, const char *bg, char **err)
{
	int i = names_find(draw_style_names, element);
	short f, b;

	*err = NULL;
	if (i < 0) {
		*err = xasprintf("no element %s (one of normal, title, status, header, cursor, "
		    "tagged, error, new, recurring, done, label, spark)", element);
		return -1;
	}
	if (colour_number(fg, &f) != 0 || colour_number(bg, &b) != 0) {
		*err = xasprintf("not a colour: %s (black, red, green, yellow, blue, magenta, "
		    "cyan, white, default, or 0-255)", colour_number(fg, &f) != 0 ? fg : bg);
		return -1;
	}
	style_fg[i] = f;
	style_bg[i] = b;
	if (screen != NULL && use_colour)
		init_pair((short)(i + 1), f, b);
	return 0;
}

void
draw_erase(void)
{
	if (screen != NULL)
		erase();
}

void
draw_text(int y, int x, int width, const char *text, enum draw_style style)
{
	char *safe, *fit;
	attr_t a;
	size_t w;

	if (screen == NULL || width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + width > COLS)
		width = COLS - x;
	/* Made safe, white space kept: columns are aligned with it. */
	safe = text_safe(text != NULL ? text : "", text != NULL ? strlen(text) : 0, 0);
	fit = text_fit(safe, (size_t)width);
	free(safe);
	a = use_colour ? (attr_t)COLOR_PAIR(style + 1) : mono_attrs(style_mono[style]);
	if (use_colour && (style == DRAW_title || style == DRAW_status || style == DRAW_header))
		a |= A_BOLD;
	attrset(a);
	mvaddstr(y, x, fit);
	for (w = text_width(fit); w < (size_t)width; w++)
		addch(' ');
	attrset(A_NORMAL);
	free(fit);
}

void
draw_flush(int y, int x)
{
	if (screen == NULL)
		return;
	if (y >= 0) {
		curs_set(1);
		move(y, x);
	} else
		curs_set(0);
	refresh();
}

void
draw_redraw(void)
{
	if (screen != NULL)
		clearok(curscr, TRUE);
}

int
draw_key(int *key)
{
	wint_t ch;
	int rc;

	if (screen == NULL)
		return 0;
	rc = get_wch(&ch);
	if (rc == ERR)
		return 0;
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP: *key = DKEY_UP; break;
		case KEY_DOWN: *key = DKEY_DOWN; break;
		case KEY_LEFT: *key = DKEY_LEFT; break;
		case KEY_RIGHT: *key = DKEY_RIGHT; break;
		case KEY_PPAGE: *key = DKEY_PGUP; break;
		case KEY_NPAGE: *key = DKEY_PGDN; break;
		case KEY_HOME: *key = DKEY_HOME; break;
		case KEY_END: *key = DKEY_END; break;
		case KEY_ENTER: *key = DKEY_ENTER; break;
		case KEY_BACKSPACE: *key = DKEY_BACKSPACE; break;
		case KEY_DC: *key = DKEY_DELETE; break;
		case KEY_IC: *key = DKEY_INSERT; break;
		case KEY_BTAB: *key = DKEY_BTAB; break;
		case KEY_RESIZE: *key = DKEY_RESIZE; break;
		default:
			if (ch >= KEY_F(1) && ch <= KEY_F(12))
				*key = DKEY_F1 + (int)(ch - KEY_F(1));
			else
				return 0;
		}
		return 1;
	}
	switch (ch) {
	case '\r':
	case '\n':
		*key = DKEY_ENTER;
		break;
	case '\t':
		*key = DKEY_TAB;
		break;
	case 27:
		*key = DKEY_ESC;
		break;
	case 127:
	case 8:
		*key = DKEY_BACKSPACE;
		break;
	default:
		*key = (int)ch;
	}
	return 1;
}
