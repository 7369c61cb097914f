/// Changing a running lab: links down and up, rates. Used by failover demos and tests.
extension Lab {
    /// Sets both ends of `path` up or down (`ip link set wifi0 down`). Down on both ends makes
    /// the failure symmetric, like a radio losing signal.
    public func setLink(_ path: LabPath, up: Bool) throws {
        for ns in [clientNamespace, serverNamespace] {
            try ip(["-n", ns, "link", "set", path.interface, up ? "up" : "down"])
        }
        // Down took the routes (and IPv6 addresses) with it; without them the path's subflows
        // would come back through another interface.
        if up {
            try addAddresses(path)
            try addServiceRoutes(path)
        }
    }

    /// Takes only the server's end of `path` down or up: the client's interface stays up but
    /// loses its carrier, as when the access point dies. Its subflows see no FIN and no RST,
    /// just silence: the case a dashboard must not show as healthy.
    public func setFarEnd(_ path: LabPath, up: Bool) throws {
        try ip(["-n", serverNamespace, "link", "set", path.interface, up ? "up" : "down"])
        if up { try addAddresses(path) }
    }

    /// Adds a path that the lab was not built with (`.wired`, "eth0"), with addresses, routes,
    /// a `subflow` endpoint (so every connection, also the running ones, opens a subflow on it)
    /// and optional shaping.
    public func addPath(_ path: LabPath, bitsPerSecond: UInt64?) throws {
        let dev = path.interface
        try ip(["-n", clientNamespace, "link", "add", dev, "type", "veth", "peer", "name", dev, "netns", serverNamespace])
        try addAddresses(path)
        try ip(["-n", clientNamespace, "link", "set", dev, "up"])
        try ip(["-n", serverNamespace, "link", "set", dev, "up"])
        try addServiceRoutes(path)
        if let bitsPerSecond { try setRate(path, bitsPerSecond: bitsPerSecond) }
        try ip(["-n", clientNamespace, "mptcp", "endpoint", "add", path.clientIPv4, "dev", dev, "subflow"])
        try ip(["-n", clientNamespace, "mptcp", "endpoint", "add", path.clientIPv6, "dev", dev, "subflow"])
    }

    /// Whether `path` exists in the client namespace.
    public func hasPath(_ path: LabPath) -> Bool {
        (try? ShellCommand.check("ip", ["-n", clientNamespace, "-o", "link", "show", "dev", path.interface])) != nil
    }

    /// Shapes `path` to `bitsPerSecond` in both directions with a token bucket (`tc tbf`), or
    /// removes the shaping when nil. Replaces any earlier shaping.
    public func setRate(_ path: LabPath, bitsPerSecond: UInt64?) throws {
        for ns in [clientNamespace, serverNamespace] {
            if let rate = bitsPerSecond {
                let shape = TokenBucket(bitsPerSecond: rate)
                try tc(["-n", ns, "qdisc", "replace", "dev", path.interface, "root", "tbf",
                        "rate", "\(rate)bit", "burst", "\(shape.burstBytes)", "latency", "\(shape.latencyMilliseconds)ms"])
            } else {
                // Deleting the root qdisc restores the default; "no qdisc" is not an error here.
                _ = try? ShellCommand.run("tc", ["-n", ns, "qdisc", "del", "dev", path.interface, "root"])
            }
        }
    }

    /// Whether `path` is up on the client side (from `ip -o link show`).
    public func isLinkUp(_ path: LabPath) throws -> Bool {
        let line = try ShellCommand.check("ip", ["-n", clientNamespace, "-o", "link", "show", "dev", path.interface])
        return line.contains(",UP") || line.contains("<UP")
    }
}

/// The `tbf` parameters for a rate.
struct TokenBucket {
    let burstBytes: UInt64
    let latencyMilliseconds: Int

    init(bitsPerSecond: UInt64) {
        // Burst: 10 ms worth of bytes, at least 32 KiB so the bucket always holds a full
        // GSO segment and low rates still pass full-size packets.
        burstBytes = max(32 * 1024, bitsPerSecond / 8 / 100)
        // Queue up to 50 ms: enough to absorb bursts without inflating RTT far beyond a real link.
        latencyMilliseconds = 50
    }
}
