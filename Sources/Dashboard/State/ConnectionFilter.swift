import MPTCPKit

/// The `/` filter: a connection matches when the text appears in its token (hex, as `ss`
/// prints it), an address or port of it or of one of its subflows, its process, or the name of an
/// interface one of its subflows uses.
public enum ConnectionFilter {
    /// `needle` must already be lowercased.
    public static func matches(_ c: Connection, _ needle: String) -> Bool {
        if let token = c.token, hex(token).contains(needle) { return true }
        if c.local.description.lowercased().contains(needle) || c.remote.description.lowercased().contains(needle) { return true }
        if let p = c.process, p.name.lowercased().contains(needle) || String(p.pid) == needle { return true }
        for s in c.subflows {
            if let name = s.interfaceName?.lowercased(), name.contains(needle) { return true }
            if s.local.description.lowercased().contains(needle) || s.remote.description.lowercased().contains(needle) { return true }
        }
        return false
    }
}
