#if canImport(Glibc)
import Glibc
#endif

/// What tells apart the changes of one failover test: the pid of the mptop that ran it and a
/// few hex digits of the clock (the dashboard can run two tests in one process). It names the
/// test's nftables table (`mptop_failover_<id>`) and its journal (`journal-<id>.txt`), so a
/// journal can only ever delete the table of its own run.
public struct ActionRunID: Equatable, Sendable, CustomStringConvertible {
    public let pid: Int32
    /// At most 6 hex digits.
    public let serial: UInt32

    public init?(pid: Int32, serial: UInt32) {
        guard pid > 0, serial <= 0xff_ffff else { return nil }
        self.pid = pid
        self.serial = serial
    }

    /// A fresh id for this process.
    public static func make() -> ActionRunID {
        ActionRunID(pid: getpid(), serial: UInt32(truncatingIfNeeded: Clock.system.monotonicNanos() / 1_000_000 & 0xff_ffff))!
    }

    /// "PID_HEX", lower-case hex without leading zeros.
    public var description: String { "\(pid)_\(String(serial, radix: 16))" }

    /// Parses exactly what `description` writes (so "0x1f", "+5" or "01_a" are refused).
    public init?(_ text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].isDecimalNumber, let pid = Int32(parts[0]),
              parts[1].count <= 6, let serial = UInt32(parts[1], radix: 16) else { return nil }
        self.init(pid: pid, serial: serial)
        guard description == text else { return nil }
    }
}
