import MPTCPKit

/// Path-manager events counted since the exporter subscribed: per type, and closed subflows per
/// interface and reason. Label values are short and drawn from small sets, so the number of
/// series stays bounded whatever the kernel sends.
public struct EventCounters: Sendable {
    public struct ClosedKey: Hashable, Sendable {
        public let interface: String
        public let reason: String
    }

    public private(set) var byType: [String: UInt64] = [:]
    public private(set) var subflowsClosed: [ClosedKey: UInt64] = [:]
    /// Drains in which the kernel dropped events (the receive buffer overflowed).
    public private(set) var overruns: UInt64 = 0

    public init() {}

    public mutating func record(_ batch: PathManagerEventBatch) {
        if batch.overrun { overruns += 1 }
        for e in batch.events {
            byType[e.kind.name, default: 0] += 1
            if e.kind == .subflowClosed {
                subflowsClosed[ClosedKey(interface: e.interfaceName ?? "unknown", reason: Self.reason(of: e)), default: 0] += 1
            }
        }
    }

    /// Why a subflow closed, as a label value: `reset_<RFC 8684 name>` when the peer sent
    /// MP_TCPRST, else the errno's name (`ECONNRESET`, `ETIMEDOUT`, ...), else `none` for a
    /// clean close. Numbers the tables do not know become `reset_code_N` / `errno_N`, both
    /// bounded by the kernel's field sizes.
    public static func reason(of event: PathManagerEvent) -> String {
        if let r = event.resetReason {
            return "reset_" + (r.name ?? "code_\(min(r.code, 256))")
        }
        if let e = event.error {
            return e.name ?? "errno_\(min(max(e.errno, 0), 4096))"
        }
        return "none"
    }
}
