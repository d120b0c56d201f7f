/* tui.h: the console: one event loop (loop.h) over the keyboard, signals, children and a timer
 * that watches the store; a stack of views; a status line and a prompt that runs any command
 * of the command table. Key bindings are command lines too (tui-keys.c). */
#ifndef ARFDESK_TUI_H
#define ARFDESK_TUI_H

#include <stddef.h>

#include "keys.h"

struct cmd_ctx;
struct conf;
struct store;
struct tui;
struct view;

/* Run the console on the context's database until it quits. An exit status (CMD_*). */
int	 tui_main(struct cmd_ctx *);

struct store		*tui_store(struct tui *);
const struct conf	*tui_conf(struct tui *);
/* Put a view on top (the tui owns it from now). */
void	 tui_push(struct tui *, struct view *);
/* Run a command line, as the prompt and the bindings do. 0, or -1 (reported). */
int	 tui_execute(struct tui *, const char *line);

#endif
