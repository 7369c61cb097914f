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
    public func startTraffic(mptop: String, ipv6: Bool = false, port: UInt16 = 5201, connections: Int = 1,
                             sendArguments: [String] = [], serverArguments: [String] = [],
                             connectTimeout: Double = 10) throws -> Traffic {
        let server = try spawn(in: serverNamespace, executable: mptop,
                               arguments: ["traffic", "serve", "--listen", Self.serviceAddress(ipv6: ipv6, port: port), "--json"]
                                   + serverArguments)
        guard server.waitForLine(containing: #""event":"listening""#, timeout: 10) != nil else {
            throw LabError(.command, "traffic server did not start: \(server.diagnosis)")
        }
        let sender: LabProcess
        do {
            sender = try startSender(mptop: mptop, ipv6: ipv6, port: port, connections: connections,
                                     sendArguments: sendArguments, connectTimeout: connectTimeout)
        } catch {
            _ = server.stop(timeout: 5)
            throw error
        }
        return Traffic(server: server, sender: sender)
    }

    /// Starts one more sender towards the running server (the demo's "another transfer").
    public func startSender(mptop: String, ipv6: Bool = false, port: UInt16 = 5201, connections: Int = 1,
                            sendArguments: [String] = [], connectTimeout: Double = 10) throws -> LabProcess {
        let sender = try spawn(in: clientNamespace, executable: mptop,
                               arguments: ["traffic", "send", "--to", Self.serviceAddress(ipv6: ipv6, port: port), "--json",
                                           "--connections", String(connections)] + sendArguments)
        guard sender.waitForLine(containing: #""event":"connected""#, timeout: connectTimeout) != nil else {
            throw LabError(.command, "traffic sender did not connect: \(sender.diagnosis)")
        }
        return sender
    }

    static func serviceAddress(ipv6: Bool, port: UInt16 = 5201) -> String {
        ipv6 ? "[\(LabAddress.serviceIPv6)]:\(port)" : "\(LabAddress.serviceIPv4):\(port)"
    }

    /// `connections` idle MPTCP connections held open (`traffic send --hold`) for a benchmark,
    /// spread over as many server and sender pairs (ports 5201, 5202, ...) as the descriptor
    /// limit needs: each generator process holds one descriptor per connection, and without
    /// CAP_SYS_RESOURCE no process can raise its hard limit (20,000 on some machines).
    public func holdIdleConnections(mptop: String, _ connections: Int, connectTimeout: Double = 300) throws -> [Traffic] {
        let perProcess = max(1, min(connections, (FileDescriptorLimit.hard ?? connections + 256) - 256))
        var held: [Traffic] = []
        var left = connections, port: UInt16 = 5201
        while left > 0 {
            let n = min(left, perProcess)
            do {
                held.append(try startTraffic(mptop: mptop, port: port, connections: n, sendArguments: ["--hold"],
                                             connectTimeout: connectTimeout))
            } catch {
                Self.stop(held)
                throw error
            }
            left -= n
            port += 1
        }
        return held
    }

    /// Stops every sender, then every server, of `traffic`.
    public static func stop(_ traffic: [Traffic]) {
        for t in traffic { _ = t.sender.stop(timeout: 10) }
        for t in traffic { _ = t.server.stop(timeout: 10) }
    }

}
