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
                             connectTimeout: Double = 10) throws -> Traffic {
        let address = ipv6 ? "[\(LabAddress.serviceIPv6)]:5201" : "\(LabAddress.serviceIPv4):5201"
        let server = try spawn(in: serverNamespace, executable: mptop,
                               arguments: ["traffic", "serve", "--listen", address, "--json"])
        guard server.waitForLine(containing: #""event":"listening""#, timeout: 10) != nil else {
            throw LabError(.command, "traffic server did not start: \(server.diagnosis)")
        }
        let sender = try spawn(in: clientNamespace, executable: mptop,
                               arguments: ["traffic", "send", "--to", address, "--json",
                                           "--connections", String(connections)] + sendArguments)
        guard sender.waitForLine(containing: #""event":"connected""#, timeout: connectTimeout) != nil else {
            throw LabError(.command, "traffic sender did not connect: \(sender.diagnosis)")
        }
        return Traffic(server: server, sender: sender)
    }

}
