// mptop-bench --busy-host P: a busy host, N MPTCP connections (--connections, default 1,000)
// among P plain TCP sockets (P/2 loopback connections, both ends held by this process, in the
// lab's client namespace). It times, round by round: the bare dumps as one sample does them
// (every TCP socket with tcp_info), the bare dumps of the first pass alone (TCP sockets without
// attributes), the mptop sample fetching subflows in one dump and fetching them one by one
// (its first sample, which makes the first pass, apart: later ones skip it while nothing changes),
// and `ss -Mi` + `ss -tni`, the ss way to the same MPTCP and subflow figures.
import Foundation
import LabKit
import MPTCPKit
import Output
#if canImport(Glibc)
import Glibc
#endif

/// `count` plain TCP sockets: half connecting, half accepted, over loopback to `port`.
final class PlainTCPCrowd {
    private(set) var descriptors: [Int32] = []

    init(sockets count: Int, port: UInt16) throws {
        try FileDescriptorLimit.ensure(count + 256)
        // 20,000 connections per listener: each needs its own source port towards it.
        let connections = count / 2
        var listeners: [(fd: Int32, port: UInt16)] = []
        for k in 0..<max(1, (connections + 19_999) / 20_000) {
            let port = port + UInt16(k)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: port.bigEndian,
                                      sin_addr: in_addr(s_addr: UInt32(0x7f00_0001).bigEndian), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard fd >= 0, bound == 0, listen(fd, 4096) == 0 else { throw LabError(.system, "plain TCP listener: errno \(errno)") }
            listeners.append((fd, port))
        }
        defer { listeners.forEach { Glibc.close($0.fd) } }
        func drain() {
            for l in listeners {
                while true {
                    let fd = accept(l.fd, nil, nil)  // the listener is non-blocking: -1 once drained
                    if fd < 0 { break }
                    descriptors.append(fd)
                }
            }
        }
        for i in 0..<connections {
            let l = listeners[i % listeners.count]
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { throw LabError(.system, "socket: errno \(errno) after \(descriptors.count) sockets") }
            var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: l.port.bigEndian,
                                      sin_addr: in_addr(s_addr: UInt32(0x7f00_0001).bigEndian), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
            let r = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard r == 0 || errno == EINPROGRESS else { throw LabError(.system, "connect: errno \(errno) after \(descriptors.count) sockets") }
            descriptors.append(fd)
            if i % 512 == 511 { drain() }
        }
        let deadline = now() + 30_000_000_000
        while descriptors.count < 2 * connections && now() < deadline {
            drain()
            usleep(10_000)
        }
        guard descriptors.count >= 2 * connections else { throw LabError(.system, "only \(descriptors.count) of \(2 * connections) plain sockets") }
    }

}

/// The crowd is spread over helper processes (`mptop-bench --hold-plain-tcp N --port P`, each
/// holding up to 16,000 sockets): a process may not hold 100,000 descriptors where the hard
/// limit is lower and cannot be raised (no CAP_SYS_RESOURCE in a container).
func holdPlainTCP(sockets count: Int, port: UInt16) -> Never {
    do {
        let crowd = try PlainTCPCrowd(sockets: count, port: port)
        try Console.out("ready \(crowd.descriptors.count)\n")
        while true { pause() }  // until the benchmark stops it
    } catch { fail("\(error)") }
}

func startPlainTCP(_ lab: Lab, sockets count: Int) throws -> [LabProcess] {
    let bench = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let perHelper = 16_000
    var helpers: [LabProcess] = []
    for (k, start) in stride(from: 0, to: count, by: perHelper).enumerated() {
        let n = min(perHelper, count - start)
        let helper = try lab.spawn(in: lab.clientNamespace, executable: bench,
                                   arguments: ["--hold-plain-tcp", String(n), "--port", String(20_000 + 10 * k)])
        helpers.append(helper)
        guard helper.waitForLine(containing: "ready", timeout: 120) != nil else {
            helpers.forEach { _ = $0.stop(timeout: 5) }
            throw LabError(.command, "plain TCP helper did not come up: \(helper.diagnosis)")
        }
    }
    return helpers
}

/// The TCP dumps with tcp_info and a bytecode filter that rejects every socket: what walking
/// the sockets costs the kernel before it writes anything, the floor of any bytecode filter.
func rawRejectAllDump(_ socket: NetlinkSocket) throws -> Int {
    var bytes = 0
    for family in [IPAddress.Family.ipv4, .ipv6] {
        var b = NetlinkRequestBuilder(type: SockDiagRequest.messageType, flags: NetlinkConstants.flagRequest | NetlinkConstants.flagDump)
        var body = [UInt8](repeating: 0, count: 56)
        body[0] = family.rawValue
        body[1] = SockDiagRequest.ipprotoTCP
        body[2] = (1 << 1) | (1 << 3)
        withUnsafeBytes(of: SockDiagRequest.subflowStates) { body.replaceSubrange(4..<8, with: $0) }
        for i in 48..<56 { body[i] = 0xff }
        b.append(body)
        // INET_DIAG_REQ_BYTECODE: one INET_DIAG_BC_JMP whose "no" lands past the end: reject.
        b.appendAttribute(type: 1, payload: [1, 4, 8, 0])
        try socket.dump(b) { bytes += 16 + $0.payload.count }
    }
    return bytes
}

func benchBusyHost(connections n: Int, plainSockets: Int, rounds: Int, mptop: String, ss: String) throws {
    try withIdleLab(connections: n, mptop: mptop) { lab, sampler in
        try benchBusyHost(lab, sampler, connections: n, plainSockets: plainSockets, rounds: rounds, ss: ss)
    }
}

private func benchBusyHost(_ lab: Lab, _ sampler: Sampler, connections n: Int, plainSockets: Int, rounds: Int, ss: String) throws {
    var options = Sampler.Options(processes: false)
    options.subflowFetch = .dump
    let dumping = try Sampler(options: options)
    options.subflowFetch = .oneByOne
    let oneByOne = try Sampler(options: options)
    let automatic = try Sampler(options: .init(processes: false))
    let seen = try sampler.sampleWithoutRates().subflowCount
    let helpers = try startPlainTCP(lab, sockets: plainSockets)
    defer { helpers.forEach { _ = $0.stop(timeout: 5) } }
    sleep(2)

    let raw = try NetlinkSocket(.sockDiag)
    var fullBytes = 0, identityBytes = 0
    var subflowsDumped = 0, subflowsOneByOne = 0
    _ = try rawDump(raw)
    _ = try automatic.sampleWithoutRates()
    _ = try dumping.sampleWithoutRates()
    let firstOneByOne = try milliseconds { _ = try oneByOne.sampleWithoutRates() }
    var rejected: [Double] = []
    var full: [Double] = [], identities: [Double] = [], dumped: [Double] = [], requested: [Double] = [], auto: [Double] = []
    for _ in 0..<rounds {
        full.append(try milliseconds { fullBytes = try rawDump(raw) })
        identities.append(try milliseconds { identityBytes = try rawDump(raw, tcp: SockDiagRequest.tcpIdentities) })
        rejected.append(try milliseconds { _ = try rawRejectAllDump(raw) })
        dumped.append(try milliseconds { subflowsDumped = try dumping.sampleWithoutRates().subflowCount })
        requested.append(try milliseconds { subflowsOneByOne = try oneByOne.sampleWithoutRates().subflowCount })
        auto.append(try milliseconds { _ = try automatic.sampleWithoutRates() })
    }
    let ssTimes = (0..<max(3, rounds / 3)).map { _ in
        milliseconds {
            _ = runMeasured(ss, ["-N", lab.clientNamespace, "-Mi"])
            _ = runMeasured(ss, ["-N", lab.clientNamespace, "-tni"])
        }
    }
    let x = median(ssTimes), f = median(full)
    func line(_ label: String, _ t: Double) -> String {
        label.padding(toLength: 58, withPad: " ", startingAt: 0) + ms(t).leftPadded(to: 10)
            + "   \(Units.fixed(t / max(f, 0.001), decimals: 2))x the bare dump, \(Units.fixed(t / max(x, 0.001), decimals: 2))x ss"
    }
    print("""
    busy host: \(n) MPTCP connections (\(seen) subflows) among \(dumping.tcpSocketsSeen) TCP sockets (median of \(rounds); ss of \(ssTimes.count)):
    \(line("  bare dumps, every TCP socket with tcp_info", f))   \(fullBytes / 1024) KiB
    \(line("  bare dumps, TCP sockets without attributes (first pass)", median(identities)))   \(identityBytes / 1024) KiB
    \(line("  TCP dumps with a bytecode filter that rejects all (walk)", median(rejected)))
    \(line("  mptop sample, subflows from one dump", median(dumped)))   \(subflowsDumped) subflows
    \(line("  mptop sample one by one (first pass only on changes)", median(requested)))   \(subflowsOneByOne) subflows
    \(line("  the first of those samples (with the first pass)", firstOneByOne))
    \(line("  mptop sample as it chooses (\(automatic.fetchesSubflowsOneByOne ? "one by one" : "one dump"))", median(auto)))
    \(line("  ss -Mi + ss -tni", x))
    """)
}
