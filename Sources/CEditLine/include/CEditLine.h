#ifndef CEDITLINE_H
#define CEDITLINE_H

/*
 * Non-variadic wrappers around libedit's native API (histedit.h).
 *
 * el_set/el_get/history are C variadics, which Swift cannot call, and
 * libedit has no va_list variants; hence one tiny function per operation.
 * The stdio streams and the signal flags also live on this side, because
 * Swift 6 refuses direct use of mutable C globals.
 * Only the types of histedit.h are used from Swift: its functions are
 * reached through the cel_ wrappers, which call the library opened by
 * cel_load_libedit.
 */

#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

typedef unsigned char (*cel_fn_t)(EditLine *el, int ch);
typedef char *(*cel_prompt_t)(EditLine *el);
typedef int (*cel_getc_t)(EditLine *el, wchar_t *out);

/* The C standard streams. */
FILE *cel_stdin(void);
FILE *cel_stdout(void);
FILE *cel_stderr(void);

/* libedit is opened at run time, not linked (batch runs then never map it). Call this before
 * any other el_ or hist_ function here: NULL once loaded, else why it could not be. */
const char *cel_load_libedit(void);

/* libedit's own functions, through the loaded library. */
EditLine *cel_el_init(const char *prog, FILE *in, FILE *out, FILE *err);
void cel_el_end(EditLine *el);
const char *cel_el_gets(EditLine *el, int *count);
int cel_el_source(EditLine *el, const char *file);
void cel_el_resize(EditLine *el);
int cel_el_insertstr(EditLine *el, const char *text);
void cel_el_deletestr(EditLine *el, int count);
const LineInfoW *cel_el_wline(EditLine *el);
History *cel_history_init(void);
void cel_history_end(History *h);

/* el_set wrappers. Each returns el_set's result (0 on success). */
int cel_set_prompt(EditLine *el, cel_prompt_t fn);                  /* EL_PROMPT */
int cel_set_prompt_esc(EditLine *el, cel_prompt_t fn, char esc);    /* EL_PROMPT_ESC */
int cel_add_fn(EditLine *el, const char *name, const char *help, cel_fn_t fn); /* EL_ADDFN */
int cel_bind(EditLine *el, const char *key, const char *function);  /* EL_BIND key fn NULL */
int cel_set_hist(EditLine *el, History *h);                         /* EL_HIST history h */
int cel_set_clientdata(EditLine *el, void *data);                   /* EL_CLIENTDATA */
void *cel_get_clientdata(EditLine *el);                             /* el_get EL_CLIENTDATA */
int cel_set_editor(EditLine *el, const char *mode);                 /* EL_EDITOR */
int cel_set_signal(EditLine *el, int on);                           /* EL_SIGNAL */
int cel_set_getcfn(EditLine *el, cel_getc_t fn);                    /* EL_GETCFN (NULL: builtin) */
int cel_refresh(EditLine *el);                                      /* EL_REFRESH */
int cel_prep_term(EditLine *el, int raw);                           /* EL_PREP_TERM */

/* history() wrappers. */
int cel_hist_enter(History *h, const char *line);   /* H_ENTER; -1 on error */
int cel_hist_load(History *h, const char *path);    /* H_LOAD; count or -1 */
int cel_hist_save(History *h, const char *path);    /* H_SAVE; count or -1 */
int cel_hist_save_fp(History *h, FILE *fp);         /* H_SAVE_FP; count or -1 */
int cel_hist_setsize(History *h, int size);         /* H_SETSIZE */
int cel_hist_getsize(History *h);                   /* H_GETSIZE: number of entries */
int cel_hist_setunique(History *h, int on);         /* H_SETUNIQUE */
int cel_hist_clear(History *h);                     /* H_CLEAR */
/* Iteration: each returns the entry text (owned by libedit) or NULL.
 * FIRST is the newest entry and NEXT steps to older ones; LAST is the
 * oldest and PREV steps to newer ones. */
const char *cel_hist_first(History *h);
const char *cel_hist_next(History *h);
const char *cel_hist_last(History *h);
const char *cel_hist_prev(History *h);

/* Signals. SIGINT, SIGWINCH and SIGCONT handlers that only set flags
 * (SIGINT without SA_RESTART, so blocking calls see EINTR), and a SIGTSTP
 * handler that puts the remembered terminal modes back before stopping.
 * While el_gets runs, libedit's own handlers come first and pass each signal
 * on to these; after the first one they stay with us until the next line.
 * Installing is idempotent. */
void cel_install_signal_handlers(void);
/* Records fd's current (cooked) modes for the SIGTSTP handler. */
void cel_remember_terminal(int fd);
/* SIGTERM and SIGHUP for batch runs: a handler that only records the signal
 * (no SA_RESTART), so the batch can write out what finished commands printed
 * and then die of the same signal with cel_die_of_signal. */
void cel_install_termination_handlers(void);
int cel_termination_signal(void);  /* the signal received, or 0 */
void cel_die_of_signal(int sig);
int cel_sigint_pending(void);   /* peek */
int cel_take_sigint(void);      /* read and clear, atomically */
int cel_take_sigwinch(void);    /* read and clear, atomically */
int cel_take_sigcont(void);     /* read and clear, atomically */

/* wcwidth(3): columns taken by c, or -1 (needs a UTF-8 LC_CTYPE). */
int cel_wcwidth(wchar_t c);

/* Terminal width of fd from TIOCGWINSZ, or 0 when unknown. */
int cel_terminal_columns(int fd);

/* Opens a pseudo-terminal pair, both ends O_NOCTTY.
 * For driving the editor without a real terminal, as the tests do.
 * Returns 0, or -1 with errno set. */
int cel_open_pty(int *master, int *slave);

#endif
