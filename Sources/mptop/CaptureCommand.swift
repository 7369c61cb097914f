import MPTCPKit
#if canImport(Glibc)
import Glibc
#endif

/// `mptop capture DIR`: saves the raw replies of the four sock_diag dumps, byte for byte, so
/// the decoders can be tested on what a real kernel sent (Tests/MPTCPKitTests/Fixtures).
enum CaptureCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var scan = ArgumentScanner(args)
        var dir: String?
        var namespace: String?
        while let w = scan.next() {
            switch w {
            case "--netns", "-n": namespace = try scan.namespace(for: w)
            case "--help", "-h":
                try Console.out("usage: mptop capture DIR [--netns NAME]\n  writes mptcp-ipv4.nl, mptcp-ipv6.nl, tcp-ipv4.nl, tcp-ipv6.nl: the kernel's reply messages, concatenated\n")
                return 0
            default:
                guard !w.hasPrefix("-"), dir == nil else { throw ArgumentScanner.unknown(w, in: "mptop capture") }
                dir = w
            }
        }
        guard let dir else { throw MPTopError.usage("mptop capture needs a directory to write to") }
        if let namespace { try NetworkNamespace.enter(namespace) }
        let socket = try NetlinkSocket(.sockDiag)
        let dumps: [(String, NetlinkRequestBuilder)] = [
            ("mptcp-ipv4", SockDiagRequest.mptcp(family: .ipv4)), ("mptcp-ipv6", SockDiagRequest.mptcp(family: .ipv6)),
            ("tcp-ipv4", SockDiagRequest.tcp(family: .ipv4)), ("tcp-ipv6", SockDiagRequest.tcp(family: .ipv6)),
        ]
        for (name, request) in dumps {
            var bytes: [UInt8] = []
            try socket.dump(request) { m in bytes += m.encoded() }
            let path = "\(dir)/\(name).nl"
            guard let f = fopen(path, "wb") else { throw MPTopError.io("cannot write \(path): \(MPTopError.errnoText(errno))") }
            // A short write or a failed close (disk full) must not leave a truncated fixture
            // that looks whole.
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
            let code = written == bytes.count ? 0 : errno
            if fclose(f) != 0 || code != 0 {
                throw MPTopError.io("cannot write \(path): \(MPTopError.errnoText(code != 0 ? code : errno))")
            }
            try Console.out("\(path.escapedForTerminal): \(bytes.count) bytes\n")
        }
        return 0
    }
}
