import FuzzInput
import MPTCPKit
import Output

/// The sock_diag stream through everything a sample does after the dump: decode, join,
/// interface shares, rates (`FuzzInput.samples`), then closed-connection bookkeeping and both
/// outputs (text and JSON).
func fuzzSockDiag(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var departures = Departures()
    for snapshot in FuzzInput(data, size).samples {
        departures.update(with: snapshot)
        _ = SnapshotJSON.render(snapshot)
        _ = SnapshotTable.render(snapshot)
    }
    return 0
}
