import FuzzInput
import MPTCPKit

/// /proc/net/netstat text: the MPTcpExt counters, their groups and the deltas between reads.
func fuzzCounters(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let counters = MPTCPCounters.parse(netstat: FuzzInput(data, size).text) else { return 0 }
    _ = MPTCPCounterChange.grouped(MPTCPCounterChange.between(nil, counters))
    _ = MPTCPCounterChange.between(counters, counters)
    return 0
}
