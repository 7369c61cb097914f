/// One character cell: a character one column wide and its style.
public struct Cell: Hashable, Sendable {
    public var character: Unicode.Scalar
    public var style: Style

    public init(_ character: Unicode.Scalar = " ", _ style: Style = .plain) {
        self.character = character
        self.style = style
    }
}
