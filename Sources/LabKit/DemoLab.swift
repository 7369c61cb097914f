import FoundationEssentials
import Synchronization
import MPTCPKit

/// The lab behind `mptop demo`: a phone and a server with WiFi and cellular paths, a transfer
/// whose every byte the server checks, and the things a presenter does to it (take WiFi away,
/// degrade cellular, add a path, start another transfer). Each action returns one line saying
/// what happened, for the dashboard's message line and the script's events.
public final class DemoLab: @unchecked Sendable {
    public let lab: Lab
    private let mptop: String
    public let server: LabProcess
    public private(set) var senders: [LabProcess]
    public private(set) var wifiUp = true
    public private(set) var cellDegraded = false
    /// Cellular's rate while degraded: a tenth of its normal rate, at least 1 Mbit/s.
    public var degradedCellRate: UInt64 { max(1_000_000, (lab.options.cellRate ?? 20_000_000) / 10) }
    /// The third path's rate.
    public static let wiredRate: UInt64 = 30_000_000
    /// The latest change the presenter made (what it was, monotonic seconds), so a receiver
    /// problem can say how long after which change it showed up.
    private var lastChange: (what: String, at: Double)
    /// The receiver's first problem with the change before it, fixed when first seen.
    private var problemSeen: String?
    private let lock = Mutex(())

    /// Builds the lab and starts one transfer; the server reports live totals every half second.
    public init(options: LabOptions, mptop: String) throws {
        lab = try Lab(options: options)
        do {
            let traffic = try lab.startTraffic(mptop: mptop, serverArguments: ["--progress", "0.5"])
            server = traffic.server
            senders = [traffic.sender]
        } catch {
            lab.close()
            throw error
        }
        self.mptop = mptop
        lastChange = ("the transfer started", Clock.system.monotonicSeconds())
    }

    private func changed(_ what: String) {
        lock.withLock { _ in lastChange = (what, Clock.system.monotonicSeconds()) }
    }

    /// Walks out of WiFi range (wifi0 down on both ends) or back in.
    @discardableResult
    public func toggleWifi() throws -> String {
        try lab.setLink(.wifi, up: !wifiUp)
        wifiUp.toggle()
        changed(wifiUp ? "wifi0 up" : "wifi0 down")
        return wifiUp ? "WiFi is back (wifi0 up): MPTCP moves traffic onto it again"
                      : "WiFi is gone (wifi0 down, as if out of range): cellular takes over"
    }

    /// Cellular drops to a tenth of its rate, or recovers.
    @discardableResult
    public func toggleCellDegraded() throws -> String {
        let normal = lab.options.cellRate
        try lab.setRate(.cell, bitsPerSecond: cellDegraded ? normal : degradedCellRate)
        cellDegraded.toggle()
        changed(cellDegraded ? "cell0 degraded" : "cell0 restored")
        return cellDegraded ? "cellular degraded to \(degradedCellRate / 1_000_000) Mbit/s"
                            : "cellular back to \(normal.map { "\($0 / 1_000_000) Mbit/s" } ?? "full speed")"
    }

    /// Adds eth0 with a subflow endpoint: the running connections open a third subflow on it.
    @discardableResult
    public func addThirdPath() throws -> String {
        guard !lab.hasPath(.wired) else { return "the third path (eth0) is already there" }
        try lab.addPath(.wired, bitsPerSecond: Self.wiredRate)
        changed("eth0 added")
        return "added a third path, eth0 (\(Self.wiredRate / 1_000_000) Mbit/s): connections open a subflow on it"
    }

    /// Starts one more checked transfer to the server (up to 8 in all).
    @discardableResult
    public func startTransfer() throws -> String {
        guard senders.count < 8 else { return "already \(senders.count) transfers running" }
        senders.append(try lab.startSender(mptop: mptop))
        changed("transfer \(senders.count) started")
        return "started transfer \(senders.count)"
    }

    /// What the receiver has checked so far.
    public struct ReceiverStatus: Sendable, Equatable {
        public var open: Int
        public var bytesReceived: UInt64
        public var intact: Bool
        /// Why not intact: the server's words (connection, first wrong byte's offset, expected
        /// and received byte) and how long after which change the demo first saw it.
        public var problem: String?
        /// Stream offset of the first wrong byte, when that is the problem.
        public var badOffset: UInt64?
    }

    /// The server's latest progress report, nil before the first one.
    public var receiver: ReceiverStatus? {
        guard let line = server.lastLine(containing: #""event":"progress""#),
              let report = try? JSONDecoder().decode(ServerReport.self, from: Data(line.utf8)), let open = report.open else { return nil }
        return ReceiverStatus(open: open, bytesReceived: report.bytesReceived, intact: report.intact,
                              problem: report.intact ? nil : problem(reported: report.problem),
                              badOffset: report.badOffset)
    }

    /// The fields of the server's `progress` and `summary` lines the demo reads.
    private struct ServerReport: Decodable {
        var open: Int?
        var bytesReceived: UInt64
        var intact: Bool
        var problem: String?
        var badOffset: UInt64?

        enum CodingKeys: String, CodingKey {
            case open, intact, problem
            case bytesReceived = "bytes_received"
            case badOffset = "bad_offset"
        }
    }

    /// The server's problem (the same first one in every later report) with the change before
    /// it, worded the first time the demo sees it.
    private func problem(reported: String?) -> String {
        lock.withLock { _ in
            if let problemSeen { return problemSeen }
            let since = Clock.system.monotonicSeconds() - lastChange.at
            let seen = (reported ?? "the receiver gave no reason")
                + "; seen \(Units.fixed(since, decimals: 1)) s after \(lastChange.what)"
            problemSeen = seen
            return seen
        }
    }

    /// Stops the senders, then the server, and returns the server's final verdict: every byte
    /// of every connection intact, or the problem it found. Nil when the server printed no summary.
    public func finish() -> (intact: Bool, bytesReceived: UInt64, problem: String?)? {
        for sender in senders { sender.stop(timeout: 10) }
        server.stop(timeout: 10)
        guard let line = server.lastLine(containing: #""event":"summary""#),
              let report = try? JSONDecoder().decode(ServerReport.self, from: Data(line.utf8)) else { return nil }
        return (report.intact, report.bytesReceived, report.problem)
    }

    public func close() { lab.close() }
}
