/// The process that owns a socket, found through /proc/PID/fd like `ss -p`.
public struct ProcessRef: Hashable, Sendable {
    public let pid: Int32
    public let name: String

    public init(pid: Int32, name: String) {
        self.pid = pid
        self.name = name
    }
}

/// One TCP subflow of an MPTCP connection.
public struct Subflow: Sendable {
    public var local: SocketAddress
    public var remote: SocketAddress
    public var state: SocketState
    /// The device the subflow is bound to (`idiag_if`), 0 when not bound.
    public var boundInterfaceIndex: UInt32
    /// The interface that carries it: the bound device, else the one owning the local address,
    /// else the route to the peer. Nil when none could be found.
    public var interfaceIndex: UInt32?
    public var interfaceName: String?
    /// Socket cookie: unique per socket, what SOCK_DESTROY matches on.
    public var cookie: UInt64
    public var inode: UInt32
    public var uid: UInt32
    /// The subflow's tcp_info, nil when the kernel gave none.
    public var tcp: TCPInfo? {
        @inlinable get { hasTCPInfo ? tcpInfo : nil }
        set {
            tcpInfo = newValue ?? TCPInfo()
            hasTCPInfo = newValue != nil
        }
    }
    /// The tcp_info as it is kept: with no field known (`TCPInfo()`, every field nil) when the
    /// kernel gave none, so that field by field it reads as `tcp?.x` does. Not an Optional, so
    /// that a writer reading a subflow through a pointer reads the fields in place:
    /// `sf.pointee.tcp?.rtt` copied all 160 bytes out for each field it read. Code that reads
    /// a few fields reads them here (`s.tcpInfo.rtt`) for the same reason.
    public private(set) var tcpInfo = TCPInfo()
    @usableFromInline var hasTCPInfo = false
    public var ulp: SubflowULPInfo?
    public var congestion: String?
    /// Bits per second over the last interval (nil on the first sample of a subflow).
    public var txRate: Double?
    public var rxRate: Double?

    public init(local: SocketAddress, remote: SocketAddress, state: SocketState, boundInterfaceIndex: UInt32,
                cookie: UInt64, inode: UInt32, uid: UInt32) {
        self.local = local
        self.remote = remote
        self.state = state
        self.boundInterfaceIndex = boundInterfaceIndex
        self.cookie = cookie
        self.inode = inode
        self.uid = uid
    }

    /// Bytes this subflow carried: acked data sent plus data received.
    public var bytesCarried: UInt64 { (tcpInfo.bytesAcked ?? 0) &+ (tcpInfo.bytesReceived ?? 0) }
    @inlinable public var backup: Bool { (ulp?.backupLocal ?? false) || (ulp?.backupRemote ?? false) }
}

/// An interface's share of the bytes of one connection.
public struct InterfaceShare: Sendable, Equatable {
    public let name: String
    public let share: Double

    public init(name: String, share: Double) {
        self.name = name
        self.share = share
    }
}

/// One MPTCP connection (an msk) and its subflows.
public struct Connection: Sendable {
    public var local: SocketAddress
    public var remote: SocketAddress
    public var state: SocketState
    public var cookie: UInt64
    public var inode: UInt32
    public var uid: UInt32
    public var info: MPTCPInfo?
    public var subflows: [Subflow] = []
    public var process: ProcessRef?
    /// Bits per second over the last interval (nil on a connection's first sample).
    public var txRate: Double?
    public var rxRate: Double?
    /// Share of this connection's subflow bytes per interface, largest first.
    public var interfaceShares: [InterfaceShare] = []

    public init(local: SocketAddress, remote: SocketAddress, state: SocketState, cookie: UInt64, inode: UInt32, uid: UInt32) {
        self.local = local
        self.remote = remote
        self.state = state
        self.cookie = cookie
        self.inode = inode
        self.uid = uid
    }

    /// The connection's token, nil when the kernel gave no mptcp_info for it (nothing to name it by).
    // Inlinable, as the other small accessors the writers read: from another module a call
    // takes the connection by value, and a copy retains every string and array in it.
    @inlinable public var token: UInt32? { info?.token }
    @inlinable public var fallback: Bool { info?.fallback ?? false }
}

/// A listening MPTCP socket.
public struct Listener: Sendable {
    public var local: SocketAddress
    public var inode: UInt32
    public var uid: UInt32
    public var process: ProcessRef?
}

/// Bytes and rates one interface carried for MPTCP subflows, host-wide (in the namespace).
public struct InterfaceUsage: Sendable {
    public var name: String
    public var index: UInt32
    public var bytesTx: UInt64 = 0
    public var bytesRx: UInt64 = 0
    /// Share (0...1) of all bytes carried by MPTCP subflows.
    public var share: Double = 0
    public var txRate: Double?
    public var rxRate: Double?
    public var subflows: Int = 0

    public var bytes: UInt64 { bytesTx &+ bytesRx }
}

/// Everything one sample saw, already joined: the unit the rest of mptop works on.
public struct Snapshot: Sendable {
    /// Wall-clock seconds since the epoch.
    public var time: Double
    /// Monotonic nanoseconds, for rates.
    public var monotonic: UInt64
    public var namespace: String?
    public var connections: [Connection] = []
    public var listeners: [Listener] = []
    public var interfaces: [InterfaceUsage] = []
    /// Subflows whose connection was not in the MPTCP dump (it changed between the two dumps).
    public var unmatchedSubflows = 0
    /// The kernel flagged a dump as interrupted: the socket tables changed mid-walk.
    public var interrupted = false

    public init(time: Double, monotonic: UInt64, namespace: String?) {
        self.time = time
        self.monotonic = monotonic
        self.namespace = namespace
    }

    /// Through the array's storage: `reduce` copied every connection (and retained all it holds)
    /// to count its subflows.
    public var subflowCount: Int {
        connections.withUnsafeBufferPointer { cs in
            var n = 0
            for k in cs.indices { n += (cs.baseAddress! + k).pointee.subflows.count }
            return n
        }
    }
}
