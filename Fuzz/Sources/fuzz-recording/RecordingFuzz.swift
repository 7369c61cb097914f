import FuzzInput
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// Recordings handed to `mptop replay`: `RecordingReader` reads a file, so each input is written
/// to one in /dev/shm (memory) and read the ways replay reads it: every sample (rendered as JSON),
/// the checked block index, and a rewind into the middle.
let path = "/dev/shm/mptop-fuzz-recording-\(getpid())"

func fuzzRecording(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return 0 }
    if let data, size > 0 { _ = write(fd, data, size) }
    close(fd)
    guard let reader = try? RecordingReader(path: path) else { return 0 }
    var times: [Double] = []
    while let sample = try? reader.next(), times.count < 10_000 {
        _ = SnapshotJSON.render(sample.snapshot)
        times.append(sample.snapshot.time)
    }
    if (try? reader.blocks(verify: true)) != nil, let middle = times.dropFirst(times.count / 2).first {
        try? reader.rewind(before: middle)
        _ = try? reader.next()
    }
    return 0
}
