// ncursesw for Swift: the library's function-like macros (attributes, colour pairs, mouse
// buttons, getmaxyx) as small inline functions, since Swift imports only plain constants.
// Only Sources/mptop/Terminal.swift imports this module.
#ifndef MPTOP_CNCURSES_SHIM_H
#define MPTOP_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

// ncurses globals, read through functions: Swift 6 refuses direct use of C mutable globals.
static inline WINDOW *mptop_stdscr(void) { return stdscr; }
static inline int mptop_colors(void) { return COLORS; }
static inline int mptop_color_pairs(void) { return COLOR_PAIRS; }

static inline unsigned int mptop_attr_bold(void) { return A_BOLD; }
static inline unsigned int mptop_attr_dim(void) { return A_DIM; }
static inline unsigned int mptop_attr_reverse(void) { return A_REVERSE; }
static inline unsigned int mptop_attr_underline(void) { return A_UNDERLINE; }

/// Sets the attributes and colour pair (any pair number, also above 255) for what follows.
static inline int mptop_set_style(unsigned int attrs, int pair) {
    return attr_set((attr_t)attrs, (short)(pair < 32767 ? pair : 0), &pair);
}

/// Writes `n` wide characters at row y, column x.
static inline int mptop_put(int y, int x, const wchar_t *s, int n) { return mvaddnwstr(y, x, s, n); }

static inline void mptop_screen_size(int *width, int *height) {
    int h, w;
    getmaxyx(stdscr, h, w);
    *width = w;
    *height = h;
}

/// The KEY_* code for a mouse event and the button-1 press/click masks.
static inline int mptop_key_mouse(void) { return KEY_MOUSE; }
static inline int mptop_key_resize(void) { return KEY_RESIZE; }
static inline unsigned long mptop_button1_mask(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline unsigned long mptop_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED; }

/// Whether the current locale's character set is UTF-8 (else graphs use ASCII).
static inline int mptop_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') && (cs[2] == 'F' || cs[2] == 'f');
}

static inline void mptop_set_locale(void) { setlocale(LC_ALL, ""); }

/// What $TERM's terminfo entry allows: 1 a full screen (it can move the cursor), 0 lines only
/// (known, but no cursor addressing: TERM=dumb), -1 unknown or unset. setupterm with an error
/// pointer reports instead of printing and exiting, as initscr does.
static inline int mptop_probe_terminal(void) {
    int err = 0;
    if (setupterm(NULL, 1, &err) != OK) return -1;
    const char *cup = tigetstr("cup");
    int screen = cup != NULL && cup != (const char *)-1;
    del_curterm(cur_term);
    return screen;
}

/// Opens the screen on stdout/stdin: 0, or -1 when the terminal cannot be set up. newterm,
/// unlike initscr, returns the failure instead of calling exit(), so cleanup still runs.
static inline int mptop_open_screen(void) {
    SCREEN *screen = newterm(NULL, stdout, stdin);
    if (screen == NULL) return -1;
    set_term(screen);
    return 0;
}

#endif
