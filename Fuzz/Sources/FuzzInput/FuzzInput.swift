import CFuzzer
import Glibc
import MPTCPKit

/// The bytes libFuzzer hands to a target (one input), viewed the way mptop's decoders see
/// a socket's or a file's contents.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size)
    }

    public var view: ByteView { ByteView(bytes) }

    /// The bytes as a file's text, as `TextFile.read` makes it (invalid UTF-8 replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Every netlink message, as `NetlinkSocket` receives them in one stream.
    public var messages: [NetlinkMessage] { Array(NetlinkMessages(view)) }

    /// The messages split into dumps at each NLMSG_DONE, as the replies to consecutive dump
    /// requests arrive; the DONE messages themselves are left out.
    public var dumps: [[NetlinkMessage]] {
        var out: [[NetlinkMessage]] = [[]]
        for m in NetlinkMessages(view) {
            if m.type == NetlinkConstants.typeDone { out.append([]) } else { out[out.count - 1].append(m) }
        }
        return out
    }
}

/// Runs libFuzzer on `target` with this process's arguments (`-runs=`, corpus directories...).
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = Optional(CommandLine.unsafeArgv)
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
