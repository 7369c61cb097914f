/// Interface shares of the bytes: per connection and across the namespace. Pure.
public enum Shares {
    /// Fills each subflow's interface name, each connection's `interfaceShares`, and returns
    /// the per-interface totals for the namespace, ordered by interface index.
    ///
    /// Bytes are what the live subflows carried (acked + received); a subflow that closed takes
    /// its bytes with it, as the kernel forgets them too.
    public static func apply(to connections: inout [Connection], names: (UInt32) -> String?) -> [InterfaceUsage] {
        // Hot path at thousands of connections: interfaces are few, so small arrays searched
        // linearly beat string-keyed dictionaries, and each name is looked up once.
        var usage: [InterfaceUsage] = []
        // Each interface's index and name beside `usage`: searching and reading those copied
        // whole `InterfaceUsage` values, name retained and released, twice a subflow (`callgrind`).
        var usageIndex: [UInt32] = []
        var usageName: [String] = []
        var perInterface: [(slot: Int, bytes: UInt64)] = [] // slot in `usage`
        for ci in connections.indices {
            perInterface.removeAll(keepingCapacity: true)
            var total: UInt64 = 0
            // Through the subflows' buffer: one uniqueness check per connection rather than
            // three per subflow, and each subflow's `tcp` read once (every read through the
            // nested subscripts copied all 160 bytes of it, `callgrind`).
            connections[ci].subflows.withUnsafeMutableBufferPointer { subflows in
                for si in subflows.indices {
                    guard let index = subflows[si].interfaceIndex else { continue }
                    let u: Int
                    if let found = usageIndex.firstIndex(of: index) {
                        u = found
                    } else {
                        let name = names(index) ?? "if\(index)"
                        usage.append(InterfaceUsage(name: name, index: index))
                        usageIndex.append(index)
                        usageName.append(name)
                        u = usage.count - 1
                    }
                    subflows[si].interfaceName = usageName[u]
                    let (tx, rx) = subflows[si].tcp.map { ($0.bytesAcked ?? 0, $0.bytesReceived ?? 0) } ?? (0, 0)
                    usage[u].bytesTx &+= tx
                    usage[u].bytesRx &+= rx
                    usage[u].subflows += 1
                    total &+= tx &+ rx
                    if let p = perInterface.firstIndex(where: { $0.slot == u }) {
                        perInterface[p].bytes &+= tx &+ rx
                    } else {
                        perInterface.append((u, tx &+ rx))
                    }
                }
            }
            // Built and sorted in one array: a connection's shares cost one allocation, not two.
            var shares: [InterfaceShare] = []
            shares.reserveCapacity(perInterface.count)
            for p in perInterface {
                shares.append(InterfaceShare(name: usageName[p.slot], share: total == 0 ? 0 : Double(p.bytes) / Double(total)))
            }
            // Two interfaces is the usual case: one comparison, not a sort call per connection.
            if shares.count == 2 {
                if Self.precedes(shares[1], shares[0]) { shares.swapAt(0, 1) }
            } else if shares.count > 2 {
                shares.sort(by: Self.precedes)
            }
            connections[ci].interfaceShares = shares
        }
        let all = usage.reduce(UInt64(0)) { $0 &+ $1.bytes }
        for i in usage.indices { usage[i].share = all == 0 ? 0 : Double(usage[i].bytes) / Double(all) }
        return usage.sorted { $0.index < $1.index }
    }

    /// Larger share first; equal shares by name.
    private static func precedes(_ a: InterfaceShare, _ b: InterfaceShare) -> Bool {
        a.share != b.share ? a.share > b.share : a.name < b.name
    }
}
