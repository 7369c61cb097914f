/// A key press or mouse click as the dashboard sees it, independent of the terminal library.
public enum Key: Hashable, Sendable {
    case character(Unicode.Scalar)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    /// Ctrl-C when the terminal delivers it as a key rather than a signal.
    case interrupt
    /// A click (button 1) at a screen cell.
    case click(x: Int, y: Int)
}

/// Everything the event loop reacts to (docs/architecture.md, "The dashboard": one loop over one enum).
public enum InputEvent: Sendable, Equatable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// Something outside asked mptop to stop (SIGINT, SIGTERM).
    case stop
    /// The kernel's event descriptor is readable: path-manager events are waiting.
    case kernelEvents
}
