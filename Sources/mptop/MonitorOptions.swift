/// What `mptop [OPTIONS]` (and the demo's dashboard) was asked to do; parsed by `MptopCommand`.
struct MonitorOptions {
    enum Output { case table, json }

    var once = false
    var output: Output = .table
    var interval: Double?
    var count: Int?
    var namespace: String?
    var processes = true
    /// Dashboard only: colour theme (name or path), extra theme folder, no colours, no actions.
    var theme: String?
    var themesDirectory: String?
    var listThemes = false
    var noColor = false
    var readOnly = false
    /// Seconds closed connections and subflows stay on screen, dimmed (nil: the saved setting, else 30).
    var keepClosed: Double?

    /// The dashboard is for a person at a terminal; pipes, --once, --json and --count get text.
    var wantsDashboard: Bool {
        !once && output == .table && count == nil
    }
}
