import CNetlink
#if canImport(Glibc)
import Glibc
#endif

/// What one `drain()` brought: the decoded events, and whether the kernel dropped some.
public struct PathManagerEventBatch: Sendable {
    public var events: [PathManagerEvent] = []
    /// The socket's receive buffer overflowed (ENOBUFS) since the last drain: events were lost,
    /// so the caller should trust the next dump over what the events suggested.
    public var overrun = false

    public init(events: [PathManagerEvent] = [], overrun: Bool = false) {
        self.events = events
        self.overrun = overrun
    }
}

/// A subscription to the `mptcp_pm_events` multicast group of the namespace the calling thread
/// is in when it is created (events, like everything MPTCP, are per network namespace).
///
/// Wait for `fd` to become readable (poll/epoll, together with stdin or a timer), then call
/// `drain()`: it never blocks. Events are hints: a CLOSED can be missing (docs/kernel.md, "Path-manager events"), so
/// reconcile them with the next sock_diag dump.
public final class PathManagerEventSource {
    /// The one-line message for a subscription refused for lack of CAP_NET_ADMIN.
    public static let permissionMessage = "subscribing to MPTCP events needs CAP_NET_ADMIN (run as root)"

    public let family: GenericNetlinkFamily
    private let socket: NetlinkSocket
    private let clock: Clock
    private let interfaces: InterfaceTable?
    private var interfacesRefreshedAt: UInt64 = 0
    /// Called with every event message as received, before decoding (`mptop events --save`
    /// records fixtures with it).
    public var recorder: ((NetlinkMessage) -> Void)?

    /// The descriptor to poll for POLLIN. It stays owned by the source.
    public var fd: Int32 { socket.fd }

    /// Subscribes in the calling thread's namespace. Throws `MPTopError.permission` with
    /// `permissionMessage` without CAP_NET_ADMIN (the dashboard then polls only),
    /// `.mptcpMissing` when the kernel has no `mptcp_pm` family.
    /// `resolveInterfaces` opens an rtnetlink socket to name interfaces (bound device, else the
    /// owner of the local address). `receiveBuffer` is what is asked for with SO_RCVBUF (the
    /// kernel caps it at net.core.rmem_max and doubles it); a burst larger than the buffer
    /// while nobody drains is an overrun.
    public init(clock: Clock = .system, resolveInterfaces: Bool = true, receiveBuffer: Int = 1 << 20) throws {
        socket = try NetlinkSocket(.generic, receiveBuffer: receiveBuffer)
        do {
            family = try GenericNetlinkFamily.resolve("mptcp_pm", on: socket)
        } catch MPTopError.netlink(_, let e) where e == ENOENT {
            throw MPTopError.mptcpMissing
        }
        guard let group = family.groups["mptcp_pm_events"] else {
            throw MPTopError.io("this kernel's mptcp_pm netlink family has no 'mptcp_pm_events' group")
        }
        let r = mptop_netlink_join_group(socket.fd, group)
        if r == -EPERM || r == -EACCES { throw MPTopError.permission(Self.permissionMessage) }
        guard r == 0 else { throw MPTopError.netlink("cannot subscribe to MPTCP events", errno: -r) }
        // Non-blocking from here on: drain() reads until EAGAIN.
        let fl = fcntl(socket.fd, F_GETFL)
        _ = fcntl(socket.fd, F_SETFL, fl | O_NONBLOCK)
        self.clock = clock
        if resolveInterfaces, let table = try? InterfaceTable() {
            try? table.refresh()
            interfaces = table
            interfacesRefreshedAt = clock.monotonicNanos()
        } else {
            interfaces = nil
        }
    }

    /// Reads every event waiting on the socket (at most `limit` datagrams) without blocking.
    /// Malformed messages are skipped; an overrun is reported in the batch, never thrown.
    public func drain(limit: Int = 4096) -> PathManagerEventBatch {
        var batch = PathManagerEventBatch()
        var reads = 0
        while reads < limit {
            reads += 1
            do {
                try socket.receive { view in
                    let time = clock.wallSeconds(), mono = clock.monotonicNanos()
                    for m in NetlinkMessages(view) {
                        if m.type == family.id { recorder?(m) }
                        if let e = PathManagerEventDecoder.decode(m, familyID: family.id, time: time, monotonic: mono) {
                            batch.events.append(e)
                        }
                    }
                }
            } catch MPTopError.netlink(_, let e) where e == ENOBUFS {
                batch.overrun = true
            } catch {
                break // EAGAIN: nothing more waiting (or a datagram too large to matter here)
            }
        }
        if !batch.events.isEmpty { nameInterfaces(&batch.events) }
        return batch
    }

    /// Blocks up to `timeout` seconds for events, then drains. For simple loops and tests;
    /// an event loop polls `fd` itself.
    public func wait(timeout: Double) -> PathManagerEventBatch {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ms = Int32(max(0, min(timeout, 86_400)) * 1000)
        _ = poll(&p, 1, ms)
        return drain()
    }

    /// Fills `interfaceName`: the bound device, else the interface owning the local address, else
    /// the route to the peer (a server answering from an address on `lo`).
    /// The table is re-read (at most every 100 ms) when an event names an unknown interface.
    private func nameInterfaces(_ events: inout [PathManagerEvent]) {
        guard let interfaces else { return }
        func lookup(_ e: PathManagerEvent) -> String? {
            if let i = e.interfaceIndex, i > 0 { return interfaces.name(of: UInt32(i)) }
            guard !e.kind.isListenerEvent, let l = e.local?.address, let r = e.remote?.address,
                  let index = interfaces.resolve(local: l, remote: r, bound: 0) else { return nil }
            return interfaces.name(of: index)
        }
        var missing = false
        for i in events.indices {
            events[i].interfaceName = lookup(events[i])
            if events[i].interfaceName == nil && (events[i].interfaceIndex ?? 0) > 0 { missing = true }
        }
        let now = clock.monotonicNanos()
        if missing, now &- interfacesRefreshedAt > 100_000_000, (try? interfaces.refresh()) != nil {
            interfacesRefreshedAt = now
            for i in events.indices where events[i].interfaceName == nil { events[i].interfaceName = lookup(events[i]) }
        }
    }
}
