import MPTCPKit

extension Connection {
    /// The token as the dashboard shows, sorts, filters, marks and acts on it. A connection the
    /// kernel gave no mptcp_info for has none; the dashboard has always shown it as 00000000
    /// (and an action on it is refused by the token lookup), so 0 stands in here, in one place.
    var displayToken: UInt32 { token ?? 0 }
}
