/* draw.h: the console's screen, the only module that speaks curses. Text reaches the terminal
 * through draw_text alone, which makes it safe (no control, escape, C1, bidi or zero-width
 * character) and fits it to its columns. */
#ifndef ARFDESK_DRAW_H
#define ARFDESK_DRAW_H

#include "keys.h"

/* X(name, monochrome attributes, foreground, background, summary): the elements a `color`
 * line names; -1 is the terminal's own colour. */
#define DRAW_STYLES(X) \
	X(normal, 0, -1, -1, "text") \
	X(title, DRAW_A_REVERSE | DRAW_A_BOLD, 7, 4, "the title line of a view") \
	X(status, DRAW_A_REVERSE, 7, 4, "the status line") \
	X(header, DRAW_A_BOLD | DRAW_A_UNDERLINE, -1, -1, "column titles") \
	X(cursor, DRAW_A_REVERSE, 0, 6, "the selected row") \
	X(tagged, DRAW_A_BOLD, 3, -1, "tagged rows") \
	X(error, DRAW_A_BOLD, 1, -1, "errors in the status line") \
	X(new, DRAW_A_BOLD, -1, -1, "cases nobody has looked at") \
	X(recurring, DRAW_A_BOLD, 5, -1, "recurring cases") \
	X(done, DRAW_A_DIM, 2, -1, "resolved and ignored cases") \
	X(label, DRAW_A_BOLD, 6, -1, "labels and headings in a case or report") \
	X(spark, 0, 2, -1, "complaints-per-day sparklines")

#define DRAW_A_REVERSE		0x1
#define DRAW_A_BOLD		0x2
#define DRAW_A_UNDERLINE	0x4
#define DRAW_A_DIM		0x8

enum draw_style {
#define X(name, mono, fg, bg, summary) DRAW_##name,
	DRAW_STYLES(X)
#undef X
	DRAW_NSTYLES
};

/* Curses on the terminal (stdin, stdout). colour: 0 for monochrome (NO_COLOR, or no colours).
 * 0, or -1 (reported). */
int	 draw_init(int colour);
/* Leave curses, the terminal as it was. Safe to call twice, and before draw_init. */
void	 draw_end(void);
int	 draw_active(void);
/* The terminal's size again (after SIGWINCH). */
void	 draw_resize(void);
void	 draw_size(int *rows, int *cols);
/* Can the terminal show UTF-8 (and so the sparkline's blocks)? */
int	 draw_utf8(void);

/* Set an element's colours by name: colour names (black, red, green, yellow, blue, magenta,
 * cyan, white, default) or numbers 0-255. 0, or -1 with the reason in *err (to free). */
int	 draw_color(const char *element, const char *fg, const char *bg, char **err);
/* The element names, for help. */
extern const char *const draw_style_names[];
extern const char *const draw_style_summaries[];

void	 draw_erase(void);
/* Untrusted text at row y, column x, in width columns (cut with "~", padded with spaces). */
void	 draw_text(int y, int x, int width, const char *text, enum draw_style);
/* Show what was drawn; the cursor at (y, x), hidden when y < 0. */
void	 draw_flush(int y, int x);
/* Redraw everything (Control-L). */
void	 draw_redraw(void);
/* One key, if one is waiting: 1 and *key, else 0. */
int	 draw_key(int *key);

#endif
