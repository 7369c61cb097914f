/// How many colours the terminal can show. Themes are written in any colour form; this picks the
/// nearest one the terminal has (truecolor -> 256 -> 16 -> none).
public enum ColorDepth: Sendable, Equatable {
    case none, ansi16, indexed256, trueColor

    /// From the terminal's colour count (ncurses `COLORS`) and the user's wishes.
    public static func detect(colors: Int, noColor: Bool) -> ColorDepth {
        if noColor || colors < 8 { return .none }
        if colors >= 1 << 24 { return .trueColor }
        if colors >= 256 { return .indexed256 }
        return .ansi16
    }

    /// The terminal colour number for `color` (-1: the terminal's default). For `.trueColor` the
    /// number is 0xRRGGBB, as ncurses' direct-colour terminals expect.
    public func number(for color: ThemeColor) -> Int32 {
        switch (self, color) {
        case (_, .terminalDefault), (.none, _): return -1
        case (_, .ansi(let i)): return Int32(i)
        case (.trueColor, .indexed(let i)):
            let (r, g, b) = Self.rgb(ofIndex: i)
            return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case (.trueColor, .rgb(let r, let g, let b)): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        case (.indexed256, .indexed(let i)): return Int32(i)
        case (.indexed256, .rgb(let r, let g, let b)): return Int32(Self.nearest256(r, g, b))
        case (.ansi16, .indexed(let i)):
            if i < 16 { return Int32(i) }
            let (r, g, b) = Self.rgb(ofIndex: i)
            return Int32(Self.nearest16(r, g, b))
        case (.ansi16, .rgb(let r, let g, let b)): return Int32(Self.nearest16(r, g, b))
        }
    }

    /// The xterm palette's first 16 colours.
    static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func rgb(ofIndex i: UInt8) -> (UInt8, UInt8, UInt8) {
        if i < 16 { return ansiPalette[Int(i)] }
        if i >= 232 {
            let v = UInt8(8 + 10 * (Int(i) - 232))
            return (v, v, v)
        }
        let n = Int(i) - 16
        return (UInt8(cubeLevels[n / 36]), UInt8(cubeLevels[(n / 6) % 6]), UInt8(cubeLevels[n % 6]))
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }

    /// Nearest of the 6x6x6 cube and the 24 greys (the first 16 vary between terminals).
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int {
            cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) } ?? 0
        }
        let cube = UInt8(16 + 36 * level(r) + 6 * level(g) + level(b))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = UInt8(232 + min(23, max(0, (average - 3) / 10)))
        return distance(rgb(ofIndex: cube), (r, g, b)) <= distance(rgb(ofIndex: grey), (r, g, b)) ? cube : grey
    }

    static func nearest16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        UInt8(ansiPalette.indices.min { distance(ansiPalette[$0], (r, g, b)) < distance(ansiPalette[$1], (r, g, b)) } ?? 7)
    }
}
