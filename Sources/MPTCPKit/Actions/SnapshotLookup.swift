/// Finds what an action names (a connection, a token, a subflow address, an interface) in a
/// snapshot, with one-line errors that say what exists instead, so a typo changes nothing.
public enum SnapshotLookup {
    /// The connection with identity `id` (what the dashboard's rows name); an error when it
    /// closed since the screen showed it.
    public static func connection(_ id: ConnectionID, in snapshot: Snapshot) throws -> Connection {
        if let c = snapshot.connections.first(where: { $0.id == id }) { return c }
        throw MPTopError.invalidRequest("that connection is gone (it closed since the screen showed it): nothing was changed")
    }

    public static func connection(token: UInt32, in snapshot: Snapshot) throws -> Connection {
        if let c = snapshot.connections.first(where: { $0.token == token }) { return c }
        let known = snapshot.connections.compactMap { $0.token.map { hex($0, digits: 1) } }
        let hint = known.isEmpty ? "there are no MPTCP connections here" : "known: \(known.prefix(8).joined(separator: ", "))"
        throw MPTopError.invalidRequest("no MPTCP connection with token \(hex(token, digits: 1)) (\(hint))")
    }

    /// The subflow of `connection` whose local address and port are `local`.
    public static func subflow(local: SocketAddress, of connection: Connection) throws -> Subflow {
        if let s = connection.subflows.first(where: { $0.local.port == local.port && $0.local.address.unmapped == local.address.unmapped }) {
            return s
        }
        let known = connection.subflows.map(\.local.description).joined(separator: ", ")
        throw MPTopError.invalidRequest("connection \(named(connection)) has no subflow from \(local) (its subflows: \(known.isEmpty ? "none" : known))")
    }

    /// The subflows of `connection` carried by interface `name`; throws when the namespace has
    /// no such interface or the connection has no subflow on it.
    public static func subflows(on name: String, of connection: Connection, interfaces: InterfaceTable) throws -> [Subflow] {
        _ = try interface(named: name, in: interfaces)
        let found = connection.subflows.filter { $0.interfaceName == name }
        guard !found.isEmpty else {
            let used = Set(connection.subflows.compactMap(\.interfaceName)).sorted().joined(separator: ", ")
            throw MPTopError.invalidRequest("connection \(named(connection)) has no subflow on \(name) (it uses: \(used.isEmpty ? "none" : used))")
        }
        return found
    }

    /// A connection's token for an error, as `ss` prints it; its addresses when it has none.
    private static func named(_ connection: Connection) -> String {
        connection.token.map { hex($0, digits: 1) } ?? "\(connection.local) -> \(connection.remote) (no MPTCP token)"
    }

    /// The index of interface `name`; a one-line error listing the namespace's interfaces.
    public static func interface(named name: String, in interfaces: InterfaceTable) throws -> UInt32 {
        guard let index = interfaces.index(named: name) else {
            let names = interfaces.links.values.filter { !$0.loopback }.map(\.name).sorted().joined(separator: ", ")
            throw MPTopError.invalidRequest("no interface named '\(name)' here (interfaces: \(names))")
        }
        return index
    }

    /// Every MPTCP connection with a subflow on interface `name` (at least one, or an error).
    public static func connections(on name: String, in snapshot: Snapshot, interfaces: InterfaceTable) throws -> [Connection] {
        _ = try interface(named: name, in: interfaces)
        let found = snapshot.connections.filter { c in c.info != nil && c.subflows.contains { $0.interfaceName == name } }
        guard !found.isEmpty else { throw MPTopError.invalidRequest("no MPTCP connection has a subflow on \(name)") }
        return found
    }
}
