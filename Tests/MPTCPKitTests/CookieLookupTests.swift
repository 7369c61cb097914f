import TestSupport
import XCTest
@testable import MPTCPKit

/// The cursor over the previous sample's cookies answers as a Dictionary of last positions did,
/// whatever the next sample does: same order, reordered, sockets new or gone, a cookie twice, 0.
final class CookieLookupTests: XCTestCase {
    /// What a Dictionary from cookie to its last position gives.
    private func lastPositions(_ cookies: [UInt64]) -> [UInt64: Int] {
        var d: [UInt64: Int] = [:]
        for (p, c) in cookies.enumerated() { d[c] = p }
        return d
    }

    /// A next sample made from `previous`: some gone, some new, some swapped, at times a duplicate.
    private func next(after previous: [UInt64], _ g: inout SplitMix64, fresh: inout UInt64) -> [UInt64] {
        var out: [UInt64] = []
        for c in previous where g.below(20) != 0 { out.append(c) } // 1 in 20 gone
        if !out.isEmpty, g.below(3) == 0 { // reordered somewhere
            let i = g.below(out.count), j = g.below(out.count)
            out.swapAt(i, j)
        }
        for _ in 0..<g.below(4) { // new ones, anywhere
            fresh += 1
            out.insert(fresh, at: g.below(out.count + 1))
        }
        if !out.isEmpty, g.below(8) == 0 { out.insert(out[g.below(out.count)], at: g.below(out.count + 1)) } // listed twice
        if g.below(10) == 0 { out.insert(0, at: g.below(out.count + 1)) } // cookie 0
        return out
    }

    func testAnswersAsADictionaryOfLastPositionsOverManySamples() {
        var g = SplitMix64(seed: 12)
        for _ in 0..<200 {
            var fresh: UInt64 = 1000
            var previous = (1...UInt64(g.below(60) + 1)).map { $0 * 7 }
            var unique = true
            for _ in 0..<12 {
                let current = g.below(4) == 0 ? previous : next(after: previous, &g, fresh: &fresh)
                let expected = lastPositions(previous)
                var lookup = CookieLookup(cookies: previous, unique: unique)
                for c in current { XCTAssertEqual(lookup.position(of: c), expected[c], "cookie \(c) of \(current) in \(previous)") }
                unique = lookup.allHit(current.count)
                if unique { XCTAssertEqual(Set(current).count, current.count, "claimed distinct: \(current)") }
                previous = current
            }
        }
    }

    func testTheSameOrderIsAllHitsAndStaysKnownDistinct() {
        var lookup = CookieLookup(cookies: [5, 9, 2, 0, 11], unique: true)
        XCTAssertEqual([5, 9, 2, 0, 11].map { lookup.position(of: $0) }, [0, 1, 2, 3, 4])
        XCTAssertTrue(lookup.allHit(5))
        var gone = CookieLookup(cookies: [5, 9, 2, 11], unique: true)
        XCTAssertEqual([5, 2, 11].map { gone.position(of: $0) }, [0, 2, 3], "after the gap the cursor walks on")
        XCTAssertFalse(gone.allHit(3))
    }

    func testAPreviousCookieListedTwiceAnswersItsLastPosition() {
        // Not known distinct (what a sample passes on after any miss): the index finds the duplicate.
        var lookup = CookieLookup(cookies: [5, 9, 5, 11], unique: false)
        XCTAssertEqual([5, 9, 5, 11].map { lookup.position(of: $0) }, [2, 1, 2, 3])
        XCTAssertFalse(lookup.unique)
        XCTAssertFalse(lookup.allHit(4))
        var zeros = CookieLookup(cookies: [0, 3, 0], unique: false)
        XCTAssertEqual(zeros.position(of: 0), 2)
        XCTAssertNil(zeros.position(of: 4))
    }

    func testOpenIndexKeepsCookiesPastGrowth() {
        var index = OpenIndex<UInt64>(capacity: 2)
        for k in UInt64(1)...5_000 { XCTAssertTrue(index.insert(k << 33 | k, Int32(k))) } // differ only above bit 32 too
        for k in UInt64(1)...5_000 { XCTAssertEqual(index[k << 33 | k], Int32(k)) }
        XCTAssertNil(index[1])
        XCTAssertFalse(index.insert(1 << 33 | 1, 9), "added again")
        XCTAssertEqual(index[1 << 33 | 1], 9)
        XCTAssertFalse(index.insert(0, 1))
        XCTAssertNil(index[0])
    }
}

extension SplitMix64 {
    /// 0..<n (0 when n is 0).
    mutating func below(_ n: Int) -> Int { n > 0 ? Int.random(in: 0..<n, using: &self) : 0 }
}
