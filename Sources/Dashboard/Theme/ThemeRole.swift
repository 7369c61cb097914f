/// The things a theme colours. The raw value is the key in a theme file.
public enum ThemeRole: String, CaseIterable, Sendable {
    case text, dim, header, headerAccent = "header.accent", title, border, column, selected
    case footer, footerKey = "footer.key", good, warn, bad, graph, closed
    case dialog, dialogTitle = "dialog.title", filter, barEmpty = "bar.empty"
    case iface1 = "iface.1", iface2 = "iface.2", iface3 = "iface.3", iface4 = "iface.4", iface5 = "iface.5", iface6 = "iface.6"

    /// The roles that tell interfaces apart, in order of first use.
    public static let interfaces: [ThemeRole] = [.iface1, .iface2, .iface3, .iface4, .iface5, .iface6]

    /// What a role looks like when a theme leaves it out: attributes only, so it is readable on
    /// any terminal (and it is the whole look under NO_COLOR).
    public var fallback: Style {
        switch self {
        case .header, .selected, .dialogTitle: return Style(.terminalDefault, on: .terminalDefault, .reverse)
        case .title, .column, .footerKey, .headerAccent, .bad: return Style(.terminalDefault, on: .terminalDefault, .bold)
        case .dim, .closed, .barEmpty, .border: return Style(.terminalDefault, on: .terminalDefault, .dim)
        case .filter: return Style(.terminalDefault, on: .terminalDefault, .underline)
        default: return .plain
        }
    }
}
