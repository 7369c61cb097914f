import MPTCPKit

extension FuzzInput {
    /// The samples a `Sampler` would take from these bytes: dumps separated by NLMSG_DONE, MPTCP
    /// sockets then TCP sockets for a first sample, then the same two for a second one (when
    /// missing, the first sample's dumps are used again, one second later), so rates see
    /// counters move either way. Decoded, joined, with interfaces, shares and rates.
    public var samples: [Snapshot] {
        let dumps = self.dumps
        func dump(_ i: Int) -> [NetlinkMessage] { i < dumps.count ? dumps[i] : i % 2 < dumps.count ? dumps[i % 2] : [] }
        var rates = RateTracker()
        return (0..<2).map { round in
            var snapshot = Snapshot(time: 1_795_241_547 + Double(round), monotonic: UInt64(round + 1) * 1_000_000_000, namespace: "fuzz")
            var sockets: [Connection] = []
            for m in dump(2 * round) where m.type == SockDiagRequest.messageType {
                if let c = SockDiagDecoder.mptcpSocket(m.payload) { sockets.append(c) }
            }
            var joiner = SubflowJoiner(sockets: sockets)
            for m in dump(2 * round + 1) where m.type == SockDiagRequest.messageType {
                if let s = SockDiagDecoder.subflow(m.payload, isMPTCPInode: { joiner.isConnectionInode($0) }) { joiner.add(s) }
            }
            let joined = joiner.finish()
            snapshot.connections = joined.connections
            snapshot.listeners = joined.listeners
            snapshot.unmatchedSubflows = joined.unmatchedSubflows
            // The interface table needs a socket; stand in for it: the bound device, else one
            // derived from the local address, and now and then none at all.
            for ci in snapshot.connections.indices {
                for si in snapshot.connections[ci].subflows.indices {
                    let sf = snapshot.connections[ci].subflows[si]
                    let derived = UInt32(sf.local.address.bytes.last ?? 0) % 6
                    snapshot.connections[ci].subflows[si].interfaceIndex = sf.boundInterfaceIndex != 0 ? sf.boundInterfaceIndex
                        : derived == 0 ? nil : derived
                }
                if snapshot.connections[ci].inode % 3 == 1 {
                    snapshot.connections[ci].process = ProcessRef(pid: Int32(bitPattern: snapshot.connections[ci].inode),
                                                                  name: FuzzInput.hostileName)
                }
            }
            snapshot.interfaces = Shares.apply(to: &snapshot.connections, names: FuzzInput.interfaceName)
            rates.annotate(&snapshot)
            return snapshot
        }
    }

    /// A name a process or an interface can really have: any bytes but "/" and NUL.
    static let hostileName = "a\u{1b}[2J\"\\\u{7f}\u{202e}é"

    static func interfaceName(_ index: UInt32) -> String? {
        switch index {
        case 1: return "lo"
        case 2: return "wifi0"
        case 3: return "cell0"
        case 4: return "e\u{1b}]0;x\u{7}\"\\"
        default: return nil
        }
    }
}
