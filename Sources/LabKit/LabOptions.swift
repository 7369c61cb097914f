/// How to build a `Lab`. The defaults model a phone with fast WiFi and slower cellular.
public struct LabOptions: Sendable {
    /// Rate of the wifi0 path in bits per second, both directions; nil leaves it unshaped.
    public var wifiRate: UInt64?
    /// Rate of the cell0 path in bits per second, both directions; nil leaves it unshaped.
    public var cellRate: UInt64?
    /// Whether the client gets MPTCP `subflow` endpoints on cell0 (IPv4 and IPv6), so every
    /// connection opens a second subflow there. Off for tests of single-subflow connections.
    public var subflowEndpoint: Bool
    /// The MPTCP path-manager limits set on both sides (`subflow` and `add_addr_accepted`).
    public var subflowLimit: Int

    public init(wifiRate: UInt64? = 50_000_000, cellRate: UInt64? = 20_000_000,
                subflowEndpoint: Bool = true, subflowLimit: Int = 4) {
        self.wifiRate = wifiRate
        self.cellRate = cellRate
        self.subflowEndpoint = subflowEndpoint
        self.subflowLimit = subflowLimit
    }

    /// The configured rate of `path`.
    public func rate(of path: LabPath) -> UInt64? {
        switch path {
        case .wifi: return wifiRate
        case .cell: return cellRate
        case .wired: return nil
        }
    }
}
