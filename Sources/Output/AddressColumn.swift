import MPTCPKit

/// The hosts (IP addresses) last written in one address column of the text table, and their
/// text: on a client every remote address is the server's and every local one is one of its
/// own few (a subflow on each path), on a server every local one is its own, so most address
/// cells repeat a recent host with another port, and copying the host's text is a fraction of
/// writing it anew (four octets, or inet_ntop).
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
        room.append(0x3a)
        room.append(decimal: UInt64(a.port))
    }
}

/// A table's two address columns.
struct AddressColumns {
    var local = AddressColumn()
    var remote = AddressColumn()
}
