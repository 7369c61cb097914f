/// A colour theme: a style per role, read from a flat `key = value` file (see the README).
public struct Theme: Sendable, Equatable {
    public var name: String
    /// Where it was read from (nil for the built-in fallback).
    public var path: String?
    public var styles: [ThemeRole: Style]
    /// Keys the file had that mptop does not know, with their line numbers: reported, not fatal,
    /// so a theme written for a newer mptop still loads.
    public var unknownKeys: [(line: Int, key: String)]

    public init(name: String, path: String? = nil, styles: [ThemeRole: Style] = [:], unknownKeys: [(line: Int, key: String)] = []) {
        self.name = name
        self.path = path
        self.styles = styles
        self.unknownKeys = unknownKeys
    }

    /// The role's style, or its attribute-only fallback when the theme leaves it out.
    public func style(_ role: ThemeRole) -> Style { styles[role] ?? role.fallback }

    /// The same theme with colours removed (NO_COLOR, --no-color, monochrome terminals):
    /// attributes stay, and roles that relied on colour alone get their fallback attributes.
    public var monochrome: Theme {
        var out = self
        for role in ThemeRole.allCases {
            let s = style(role)
            out.styles[role] = Style(.terminalDefault, on: .terminalDefault, s.attributes.union(role.fallback.attributes))
        }
        return out
    }

    /// The built-in look used when no theme file is found: attributes only.
    public static let basic = Theme(name: "basic")

    public static func == (a: Theme, b: Theme) -> Bool {
        a.name == b.name && a.path == b.path && a.styles == b.styles
            && a.unknownKeys.map(\.line) == b.unknownKeys.map(\.line) && a.unknownKeys.map(\.key) == b.unknownKeys.map(\.key)
    }
}
