import CNcurses
import Dashboard
import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// The terminal, through ncurses: the only file that imports it (docs/architecture.md, "Modules").
///
/// It turns the dashboard's cell grid into screen updates (only rows that changed), keys and
/// mouse clicks into `Key`s, and theme colours into what this terminal has (truecolor, 256, 16
/// or none). It always gives the terminal back: on `close()`, and on a crash via `CrashGuard`.
final class CursesTerminal: TerminalIO {
    private var previous: CellGrid?
    private var pairs: [PairKey: Int32] = [:]
    private var depth: ColorDepth = .none
    private let noColor: Bool
    private let stopDescriptor: Int32
    private var pending: [InputEvent] = []
    private var open = true
    /// Whether the locale is UTF-8; otherwise graphs are drawn in ASCII.
    let utf8: Bool

    private struct PairKey: Hashable { let fg: Int32, bg: Int32 }

    /// What this terminal can show, asked before anything is built or opened.
    enum Support: Equatable {
        /// A full screen: the dashboard.
        case screen
        /// Lines only, the cursor cannot move (TERM=dumb, an Emacs shell buffer).
        case linesOnly
        /// TERM unset or without a terminfo entry here: why, in words.
        case unusable(String)
    }

    static func support() -> Support {
        guard let term = shownTerm else { return .unusable("TERM is not set") }
        switch mptop_probe_terminal() {
        case 1: return .screen
        case 0: return .linesOnly
        default: return .unusable("terminal type '\(term)' is unknown here (no terminfo entry)")
        }
    }

    /// $TERM for a message, nil when unset or empty. It is the caller's text on its way to a
    /// terminal: printable ASCII only, and not too long.
    private static var shownTerm: String? {
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty else { return nil }
        return String(String.UnicodeScalarView(term.unicodeScalars.prefix(64).map { (32...126).contains($0.value) ? $0 : "?" }))
    }

    /// Opens the screen. `stopDescriptor` becomes readable on SIGINT/SIGTERM/SIGHUP. Throws
    /// when ncurses cannot set up the terminal.
    init(noColor: Bool, stopDescriptor: Int32) throws {
        mptop_set_locale()
        utf8 = mptop_locale_is_utf8() != 0
        self.noColor = noColor
        self.stopDescriptor = stopDescriptor
        CrashGuard.install()
        guard mptop_open_screen() == 0 else {
            CrashGuard.uninstall()
            open = false
            throw MPTopError.io("ncurses cannot set up terminal type '\(Self.shownTerm ?? "")' for the dashboard")
        }
        cbreak()
        noecho()
        nonl()
        keypad(mptop_stdscr(), true)
        nodelay(mptop_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        mouseinterval(0)
        mousemask(mmask_t(mptop_button1_mask()), nil)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
        }
        depth = ColorDepth.detect(colors: has_colors() ? Int(mptop_colors()) : 0, noColor: noColor)
    }

    deinit { close() }

    /// Restores the terminal. Safe to call twice.
    func close() {
        guard open else { return }
        open = false
        endwin()
        CrashGuard.uninstall()
    }

    var width: Int { size().width }
    var height: Int { size().height }

    private func size() -> (width: Int, height: Int) {
        var w: Int32 = 0, h: Int32 = 0
        mptop_screen_size(&w, &h)
        return (Int(w), Int(h))
    }

    func use(_ theme: Theme) {
        currentTheme = depth == .none ? theme.monochrome : theme
        pairs = [:]
        previous = nil
    }

    private var currentTheme: Theme = .basic

    // MARK: input

    func nextEvent(timeout: Double, watching: Int32?) -> InputEvent? {
        if !pending.isEmpty { return pending.removeFirst() }
        readKeys()
        if !pending.isEmpty { return pending.removeFirst() }
        // Wake at least every 250 ms: ncurses reports a resize as a key once SIGWINCH arrived.
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: stopDescriptor, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: watching ?? -1, events: Int16(POLLIN), revents: 0)]
        let ms = Int32(max(0, min(timeout, 0.25)) * 1000)
        _ = poll(&fds, 3, ms)
        // A hung-up or closed terminal (its window closed under a process that ignores SIGHUP)
        // stays "ready" for ever: stop instead of spinning on it.
        if fds[1].revents != 0 || fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .stop }
        readKeys()
        if !pending.isEmpty { return pending.removeFirst() }
        return fds[2].revents != 0 ? .kernelEvents : nil
    }

    private func readKeys() {
        var ch: wint_t = 0
        while true {
            let r = wget_wch(mptop_stdscr(), &ch)
            if r == ERR { return }
            if r == KEY_CODE_YES {
                if let e = functionKey(Int32(ch)) { pending.append(e) }
            } else if let k = characterKey(UInt32(ch)) {
                pending.append(.key(k))
            }
        }
    }

    private func functionKey(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_ENTER: return .key(.enter)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_BTAB: return .key(.backTab)
        case mptop_key_resize():
            let s = size()
            previous = nil
            return .resize(width: s.width, height: s.height)
        case mptop_key_mouse():
            var event = MEVENT()
            guard getmouse(&event) == OK, UInt(event.bstate) & mptop_button1_clicked() != 0 else { return nil }
            return .key(.click(x: Int(event.x), y: Int(event.y)))
        default: return nil
        }
    }

    private func characterKey(_ c: UInt32) -> Key? {
        switch c {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 3: return .interrupt
        default: return Unicode.Scalar(c).map { .character($0) }
        }
    }

    // MARK: output

    func draw(_ grid: CellGrid) {
        // Everything is drawn after a resize or a theme change; otherwise only rows that changed.
        let before = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if before == nil { erase() }
        var run: [wchar_t] = []
        run.reserveCapacity(grid.width)
        for y in 0..<grid.height where before.map({ grid.rowDiffers(y, from: $0) }) ?? true {
            var x = 0
            while x < grid.width {
                let style = grid[x, y].style
                run.removeAll(keepingCapacity: true)
                let start = x
                while x < grid.width && grid[x, y].style == style {
                    run.append(wchar_t(bitPattern: grid[x, y].character.value))
                    x += 1
                }
                apply(style)
                // The last cell of the screen would scroll it; ncurses leaves it alone if we do.
                let n = (y == grid.height - 1 && x == grid.width) ? run.count - 1 : run.count
                if n > 0 { _ = mptop_put(Int32(y), Int32(start), run, Int32(n)) }
            }
        }
        refresh()
        previous = grid
    }

    private func apply(_ style: Style) {
        var attrs: UInt32 = 0
        if style.attributes.contains(.bold) { attrs |= mptop_attr_bold() }
        if style.attributes.contains(.dim) { attrs |= mptop_attr_dim() }
        if style.attributes.contains(.reverse) { attrs |= mptop_attr_reverse() }
        if style.attributes.contains(.underline) { attrs |= mptop_attr_underline() }
        _ = mptop_set_style(attrs, pair(for: style))
    }

    /// The colour pair for a style's colours, made on first use (themes use a few dozen).
    private func pair(for style: Style) -> Int32 {
        guard depth != .none else { return 0 }
        let key = PairKey(fg: depth.number(for: style.foreground), bg: depth.number(for: style.background))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        let n = Int32(pairs.count + 1)
        guard n < mptop_color_pairs(), init_extended_pair(n, key.fg, key.bg) == OK else { return 0 }
        pairs[key] = n
        return n
    }
}
