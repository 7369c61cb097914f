import FuzzInput
import MPTCPKit
import Output

/// Generic-netlink path-manager events (`mptcp_pm_events`) as `mptop events` and the dashboard
/// take them: decode, the text line, the JSON line, the bounded log and its filter, and the
/// closed-subflow bookkeeping that events feed.
func fuzzPathManagerEvents(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var log = PathManagerEventLog(capacity: 8)
    var departures = Departures()
    for (i, m) in FuzzInput(data, size).messages.enumerated() {
        guard let e = PathManagerEventDecoder.decode(m, familyID: nil, time: 1_795_241_547.5 + Double(i), monotonic: UInt64(i)) else { continue }
        _ = PathManagerEventText.line(e)
        _ = PathManagerEventJSON.render(e)
        log.append(e)
        departures.note(e)
    }
    _ = log.filtered("198.18")
    _ = log.filtered("cell0")
    return 0
}
