import ArgumentParser
import MPTCPKit
import Output
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// `mptop capture DIR`: saves the raw replies of the four sock_diag dumps, byte for byte, so
/// the decoders can be tested on what a real kernel sent (Tests/MPTCPKitTests/Fixtures).
struct CaptureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Save the kernel's raw sock_diag replies (for test fixtures).",
        discussion: """
        Writes mptcp-ipv4.nl, mptcp-ipv6.nl, tcp-ipv4.nl and tcp-ipv6.nl into DIR: the kernel's \
        reply messages, concatenated.
        """)

    @Argument(help: ArgumentHelp("The directory to write to.", valueName: "DIR"), completion: .directory)
    var directory: String?

    @OptionGroup var namespace: NamespaceOption

    func validate() throws {
        guard directory != nil else { throw MPTopError.usage("mptop capture needs a directory to write to") }
    }

    func run() throws {
        guard let dir = directory else { return }
        let namespace = self.namespace.netns
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
            // A short write or a failed close (disk full) must not leave a truncated fixture
            // that looks whole.
            do throws(Errno) {
                let f = try Errno.catching {
                    try FileDescriptor.open(FilePath(path), .writeOnly, options: [.create, .truncate, .closeOnExec],
                                            permissions: FilePermissions(rawValue: 0o666))
                }
                do { _ = try Errno.catching { try f.writeAll(bytes) } } catch { try? f.close(); throw error }
                try Errno.catching { try f.close() }
            } catch {
                throw SystemCallError(.write, path, error)
            }
            try Console.out("\(path.escapedForTerminal): \(bytes.count) bytes\n")
        }
    }
}
