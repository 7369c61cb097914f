/// Drops the packets of chosen subflows on one interface with an nftables table of mptop's own
/// (`inet mptop_failover_<pid>`), so nothing else on the host or in the namespace is affected
/// and restoring is deleting that one table. `nft` runs in the calling thread's namespace.
public struct NftBlackhole: Sendable {
    public let tableName: String
    /// The interface by index (`iif`/`oif`), not by name (`iifname`): an interface name may hold
    /// `"`, which no nft string can quote, and `*`, which nft takes as a wildcard. A name like
    /// `x"}#` would break (or rewrite) the table; a number cannot.
    public let interfaceIndex: UInt32
    public let subflows: [(local: SocketAddress, remote: SocketAddress)]

    public init(tableName: String, interfaceIndex: UInt32, subflows: [(local: SocketAddress, remote: SocketAddress)]) {
        self.tableName = tableName
        self.interfaceIndex = interfaceIndex
        self.subflows = subflows
    }

    /// The `nft` executable, or the one-line reason blackhole mode cannot run.
    public static func nft() throws -> String {
        guard let path = ToolRunner.locate("nft") else {
            throw MPTopError.io("blackhole mode needs nftables (apt install nftables)")
        }
        return path
    }

    /// The table as `nft -f` input: one rule per subflow and direction, matching the exact
    /// 4-tuple on the interface. Hooked at raw priority, before conntrack, so no state is kept.
    public var ruleset: String {
        var input = "", output = ""
        for s in subflows {
            let l = s.local.address.unmapped, r = s.remote.address.unmapped
            let proto = l.family == .ipv4 ? "ip" : "ip6"
            input += "    iif \(interfaceIndex) \(proto) saddr \(r) \(proto) daddr \(l) tcp sport \(s.remote.port) tcp dport \(s.local.port) drop\n"
            output += "    oif \(interfaceIndex) \(proto) saddr \(l) \(proto) daddr \(r) tcp sport \(s.local.port) tcp dport \(s.remote.port) drop\n"
        }
        return """
        table inet \(tableName) {
          chain mptop_in {
            type filter hook input priority -300; policy accept;
        \(input)  }
          chain mptop_out {
            type filter hook output priority -300; policy accept;
        \(output)  }
        }

        """
    }

    public func apply() throws {
        try Self.check(["-f", "-"], input: ruleset, what: "cannot add nftables table \(tableName)")
    }

    /// Deletes table `name`; a table that is already gone counts as deleted.
    public static func deleteTable(_ name: String) throws {
        let nft = try nft()
        let out = try ToolRunner.run(nft, ["delete", "table", "inet", name])
        if out.status != 0 && !out.stderr.contains("No such file") {
            throw MPTopError.io("cannot delete nftables table \(name): \(oneLine(out.stderr))")
        }
    }

    /// `nft list ruleset`, to compare before and after.
    public static func listRuleset() throws -> String {
        try check(["list", "ruleset"], what: "cannot list the nftables ruleset")
    }

    @discardableResult
    static func check(_ arguments: [String], input: String = "", what: String) throws -> String {
        let out = try ToolRunner.run(try nft(), arguments, input: input)
        guard out.status == 0 else { throw MPTopError.io("\(what): \(oneLine(out.stderr))") }
        return out.stdout
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: "; ")
    }
}
