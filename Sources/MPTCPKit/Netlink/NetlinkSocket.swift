import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// A netlink socket bound in the calling thread's network namespace.
///
/// Requests are synchronous: send, then read replies until DONE or an ACK/error. One receive
/// buffer is reused for the socket's whole life, so a dump allocates nothing per datagram.
///
/// Only the kernel is listened to: the socket is connected to port 0, so the kernel refuses
/// unicast to it from any process, and a datagram from any other port (multicast from a
/// process with CAP_NET_ADMIN in the namespace) is dropped unread. A root container could
/// otherwise forge connections, events, an early end of a dump, or errors.
public final class NetlinkSocket {
    public enum Kind: Int32 { case route = 0, sockDiag = 4, generic = 16 }

    public let fd: Int32
    /// Datagrams dropped because a process, not the kernel, sent them.
    public private(set) var foreignDatagrams = 0
    private var sequence: UInt32 = 0
    private var buffer: UnsafeMutableRawBufferPointer

    /// The kernel caps a dump datagram at 32 KiB; 64 KiB leaves room for any single message.
    public init(_ proto: Kind, receiveBuffer: Int = 1 << 20) throws {
        let fd = mptop_netlink_open(proto.rawValue, Int32(receiveBuffer))
        guard fd >= 0 else { throw MPTopError.netlink("cannot open netlink socket", errno: -fd) }
        self.fd = fd
        buffer = .allocate(byteCount: 64 * 1024, alignment: 8)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    public func nextSequence() -> UInt32 {
        sequence &+= 1
        return sequence
    }

    public func send(_ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { mptop_netlink_send(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw MPTopError.netlink("netlink send failed", errno: Int32(-n)) }
    }

    /// Sends `bytes` to another socket's `port` and/or multicast `groups` (a bitmask): what a
    /// process forging kernel messages does, for the tests that show they are ignored.
    public func send(_ bytes: [UInt8], toPort port: UInt32, groups: UInt32 = 0) throws {
        let n = bytes.withUnsafeBytes { mptop_netlink_send_to(fd, $0.baseAddress, $0.count, port, groups) }
        guard n >= 0 else { throw MPTopError.netlink("netlink send failed", errno: Int32(-n)) }
    }

    /// This socket's port id (`nl_pid`), the address a forger would send to.
    public var port: UInt32 {
        let p = mptop_netlink_port(fd)
        return p >= 0 ? UInt32(truncatingIfNeeded: p) : 0
    }

    /// Receives one datagram from the kernel and hands it to `body`; datagrams from anyone
    /// else are dropped and the next one read. The view is valid only inside `body`.
    public func receive<T>(_ body: (ByteView) throws -> T) throws -> T {
        let n = try receive(into: buffer)
        return try body(ByteView(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<n])))
    }

    /// Receives one datagram from the kernel into `storage` and returns its length; datagrams
    /// from anyone else are dropped and the next one read. One larger than `storage` throws.
    public func receive(into storage: UnsafeMutableRawBufferPointer) throws -> Int {
        var truncated: Int32 = 0, fromKernel: Int32 = 0
        while true {
            let n = mptop_netlink_recv(fd, storage.baseAddress, storage.count, &truncated, &fromKernel)
            guard n >= 0 else { throw MPTopError.netlink("netlink receive failed", errno: Int32(-n)) }
            guard fromKernel != 0 else { foreignDatagrams += 1; continue }
            guard truncated == 0 else { throw MPTopError.malformed("datagram larger than \(storage.count) bytes") }
            return n
        }
    }

    /// Sends a dump request and calls `onMessage` for each reply message until NLMSG_DONE.
    ///
    /// Throws `.netlink` with the kernel's errno for an NLMSG_ERROR reply. Returns true when the
    /// kernel flagged the dump as interrupted (the table changed while it was walked).
    @discardableResult
    public func dump(_ request: NetlinkRequestBuilder, onMessage: (NetlinkMessage) throws -> Void) throws -> Bool {
        let seq = nextSequence()
        try send(request.finish(sequence: seq))
        var interrupted = false
        while try !receive({ try Self.walkDump($0, sequence: seq, interrupted: &interrupted, onMessage: onMessage) }) {}
        return interrupted
    }

    /// One datagram of the dump numbered `seq`: hands its messages to `onMessage` and returns
    /// true at the dump's end (NLMSG_DONE, or an ACK). Sets `interrupted` when the kernel
    /// flagged a message so; throws `.netlink` with the kernel's errno for an error reply, and
    /// `.malformed` for an overrun or a truncated message. Messages of other sequence numbers
    /// (stale replies of an earlier request) are skipped.
    static func walkDump(_ view: ByteView, sequence seq: UInt32, interrupted: inout Bool,
                         onMessage: (NetlinkMessage) throws -> Void) throws -> Bool {
        var messages = NetlinkMessages(view)
        while let m = messages.next() {
            guard m.sequence == seq else { continue }
            if m.flags & NetlinkConstants.flagDumpInterrupted != 0 { interrupted = true }
            switch m.type {
            case NetlinkConstants.typeDone:
                return true
            case NetlinkConstants.typeError:
                let e = NetlinkConstants.errno(ofError: m)
                if e == 0 { return true }
                let detail = NetlinkExtendedAck.message(in: m).map { ": \($0.escapedForTerminal)" } ?? ""
                throw MPTopError.netlink("kernel refused the request\(detail)", errno: e)
            case NetlinkConstants.typeOverrun:
                throw MPTopError.malformed("netlink overrun")
            default:
                try onMessage(m)
            }
        }
        if messages.malformed { throw MPTopError.malformed("truncated netlink message") }
        return false
    }

    /// Sends single-socket requests (no NLM_F_DUMP; one reply each, a message or an error) in
    /// one datagram and hands each answer to `onMessage`: what "dump one" costs for hundreds of
    /// sockets is then a few system calls, not two per socket. Answers must fit the receive
    /// buffer together (the kernel drops what does not), so callers send batches of a few hundred.
    /// A request refused with an errno in `tolerated` (ENOENT: the socket closed meanwhile) is
    /// skipped; any other refusal throws.
    public func exchange(_ requests: [NetlinkRequestBuilder], tolerated: Set<Int32> = [ENOENT],
                         onMessage: (NetlinkMessage) throws -> Void) throws {
        guard !requests.isEmpty else { return }
        let first = sequence &+ 1
        var datagram: [UInt8] = []
        for r in requests { datagram.append(contentsOf: r.finish(sequence: nextSequence())) }
        try send(datagram)
        var pending = requests.count
        while pending > 0 {
            try receive { view in
                var messages = NetlinkMessages(view)
                while let m = messages.next() {
                    // Only answers to this batch, each once (sequence numbers are ours, in order).
                    guard m.sequence &- first < UInt32(requests.count) else { continue }
                    pending -= 1
                    switch m.type {
                    case NetlinkConstants.typeError:
                        let e = NetlinkConstants.errno(ofError: m)
                        guard e == 0 || tolerated.contains(e) else {
                            throw MPTopError.netlink("kernel refused the request", errno: e)
                        }
                    case NetlinkConstants.typeDone, NetlinkConstants.typeOverrun:
                        throw MPTopError.malformed("unexpected end of a single-socket answer")
                    default:
                        try onMessage(m)
                    }
                }
                if messages.malformed { throw MPTopError.malformed("truncated netlink message") }
            }
        }
    }

    /// Sends a request with NLM_F_ACK and waits for the ACK (or error). Replies other than the
    /// ACK are handed to `onMessage`.
    public func request(_ request: NetlinkRequestBuilder, onMessage: (NetlinkMessage) throws -> Void = { _ in }) throws {
        try dump(request, onMessage: onMessage)
    }
}
