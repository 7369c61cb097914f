/// What the dashboard needs from a terminal. The ncurses driver implements it for real; tests
/// implement it with scripted keys and a grid they can read back.
public protocol TerminalIO: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Waits up to `timeout` seconds for a key, a resize, a stop request or (when `watching` is
    /// given) that descriptor becoming readable (`.kernelEvents`); nil when none came.
    func nextEvent(timeout: Double, watching: Int32?) -> InputEvent?
    /// Shows `grid` (the driver decides what changed since the last call).
    func draw(_ grid: CellGrid)
    /// Switches colours; the next draw repaints everything.
    func use(_ theme: Theme)
}
