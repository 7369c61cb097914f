/// A bounds-checked, read-only view of kernel bytes.
///
/// Every read returns `nil` when the field lies past the end, so a struct sent by an older
/// (shorter) or newer kernel decodes to "field unknown" instead of a crash. Netlink is host
/// byte order except where a field is marked big-endian (ports, IPv4/IPv6 addresses).
public struct ByteView {
    public let base: UnsafeRawBufferPointer

    @inlinable public init(_ base: UnsafeRawBufferPointer) { self.base = base }

    @inlinable public var count: Int { base.count }

    @inlinable public func has(_ offset: Int, _ size: Int) -> Bool {
        offset >= 0 && size >= 0 && offset <= base.count - size
    }

    @inlinable public func u8(_ offset: Int) -> UInt8? {
        has(offset, 1) ? base[offset] : nil
    }

    @inlinable public func u16(_ offset: Int) -> UInt16? {
        has(offset, 2) ? base.loadUnaligned(fromByteOffset: offset, as: UInt16.self) : nil
    }

    @inlinable public func u32(_ offset: Int) -> UInt32? {
        has(offset, 4) ? base.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : nil
    }

    @inlinable public func u64(_ offset: Int) -> UInt64? {
        has(offset, 8) ? base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) : nil
    }

    /// A big-endian (network order) 16-bit field, e.g. a port.
    @inlinable public func be16(_ offset: Int) -> UInt16? {
        u16(offset).map { UInt16(bigEndian: $0) }
    }

    /// A sub-view, or nil when it does not fit.
    @inlinable public func slice(_ offset: Int, _ size: Int) -> ByteView? {
        guard has(offset, size) else { return nil }
        return ByteView(UnsafeRawBufferPointer(rebasing: base[offset..<(offset + size)]))
    }

    /// Whether `cString()` would be `text`, compared in place (no String made).
    public func holdsCString(_ text: StaticString) -> Bool {
        // A plain loop over the bytes: `prefix(_:).elementsEqual` went through generic slices,
        // and this runs twice per subflow (its ULP name and congestion control).
        let n = text.utf8CodeUnitCount, t = text.utf8Start
        guard base.count >= n else { return false }
        for k in 0..<n where base[k] != t[k] { return false }
        return base.count == n || base[n] == 0
    }

    /// A NUL-terminated (or unterminated) string filling the view.
    public func cString() -> String {
        let bytes = base.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }
}
