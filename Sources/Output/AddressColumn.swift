import MPTCPKit

/// The hosts (IP addresses) last written in one address column of the text table, and their
/// text: on a client every remote address is the server's and every local one is one of its
/// own few (a subflow on each path), on a server every local one is its own, so most address
/// cells repeat a recent host with another port, and copying the host's text is a fraction of
/// writing it anew (four octets, or inet_ntop). The port is kept likewise: a client's remote
/// ports and a server's local one mostly repeat.
struct AddressColumn {
    /// A host and its text (`[UInt8].hostCapacity` bytes).
    private struct Host {
        var address: IPAddress
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        var count = 0

        init(_ address: IPAddress) {
            precondition(MemoryLayout.size(ofValue: text) >= [UInt8].hostCapacity, "no room for a host's text")
            self.address = address
            count = withUnsafeMutableBytes(of: &text) { [UInt8].writeHost(address, into: $0, at: 0) }
        }
    }

    /// The two hosts written last, the latest first.
    private var latest: Host?
    private var before: Host?
    /// The port written last, and its text with the ':' before it: a client's remote ports are
    /// the server's one or two, a server's local port is the one it listens on.
    private var port: UInt16?
    private var portText: UInt64 = 0
    private var portCount = 0

    /// Appends `a` as `TextRoom.append(address:)` writes it.
    mutating func append(_ a: SocketAddress, to room: inout TextRoom) {
        if latest?.address != a.address {
            if before?.address == a.address {
                swap(&latest, &before)
            } else {
                before = latest
                latest = Host(a.address)
            }
        }
        withUnsafeBytes(of: latest!.text) { room.append(bytes: UnsafeRawBufferPointer(rebasing: $0[..<latest!.count])) }
        if port != a.port {
            port = a.port
            portCount = withUnsafeMutableBytes(of: &portText) { text in
                text[0] = 0x3a
                return [UInt8].writeDecimal(UInt64(a.port), into: text, at: 1)  // at most 6 bytes
            }
        }
        withUnsafeBytes(of: portText) { room.append(bytes: UnsafeRawBufferPointer(rebasing: $0[..<portCount])) }
    }
}

/// A table's two address columns.
struct AddressColumns {
    var local = AddressColumn()
    var remote = AddressColumn()
}
