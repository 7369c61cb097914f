/// Interface shares of the bytes: per connection and across the namespace. Pure.
public enum Shares {
    /// Fills each subflow's interface name, each connection's `interfaceShares`, and returns
    /// the per-interface totals for the namespace, ordered by interface index.
    ///
    /// Bytes are what the live subflows carried (acked + received); a subflow that closed takes
    /// its bytes with it, as the kernel forgets them too.
    public static func apply(to connections: inout [Connection], names: (UInt32) -> String?) -> [InterfaceUsage] {
        var usage: [UInt32: InterfaceUsage] = [:]
        for ci in connections.indices {
            var perInterface: [String: UInt64] = [:]
            var total: UInt64 = 0
            for si in connections[ci].subflows.indices {
                let sf = connections[ci].subflows[si]
                guard let index = sf.interfaceIndex else { continue }
                let name = names(index) ?? "if\(index)"
                connections[ci].subflows[si].interfaceName = name
                let carried = sf.bytesCarried
                perInterface[name, default: 0] &+= carried
                total &+= carried
                var u = usage[index] ?? InterfaceUsage(name: name, index: index)
                u.bytesTx &+= sf.tcp?.bytesAcked ?? 0
                u.bytesRx &+= sf.tcp?.bytesReceived ?? 0
                u.subflows += 1
                usage[index] = u
            }
            connections[ci].interfaceShares = perInterface
                .map { InterfaceShare(name: $0.key, share: total == 0 ? 0 : Double($0.value) / Double(total)) }
                .sorted { $0.share != $1.share ? $0.share > $1.share : $0.name < $1.name }
        }
        let all = usage.values.reduce(UInt64(0)) { $0 &+ $1.bytes }
        return usage.values
            .map { u in var u = u; u.share = all == 0 ? 0 : Double(u.bytes) / Double(all); return u }
            .sorted { $0.index < $1.index }
    }
}
