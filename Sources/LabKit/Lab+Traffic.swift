/// Lab traffic: `mptop traffic serve` in the server namespace and `mptop traffic send` in the
/// client namespace, both speaking JSON lines. Shared by the tests, the demo and the benchmark.
extension Lab {
    /// The two generator processes of a running transfer.
    public struct Traffic {
        public let server: LabProcess
        public let sender: LabProcess
    }

    /// Starts a server on the service address (port 5201) and a sender with `sendArguments`
    /// towards it; returns once the sender reports all `connections` open. Throws a one-line
    /// error naming the step that failed and the process's last words.
    public func startTraffic(mptop: String, ipv6: Bool = false, connections: Int = 1, sendArguments: [String] = [],
                             serverArguments: [String] = [], connectTimeout: Double = 10) throws -> Traffic {
        let server = try spawn(in: serverNamespace, executable: mptop,
                               arguments: ["traffic", "serve", "--listen", Self.serviceAddress(ipv6: ipv6), "--json"] + serverArguments)
        guard server.waitForLine(containing: #""event":"listening""#, timeout: 10) != nil else {
            throw LabError(.command, "traffic server did not start: \(server.diagnosis)")
        }
        let sender = try startSender(mptop: mptop, ipv6: ipv6, connections: connections, sendArguments: sendArguments,
                                     connectTimeout: connectTimeout)
        return Traffic(server: server, sender: sender)
    }

    /// Starts one more sender towards the running server (the demo's "another transfer").
    public func startSender(mptop: String, ipv6: Bool = false, connections: Int = 1, sendArguments: [String] = [],
                            connectTimeout: Double = 10) throws -> LabProcess {
        let sender = try spawn(in: clientNamespace, executable: mptop,
                               arguments: ["traffic", "send", "--to", Self.serviceAddress(ipv6: ipv6), "--json",
                                           "--connections", String(connections)] + sendArguments)
        guard sender.waitForLine(containing: #""event":"connected""#, timeout: connectTimeout) != nil else {
            throw LabError(.command, "traffic sender did not connect: \(sender.diagnosis)")
        }
        return sender
    }

    static func serviceAddress(ipv6: Bool) -> String {
        ipv6 ? "[\(LabAddress.serviceIPv6)]:5201" : "\(LabAddress.serviceIPv4):5201"
    }

}
