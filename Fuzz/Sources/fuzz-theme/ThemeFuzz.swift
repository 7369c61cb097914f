import Dashboard
import FuzzInput

/// Theme files (`--theme PATH` reads any file): the parser, then every role's colours as each
/// kind of terminal gets them.
func fuzzTheme(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let theme = try? ThemeParser.parse(FuzzInput(data, size).text, path: "fuzz.theme", fallbackName: "fuzz") else { return 0 }
    for depth in [ColorDepth.none, .ansi16, .indexed256, .trueColor] {
        for role in ThemeRole.allCases {
            let style = theme.style(role)
            _ = depth.number(for: style.foreground)
            _ = depth.number(for: style.background)
        }
    }
    _ = theme.monochrome
    return 0
}
