/// Names one MPTCP connection across samples: what an action is aimed at and what a mark on
/// its time axis belongs to. It is the MPTCP socket's cookie, which the kernel gives every
/// connection in the dump (`idiag_cookie`, distinct from its subflows' cookies and not reused
/// while the kernel runs) — the same identity the dashboard keeps its selection by.
///
/// The token is not an identity: a connection the kernel gave no mptcp_info for has none, and
/// two such connections must not become one target. Plans use the token only where the kernel
/// interface asks for it (the path manager's netlink commands); SOCK_DESTROY does not.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let cookie: UInt64

    public init(cookie: UInt64) { self.cookie = cookie }

    public var description: String { "cookie \(cookie)" }
}

extension Connection {
    /// This connection's identity across samples.
    public var id: ConnectionID { ConnectionID(cookie: cookie) }
}
