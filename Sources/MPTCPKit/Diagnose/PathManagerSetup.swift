/// What `mptop diagnose` looks at in one namespace: the path manager's configuration, the
/// interfaces, the MIB counters and (optionally) the connections. Plain data, so the rules that
/// turn it into findings can be tested with hand-made setups.
public struct PathManagerSetup: Sendable {
    public var namespace: String?
    /// Nil when the kernel has no MPTCP.
    public var mptcpEnabled: Bool?
    /// The namespace's path manager setting (nil when unreadable).
    public var pathManager: PathManagerKind?
    public var endpoints: [PathManagerEndpoint] = []
    public var limits: PathManagerLimits?
    public var sysctls: [MPTCPSysctlValue] = []
    public var links: [InterfaceTable.Link] = []
    /// Endpoint id → the interface it is on: its bound device, else the owner of its address.
    public var endpointInterfaces: [UInt8: UInt32] = [:]
    public var counters: MPTCPCounters?
    public var snapshot: Snapshot?
    /// Recent path-manager events (the dashboard's log), for facts only events carry: a peer
    /// that denies joins to its initial address says so in the CREATED event's flags.
    public var events: [PathManagerEvent] = []
    /// What could not be read, in words (the rest of the diagnosis still stands).
    public var unreadable: [String] = []

    public init(namespace: String? = nil) { self.namespace = namespace }

    public func link(_ index: UInt32) -> InterfaceTable.Link? { links.first { $0.index == index } }

    /// Reads everything in the calling thread's namespace. `snapshot` is the caller's latest
    /// sample (the dashboard has one; `mptop diagnose` takes one), nil to leave connections out.
    public static func gather(namespace: String? = nil, snapshot: Snapshot? = nil,
                              events: [PathManagerEvent] = []) -> PathManagerSetup {
        var s = PathManagerSetup(namespace: namespace)
        s.events = events
        let sysctl = MPTCPSysctl.read()
        s.mptcpEnabled = sysctl.enabled
        s.pathManager = sysctl.pathManager
        s.sysctls = MPTCPSysctl.readAll()
        s.snapshot = snapshot
        guard sysctl.enabled != nil else { return s }
        do {
            let pm = try PathManagerClient()
            s.endpoints = try pm.endpoints()
            s.limits = try pm.limits()
        } catch {
            s.unreadable.append("path-manager endpoints and limits: \(error)")
        }
        do {
            let table = try InterfaceTable()
            try table.refresh()
            s.links = table.links.values.sorted { $0.index < $1.index }
            for e in s.endpoints {
                if let i = e.interfaceIndex, i > 0 {
                    s.endpointInterfaces[e.id] = UInt32(i)
                } else if let a = e.address, let owner = table.owner(of: a) {
                    s.endpointInterfaces[e.id] = owner
                }
            }
        } catch {
            s.unreadable.append("interfaces: \(error)")
        }
        do {
            s.counters = try MPTCPCounters.read()
        } catch {
            s.unreadable.append("MPTCP counters: \(error)")
        }
        return s
    }
}
