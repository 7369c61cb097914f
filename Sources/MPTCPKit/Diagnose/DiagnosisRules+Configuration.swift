/// Findings from the path manager's configuration: endpoints, limits, sysctls, interfaces.
extension DiagnosisRules {
    static func subflowEndpoints(_ s: PathManagerSetup, family: IPAddress.Family? = nil) -> [PathManagerEndpoint] {
        s.endpoints.filter { $0.flags.contains(.subflow) && (family == nil || $0.address?.family == family) }
    }

    /// Whether this host only answers connections (every connection accepted on a listener's port).
    static func passiveOnly(_ s: PathManagerSetup) -> Bool {
        guard let snap = s.snapshot, !snap.listeners.isEmpty, !snap.connections.isEmpty else { return false }
        return snap.connections.allSatisfy { isPassive($0, snap) }
    }

    static func isPassive(_ c: Connection, _ snap: Snapshot) -> Bool {
        snap.listeners.contains { $0.local.port == c.local.port }
    }

    static func configuration(_ s: PathManagerSetup) -> [DiagnosisFinding] {
        var out: [DiagnosisFinding] = []
        let subflow = subflowEndpoints(s)
        if let limits = s.limits {
            if limits.subflows == 0 {
                out.append(.init(.problem, "subflow_limit_zero",
                                 "the subflow limit is 0: no connection may have an extra subflow, opened or accepted (ip mptcp limits set subflow 2)"))
            } else if subflow.count > Int(limits.subflows) {
                out.append(.init(.info, "more_endpoints_than_limit",
                                 "\(subflow.count) 'subflow' endpoints but the subflow limit is \(limits.subflows): at most \(limits.subflows) extra subflow\(limits.subflows == 1 ? "" : "s") per connection (ip mptcp limits set subflow \(subflow.count))"))
            }
            if limits.addAddrAccepted == 0 {
                let announced = s.counters?["AddAddr"] ?? 0
                out.append(.init(announced > 0 ? .warning : .info, "add_addr_accepted_zero",
                                 "the add_addr_accepted limit is 0: addresses the peer announces are not used for extra subflows"
                                 + (announced > 0 ? " (the peer announced \(announced) so far, counter AddAddr)" : "")
                                 + " (ip mptcp limits set add_addr_accepted 2)"))
            }
        }
        if s.sysctls.first(where: { $0.name == "allow_join_initial_addr_port" })?.value == "0" {
            out.append(.init(.warning, "join_initial_address_denied",
                             "net.mptcp.allow_join_initial_addr_port is 0: peers are told not to open subflows to this host's initial address and port, so clients add subflows here only towards addresses a 'signal' endpoint announces (sysctl -w net.mptcp.allow_join_initial_addr_port=1)"))
        }
        if subflow.isEmpty {
            let serverOnly = passiveOnly(s)
            out.append(.init(serverOnly ? .info : .problem, "no_subflow_endpoint",
                             "no endpoint has the 'subflow' flag: this host will not open extra subflows (ip mptcp endpoint add ADDR dev IF subflow)"
                             + (serverOnly ? "; it only accepts connections here, so its extra subflows are the ones clients open" : "")))
        } else {
            for family in [IPAddress.Family.ipv4, .ipv6] where subflowEndpoints(s, family: family).isEmpty {
                let other = family == .ipv4 ? "IPv6" : "IPv4"
                let name = family == .ipv4 ? "IPv4" : "IPv6"
                out.append(.init(.info, "no_subflow_endpoint_\(family == .ipv4 ? "ipv4" : "ipv6")",
                                 "'subflow' endpoints are \(other) only: \(name) connections will not get extra subflows from this host"))
            }
        }
        for e in s.endpoints {
            let label = "endpoint \(e.address?.description ?? "id \(e.id)") (id \(e.id))"
            guard let index = s.endpointInterfaces[e.id] else {
                if e.address != nil {
                    out.append(.init(.warning, "endpoint_address_missing",
                                     "\(label) is not an address of any interface here: no subflow can start from it"))
                }
                continue
            }
            guard let link = s.link(index) else { continue }
            if !link.up {
                out.append(.init(.warning, "endpoint_interface_down", "\(label) is on \(link.name), which is down (ip link set \(link.name) up)"))
            } else if !link.running {
                out.append(.init(.warning, "endpoint_interface_down", "\(label) is on \(link.name), which has no carrier (link down at the other end)"))
            }
        }
        return out
    }
}
