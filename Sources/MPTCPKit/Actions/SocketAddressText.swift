/// Parses `ADDR:PORT` (IPv6 as `[ADDR]:PORT`), as mptop and `ss` print a socket address.
public enum SocketAddressText {
    public static func parse(_ text: String) throws -> SocketAddress {
        let bad = MPTopError.invalidRequest("'\(text)' is not ADDR:PORT (IPv6 as [ADDR]:PORT)")
        var host: Substring
        var port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw bad }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw bad }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            if host.contains(":") { throw bad } // bare IPv6 is ambiguous
        }
        guard let address = IPAddress(String(host)), let p = UInt16(port), p != 0 else { throw bad }
        return SocketAddress(address, p)
    }
}
