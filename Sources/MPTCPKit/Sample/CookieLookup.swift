/// Finds the sockets of one sample in the sample before, by socket cookie, without hashing in
/// the steady state.
///
/// The kernel dumps its sockets in the same order sample after sample, so the previous
/// sample's cookies are kept in their order and a cursor walks them: the same cookie at the
/// cursor is a hit (two Dictionaries keyed by cookie, rebuilt at every sample, were most of
/// `RateTracker.annotate` in `perf` at 10,000 connections). The first miss (a socket that came
/// or went, or another order) builds an index of the previous cookies, which answers the rest.
///
/// Answers are what a Dictionary from cookie to its last position would give, also when the
/// previous sample listed a cookie twice (an interrupted dump can): the cursor is trusted only
/// while the previous cookies are known to be distinct (`unique`), which a sample passes on to
/// the next when every one of its cookies was a hit (the hits are then a one-to-one match with
/// distinct cookies); otherwise the index is built, which finds out.
public struct CookieLookup {
    public let cookies: [UInt64]
    /// Whether `cookies` are known to hold each cookie once.
    private(set) var unique: Bool
    private var index: OpenIndex<UInt64>?
    /// Where cookie 0 was last (the index leaves 0 out).
    private var zero: Int?
    private var cursor = 0
    /// Lookups answered at the cursor.
    private(set) var hits = 0

    public init(cookies: [UInt64], unique: Bool) {
        self.cookies = cookies
        self.unique = unique
    }

    /// The last position of `cookie` among `cookies`, nil when it is not there.
    public mutating func position(of cookie: UInt64) -> Int? {
        if !unique && index == nil { buildIndex() }
        if unique, cursor < cookies.count, cookies[cursor] == cookie {
            cursor += 1
            hits += 1
            return cursor - 1
        }
        if index == nil { buildIndex() }
        guard let p = cookie == 0 ? zero : index?[cookie].map(Int.init) else { return nil }
        cursor = p + 1
        return p
    }

    /// Whether `count` lookups, one per cookie of the next sample, leave that sample's cookies
    /// known to be distinct: every one was a hit.
    public func allHit(_ count: Int) -> Bool { unique && hits == count }

    private mutating func buildIndex() {
        var built = OpenIndex<UInt64>(capacity: cookies.count)
        var distinct = true
        for (p, c) in cookies.enumerated() {
            if c == 0 {
                if zero != nil { distinct = false }
                zero = p
            } else if !built.insert(c, Int32(truncatingIfNeeded: p)) {
                distinct = false
            }
        }
        index = built
        unique = distinct
    }
}
