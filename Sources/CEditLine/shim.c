#define _GNU_SOURCE 1 /* wcwidth */
#include "CEditLine.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <termios.h>

FILE *cel_stdin(void) { return stdin; }
FILE *cel_stdout(void) { return stdout; }
FILE *cel_stderr(void) { return stderr; }

/* libedit is opened on first use rather than linked: batch and -c runs, which never edit a
 * line, then do not map it nor the terminfo and BSD-compatibility libraries it pulls in, and
 * start measurably sooner. Every call into libedit goes through this table. */
static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    const char *(*el_gets)(EditLine *, int *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    int (*el_source)(EditLine *, const char *);
    void (*el_resize)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    void (*el_deletestr)(EditLine *, int);
    const LineInfoW *(*el_wline)(EditLine *);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} cel;

static int cel_loaded;
static char cel_load_failure[512];

const char *cel_load_libedit(void)
{
    if (cel_loaded)
        return NULL;
    if (cel_load_failure[0])
        return cel_load_failure;
#ifdef __APPLE__
    static const char *const names[] = { "libedit.3.dylib", "libedit.dylib" };
#else
    static const char *const names[] = { "libedit.so.2", "libedit.so" };
#endif
    void *lib = NULL;
    char why[256] = "";
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !lib; i++) {
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        const char *reason = lib ? NULL : dlerror();
        /* The first reason names the library people install. */
        if (reason && i == 0)
            snprintf(why, sizeof why, "%s", reason);
    }
    if (!lib) {
        snprintf(cel_load_failure, sizeof cel_load_failure, "cannot load the line-editing library %s: %s", names[0],
                 why[0] ? why : "not found");
        return cel_load_failure;
    }
#define CEL_BIND(name)                                                                                                         \
    do {                                                                                                                       \
        *(void **)&cel.name = dlsym(lib, #name);                                                                               \
        if (!cel.name) {                                                                                                       \
            snprintf(cel_load_failure, sizeof cel_load_failure, "the line-editing library %s lacks %s", names[0], #name);     \
            return cel_load_failure;                                                                                           \
        }                                                                                                                      \
    } while (0)
    CEL_BIND(el_init);
    CEL_BIND(el_end);
    CEL_BIND(el_gets);
    CEL_BIND(el_set);
    CEL_BIND(el_get);
    CEL_BIND(el_source);
    CEL_BIND(el_resize);
    CEL_BIND(el_insertstr);
    CEL_BIND(el_deletestr);
    CEL_BIND(el_wline);
    CEL_BIND(history_init);
    CEL_BIND(history_end);
    CEL_BIND(history);
#undef CEL_BIND
    cel_loaded = 1;
    return NULL;
}

EditLine *cel_el_init(const char *prog, FILE *in, FILE *out, FILE *err) { return cel.el_init(prog, in, out, err); }
void cel_el_end(EditLine *el) { cel.el_end(el); }
const char *cel_el_gets(EditLine *el, int *count) { return cel.el_gets(el, count); }
int cel_el_source(EditLine *el, const char *file) { return cel.el_source(el, file); }
void cel_el_resize(EditLine *el) { cel.el_resize(el); }
int cel_el_insertstr(EditLine *el, const char *text) { return cel.el_insertstr(el, text); }
void cel_el_deletestr(EditLine *el, int count) { cel.el_deletestr(el, count); }
const LineInfoW *cel_el_wline(EditLine *el) { return cel.el_wline(el); }
History *cel_history_init(void) { return cel.history_init(); }
void cel_history_end(History *h) { cel.history_end(h); }

int cel_set_prompt(EditLine *el, cel_prompt_t fn) { return cel.el_set(el, EL_PROMPT, fn); }
int cel_set_prompt_esc(EditLine *el, cel_prompt_t fn, char esc) { return cel.el_set(el, EL_PROMPT_ESC, fn, esc); }
int cel_add_fn(EditLine *el, const char *name, const char *help, cel_fn_t fn) { return cel.el_set(el, EL_ADDFN, name, help, fn); }
int cel_bind(EditLine *el, const char *key, const char *function) { return cel.el_set(el, EL_BIND, key, function, (const char *)NULL); }
int cel_set_hist(EditLine *el, History *h) { return cel.el_set(el, EL_HIST, cel.history, h); }
int cel_set_clientdata(EditLine *el, void *data) { return cel.el_set(el, EL_CLIENTDATA, data); }
void *cel_get_clientdata(EditLine *el) { void *d = NULL; return cel.el_get(el, EL_CLIENTDATA, &d) == 0 ? d : NULL; }
int cel_set_editor(EditLine *el, const char *mode) { return cel.el_set(el, EL_EDITOR, mode); }
int cel_set_signal(EditLine *el, int on) { return cel.el_set(el, EL_SIGNAL, on); }
int cel_set_getcfn(EditLine *el, cel_getc_t fn) { return cel.el_set(el, EL_GETCFN, fn ? fn : EL_BUILTIN_GETCFN); }
int cel_refresh(EditLine *el) { return cel.el_set(el, EL_REFRESH); }
int cel_prep_term(EditLine *el, int raw) { return cel.el_set(el, EL_PREP_TERM, raw); }

int cel_hist_enter(History *h, const char *line) { HistEvent ev; return cel.history(h, &ev, H_ENTER, line); }
int cel_hist_load(History *h, const char *path) { HistEvent ev; return cel.history(h, &ev, H_LOAD, path); }
int cel_hist_save(History *h, const char *path) { HistEvent ev; return cel.history(h, &ev, H_SAVE, path); }
int cel_hist_save_fp(History *h, FILE *fp) { HistEvent ev; return cel.history(h, &ev, H_SAVE_FP, fp); }
int cel_hist_setsize(History *h, int size) { HistEvent ev; return cel.history(h, &ev, H_SETSIZE, size); }
int cel_hist_getsize(History *h) { HistEvent ev; return cel.history(h, &ev, H_GETSIZE) == 0 ? ev.num : -1; }
int cel_hist_setunique(History *h, int on) { HistEvent ev; return cel.history(h, &ev, H_SETUNIQUE, on); }
int cel_hist_clear(History *h) { HistEvent ev; return cel.history(h, &ev, H_CLEAR); }

static const char *cel_hist_step(History *h, int op) { HistEvent ev; return cel.history(h, &ev, op) == 0 ? ev.str : NULL; }
const char *cel_hist_first(History *h) { return cel_hist_step(h, H_FIRST); }
const char *cel_hist_next(History *h) { return cel_hist_step(h, H_NEXT); }
const char *cel_hist_last(History *h) { return cel_hist_step(h, H_LAST); }
const char *cel_hist_prev(History *h) { return cel_hist_step(h, H_PREV); }

static volatile sig_atomic_t cel_sigint_flag;
static volatile sig_atomic_t cel_sigwinch_flag;
static volatile sig_atomic_t cel_sigcont_flag;
static volatile sig_atomic_t cel_handlers_installed;

static void cel_on_sigint(int sig) { (void)sig; cel_sigint_flag = 1; }
static void cel_on_sigwinch(int sig) { (void)sig; cel_sigwinch_flag = 1; }
static void cel_on_sigcont(int sig) { (void)sig; cel_sigcont_flag = 1; }

static struct termios cel_saved_modes;
static volatile sig_atomic_t cel_saved_fd = -1;

void cel_remember_terminal(int fd)
{
    if (tcgetattr(fd, &cel_saved_modes) == 0)
        cel_saved_fd = fd;
}

/* Ctrl-Z. libedit's handler only covers the first stop of each line;
 * later ones come here, possibly with the terminal still raw. Put the
 * shell's modes back, stop for real, and re-arm on continue (SIGCONT then
 * tells the editor to go raw again and redraw). Only async-signal-safe
 * calls. */
static void cel_on_sigtstp(int sig)
{
    int saved_errno = errno;
    struct sigaction dfl, ours;
    sigset_t set;

    if (cel_saved_fd >= 0)
        tcsetattr(cel_saved_fd, TCSADRAIN, &cel_saved_modes);
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, &ours);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig); /* stops here until SIGCONT */
    sigaction(sig, &ours, NULL);
    errno = saved_errno;
}

void cel_install_signal_handlers(void)
{
    if (cel_handlers_installed)
        return;
    cel_handlers_installed = 1;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = cel_on_sigint;
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
    sigaction(SIGINT, &sa, NULL);

    sa.sa_handler = cel_on_sigwinch;
    sa.sa_flags = SA_RESTART; /* a resize should not disturb anyone's I/O */
    sigaction(SIGWINCH, &sa, NULL);

    sa.sa_handler = cel_on_sigcont;
    sigaction(SIGCONT, &sa, NULL);

    sa.sa_handler = cel_on_sigtstp;
    sigaction(SIGTSTP, &sa, NULL);
}

static volatile sig_atomic_t cel_termination_flag;

static void cel_on_termination(int sig) { cel_termination_flag = sig; }

void cel_install_termination_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = cel_on_termination;
    sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A parent may have started us with them blocked (a thread pool's mask). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int cel_termination_signal(void) { return cel_termination_flag; }

void cel_die_of_signal(int sig)
{
    struct sigaction dfl;
    sigset_t set;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

int cel_sigint_pending(void) { return cel_sigint_flag != 0; }
int cel_take_sigint(void) { return __atomic_exchange_n(&cel_sigint_flag, 0, __ATOMIC_SEQ_CST) != 0; }
int cel_take_sigwinch(void) { return __atomic_exchange_n(&cel_sigwinch_flag, 0, __ATOMIC_SEQ_CST) != 0; }
int cel_take_sigcont(void) { return __atomic_exchange_n(&cel_sigcont_flag, 0, __ATOMIC_SEQ_CST) != 0; }

int cel_terminal_columns(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

int cel_wcwidth(wchar_t c) { return wcwidth(c); }

int cel_open_pty(int *master, int *slave)
{
    char name[128];
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0)
        return -1;
    if (grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, sizeof name) != 0) {
        close(m);
        return -1;
    }
    int s = open(name, O_RDWR | O_NOCTTY);
    if (s < 0) {
        close(m);
        return -1;
    }
    *master = m;
    *slave = s;
    return 0;
}
