/// One of the lab's two network paths between client and server. Each is a veth pair whose two
/// ends carry the same name in their own namespace.
public enum LabPath: String, CaseIterable, Sendable {
    /// The preferred path (route metric 1): the initial subflow goes here.
    case wifi
    /// The second path (route metric 2): the client's `subflow` endpoint adds a subflow here.
    case cell
    /// A third path, not built at first: the demo adds it on request (`Lab.addPath`).
    case wired

    /// The paths every lab starts with.
    public static let initial: [LabPath] = [.wifi, .cell]

    /// The interface name on both ends: "wifi0" or "cell0".
    public var interface: String {
        switch self {
        case .wifi: return "wifi0"
        case .cell: return "cell0"
        case .wired: return "eth0"
        }
    }

    /// The third octet / IPv6 subnet number that tells the paths apart.
    var subnet: Int {
        switch self {
        case .wifi: return 1
        case .cell: return 2
        case .wired: return 3
        }
    }

    /// The client's IPv4 address on this path: 198.18.1.1 or 198.18.2.1.
    public var clientIPv4: String { "198.18.\(subnet).1" }
    /// The server's IPv4 address on this path: 198.18.1.2 or 198.18.2.2.
    public var serverIPv4: String { "198.18.\(subnet).2" }
    /// The client's IPv6 address on this path: 2001:db8:1::1 or 2001:db8:2::1.
    public var clientIPv6: String { "2001:db8:\(subnet)::1" }
    /// The server's IPv6 address on this path: 2001:db8:1::2 or 2001:db8:2::2.
    public var serverIPv6: String { "2001:db8:\(subnet)::2" }

    /// The client's route metric towards the service address: lower is preferred.
    public var metric: Int { subnet }
}

/// The addresses the lab uses. Only the benchmarking range 198.18.0.0/15 (RFC 2544) and the IPv6
/// documentation prefix 2001:db8::/32 (RFC 3849), so nothing can collide with a real network.
public enum LabAddress {
    /// The server's IPv4 service address, on its `lo`, reachable over both paths.
    public static let serviceIPv4 = "198.18.0.1"
    /// The server's IPv6 service address, on its `lo`, reachable over both paths.
    public static let serviceIPv6 = "2001:db8::1"
}
