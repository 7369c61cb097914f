/// The characters graphs and frames are drawn with: Unicode blocks and lines on a UTF-8
/// terminal, plain ASCII on any other (a non-UTF-8 locale would print mojibake).
public struct Glyphs: Sendable, Equatable {
    /// Levels from empty to full for sparklines; index 0 is "nothing".
    public let levels: [Unicode.Scalar]
    /// Fill characters that tell interfaces apart in a split share bar even without colour.
    public let shareFills: [Unicode.Scalar]
    public let barEmpty: Unicode.Scalar
    public let horizontal: Unicode.Scalar
    public let treeMiddle: String
    public let treeLast: String
    public let expanded: Unicode.Scalar
    public let collapsed: Unicode.Scalar
    public let arrow: String
    public let plusMinus: String
    /// Stands for a figure that is not current (a stale RTT).
    public let dash: String
    public let up: Unicode.Scalar
    public let down: Unicode.Scalar
    /// Left of a graph whose earlier values were not recorded (the socket was there, off screen).
    public let unrecorded: Unicode.Scalar

    public static let unicode = Glyphs(
        levels: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        shareFills: ["█", "▓", "▒", "░", "▚", "▞"], barEmpty: "·", horizontal: "─",
        treeMiddle: "├─", treeLast: "└─", expanded: "▾", collapsed: "▸", arrow: " → ", plusMinus: "±", dash: "—",
        up: "▲", down: "▼", unrecorded: "┊")

    public static let ascii = Glyphs(
        levels: [" ", ".", ".", ":", ":", "-", "=", "+", "#"],
        shareFills: ["#", "=", "+", "%", "@", "&"], barEmpty: ".", horizontal: "-",
        treeMiddle: "|-", treeLast: "`-", expanded: "v", collapsed: ">", arrow: " > ", plusMinus: "+-", dash: "-",
        up: "^", down: "v", unrecorded: "|")

    /// The level glyph for `value` in 0...1.
    public func level(_ value: Double) -> Unicode.Scalar {
        guard value.isFinite, value > 0 else { return levels[0] }
        let i = Int((min(value, 1) * Double(levels.count - 1)).rounded(.up))
        return levels[max(1, min(levels.count - 1, i))]
    }
}
