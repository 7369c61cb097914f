/// Changing backup priority, as each path manager allows (docs/kernel.md, "The path manager": SET_FLAGS).
///
/// In-kernel PM: only per endpoint, and it applies to every connection using that endpoint.
/// Userspace PM: per subflow of one connection (SET_FLAGS with token and both addresses).
public enum BackupTarget: Sendable {
    case endpoint(PathManagerEndpoint)
    case subflow(token: UInt32, local: SocketAddress, remote: SocketAddress, interface: String?)
}

/// A backup change, described before it is made so a dialog can show it verbatim.
public struct BackupPlan: Sendable {
    public let target: BackupTarget
    public let backup: Bool

    public init(target: BackupTarget, backup: Bool) {
        self.target = target
        self.backup = backup
    }

    public var description: String {
        let verb = backup ? "mark as backup" : "clear backup on"
        switch target {
        case .endpoint(let e):
            return "\(verb) MPTCP endpoint \(e.id) (\(e.address?.description ?? "?")): the in-kernel path manager only supports this per endpoint, so it applies to every connection using it"
        case .subflow(let token, let local, let remote, let interface):
            return "\(verb) subflow \(local) -> \(remote)\(interface.map { " on \($0)" } ?? "") of connection \(hex(token)) (this connection only)"
        }
    }
}

public final class BackupToggle {
    public let client: PathManagerClient

    /// Opens a path-manager socket in the calling thread's namespace.
    public init() throws { client = try PathManagerClient() }

    /// The endpoint named by `text`: an id or an address. One-line error listing what exists.
    public func endpoint(named text: String) throws -> PathManagerEndpoint {
        let all = try client.endpoints()
        let found: PathManagerEndpoint?
        if let id = UInt8(text) {
            found = all.first { $0.id == id }
        } else if let address = IPAddress(text) {
            found = all.first { $0.address == address }
        } else {
            throw MPTopError.invalidRequest("'\(text)' is neither an endpoint id nor an address")
        }
        guard let found else {
            let known = all.map { "\($0.id) \($0.address?.description ?? "?")" }.joined(separator: ", ")
            throw MPTopError.invalidRequest("no MPTCP endpoint '\(text)' (endpoints: \(known.isEmpty ? "none" : known))")
        }
        return found
    }

    /// The endpoints whose subflows leave by interface `index`: bound to it, or owning one of
    /// its addresses.
    public func endpoints(onInterface index: UInt32, addresses: Set<IPAddress>) throws -> [PathManagerEndpoint] {
        try client.endpoints().filter { e in
            if let i = e.interfaceIndex { return UInt32(bitPattern: i) == index }
            return e.address.map(addresses.contains) ?? false
        }
    }

    /// The plan for changing backup on `subflow` of `connection` (`backup` nil = toggle it).
    /// Userspace PM: that subflow only. In-kernel PM: the endpoint the subflow was made from
    /// (its local address id), which changes every connection using it; the initial subflow
    /// belongs to no endpoint, so it cannot be changed and the error says why.
    public func plan(subflow: Subflow, of connection: Connection, backup: Bool? = nil,
                     pathManager: PathManagerKind = .current()) throws -> BackupPlan {
        let on = backup ?? !(subflow.ulp?.backupLocal ?? false)
        if pathManager == .userspace {
            // SET_FLAGS names the connection by token; without mptcp_info there is none to give.
            guard let token = connection.token else {
                throw MPTopError.invalidRequest("connection \(connection.local) -> \(connection.remote) shows no MPTCP token (no mptcp_info), and the userspace path manager changes a subflow's backup flag only by token")
            }
            return BackupPlan(target: .subflow(token: token, local: subflow.local, remote: subflow.remote,
                                               interface: subflow.interfaceName), backup: on)
        }
        guard let id = subflow.ulp?.localID, id != 0 else {
            throw MPTopError.invalidRequest("subflow \(subflow.local) belongs to no endpoint (it is the initial subflow), and the in-kernel path manager sets backup only per endpoint")
        }
        let e = try endpoint(named: String(id))
        return BackupPlan(target: .endpoint(e), backup: backup ?? !e.flags.contains(.backup))
    }

    /// The plan for changing backup on the endpoint(s) of interface `name` (in-kernel PM);
    /// toggling sets them all to backup unless all already are.
    public func plan(interface name: String, interfaces: InterfaceTable, backup: Bool? = nil) throws -> [BackupPlan] {
        guard let index = interfaces.index(named: name) else { throw MPTopError.invalidRequest("no interface named '\(name)' here") }
        let found = try endpoints(onInterface: index, addresses: interfaces.addresses(of: index))
        guard !found.isEmpty else {
            throw MPTopError.invalidRequest("\(name) has no MPTCP endpoint (ip mptcp endpoint add ADDR dev \(name) subflow)")
        }
        // One direction for all of them: backup unless every one already is.
        let on = backup ?? !found.allSatisfy { $0.flags.contains(.backup) }
        return found.map { BackupPlan(target: .endpoint($0), backup: on) }
    }

    public func apply(_ plan: BackupPlan) throws {
        switch plan.target {
        case .endpoint(let e):
            var flags = e.flags
            if plan.backup { flags.insert(.backup) } else { flags.remove(.backup) }
            try client.setEndpointFlags(id: e.id, flags: flags)
        case .subflow(let token, let local, let remote, _):
            try client.setSubflowBackup(token: token, local: local, remote: remote, backup: plan.backup)
        }
    }
}
