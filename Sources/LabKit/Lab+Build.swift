import MPTCPKit

/// The steps that build a lab, in order. Each step is one `ip`/`tc` command, so a failure names
/// exactly what the kernel refused.
extension Lab {
    func build() throws {
        let cli = clientNamespace, srv = serverNamespace
        for ns in [cli, srv] {
            try ip(["netns", "add", ns])
            try mark(ns)
        }
        for ns in [cli, srv] {
            try ip(["-n", ns, "link", "set", "lo", "up"])
        }

        for path in LabPath.initial {
            // Created inside the client namespace with its peer born in the server namespace:
            // the pair never exists in the host namespace, not even for a moment.
            try ip(["-n", cli, "link", "add", path.interface, "type", "veth", "peer", "name", path.interface, "netns", srv])
            try addAddresses(path)
            try ip(["-n", cli, "link", "set", path.interface, "up"])
            try ip(["-n", srv, "link", "set", path.interface, "up"])
        }

        try ip(["-n", srv, "addr", "add", "\(LabAddress.serviceIPv4)/32", "dev", "lo"])
        try ip(["-n", srv, "addr", "add", "\(LabAddress.serviceIPv6)/128", "dev", "lo", "nodad"])

        for path in LabPath.initial {
            try addServiceRoutes(path)
        }

        // The in-kernel path manager's defaults allow too few subflows.
        let limit = String(options.subflowLimit)
        for ns in [cli, srv] {
            try ip(["-n", ns, "mptcp", "limits", "set", "subflow", limit, "add_addr_accepted", limit])
        }
        if options.subflowEndpoint {
            try ip(["-n", cli, "mptcp", "endpoint", "add", LabPath.cell.clientIPv4, "dev", LabPath.cell.interface, "subflow"])
            try ip(["-n", cli, "mptcp", "endpoint", "add", LabPath.cell.clientIPv6, "dev", LabPath.cell.interface, "subflow"])
        }

        for path in LabPath.initial {
            if let rate = options.rate(of: path) {
                try setRate(path, bitsPerSecond: rate)
            }
        }
    }

    /// Records namespace `name` (just made) in the lab's marker, so that `cleanupStale` of a
    /// later run can prove it was this run's if this one dies without `close`.
    func mark(_ name: String) throws {
        guard let identity = NetworkNamespaceHandle.identity(named: name) else {
            throw LabError(.command, "namespace \(name) vanished right after 'ip netns add'")
        }
        marker.namespaces.append(LabMarker.Namespace(name: name, identity: identity))
        do { try marker.write() } catch { throw LabError(.system, "cannot write the lab marker: \(error)") }
    }

    /// The path's IPv4 and IPv6 addresses on both ends. `replace`, so it also puts back the IPv6
    /// addresses the kernel drops when a link goes down (keep_addr_on_down is 0 by default).
    func addAddresses(_ path: LabPath) throws {
        let dev = path.interface
        try ip(["-n", clientNamespace, "addr", "replace", "\(path.clientIPv4)/24", "dev", dev])
        try ip(["-n", serverNamespace, "addr", "replace", "\(path.serverIPv4)/24", "dev", dev])
        // nodad: usable at once, instead of "tentative" for a second or two.
        try ip(["-n", clientNamespace, "addr", "replace", "\(path.clientIPv6)/64", "dev", dev, "nodad"])
        try ip(["-n", serverNamespace, "addr", "replace", "\(path.serverIPv6)/64", "dev", dev, "nodad"])
    }

    /// The client's routes to the service address through `path`. A subflow bound to a device
    /// needs a route via that device (IPv6 is strict about it); the metric picks the initial
    /// path. `replace`, because the kernel deletes these routes when the link goes down.
    func addServiceRoutes(_ path: LabPath) throws {
        try ip(["-n", clientNamespace, "route", "replace", LabAddress.serviceIPv4, "via", path.serverIPv4,
                "dev", path.interface, "metric", String(path.metric)])
        try ip(["-n", clientNamespace, "-6", "route", "replace", LabAddress.serviceIPv6, "via", path.serverIPv6,
                "dev", path.interface, "metric", String(path.metric)])
    }

    /// Runs `ip args...`, throwing a one-line error naming the command and its stderr.
    func ip(_ arguments: [String]) throws {
        try ShellCommand.check("ip", arguments)
    }

    /// Runs `tc args...`, throwing a one-line error naming the command and its stderr.
    func tc(_ arguments: [String]) throws {
        try ShellCommand.check("tc", arguments)
    }
}
