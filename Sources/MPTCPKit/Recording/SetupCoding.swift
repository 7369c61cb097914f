/// The path-manager setup as recorded (what `mptop diagnose` reads besides samples, events and
/// counters): endpoints, limits, sysctls, links, which interface each endpoint is on, and what
/// could not be read. Written whole at every block start, so a replay that seeks has it.
enum SetupCoding {
    static func encode(_ s: PathManagerSetup, into w: inout RecordingByteWriter) {
        w.varint(s.mptcpEnabled.map { $0 ? 2 : 1 } ?? 0)
        optionalText(s.pathManager?.rawValue, &w)
        w.varint(s.endpoints.count)
        for e in s.endpoints {
            w.varint(UInt64(e.id))
            if let a = e.address {
                w.varint(UInt64(a.family.rawValue))
                w.u64(a.high)
                w.u64(a.low)
            } else {
                w.varint(0)
            }
            w.varint(UInt64(e.port))
            w.varint(UInt64(e.flags.rawValue))
            w.bool(e.interfaceIndex != nil)
            if let i = e.interfaceIndex { w.signed(Int64(i)) }
        }
        w.bool(s.limits != nil)
        if let l = s.limits {
            w.varint(UInt64(l.subflows))
            w.varint(UInt64(l.addAddrAccepted))
        }
        w.varint(s.sysctls.count)
        for v in s.sysctls {
            w.text(v.name)
            w.text(v.value)
        }
        w.varint(s.links.count)
        for l in s.links {
            w.varint(UInt64(l.index))
            w.text(l.name)
            w.varint(UInt64((l.up ? 1 : 0) | (l.loopback ? 2 : 0) | (l.running ? 4 : 0)))
        }
        let endpointInterfaces = s.endpointInterfaces.sorted { $0.key < $1.key }
        w.varint(endpointInterfaces.count)
        for (id, index) in endpointInterfaces {
            w.varint(UInt64(id))
            w.varint(UInt64(index))
        }
        w.varint(s.unreadable.count)
        for u in s.unreadable { w.text(u) }
    }

    static func decode(from r: inout RecordingByteReader, namespace: String?) throws(RecordingDamage) -> PathManagerSetup {
        var s = PathManagerSetup(namespace: namespace)
        switch try r.varint() {
        case 0: s.mptcpEnabled = nil
        case 1: s.mptcpEnabled = false
        case 2: s.mptcpEnabled = true
        case let v: throw RecordingDamage("mptcp enabled is \(v)")
        }
        s.pathManager = try optionalText(&r).map(PathManagerKind.init(rawValue:))
        for _ in 0..<(try r.count(limit: RecordingLimits.setupItems, minimumSize: 5, "endpoint")) {
            let id: UInt8 = try number(&r, "endpoint id")
            var address: IPAddress?
            let family: UInt8 = try number(&r, "endpoint family")
            if family != 0 {
                guard let f = IPAddress.Family(rawValue: family) else { throw RecordingDamage("endpoint address family \(family)") }
                address = IPAddress(family: f, high: try r.u64(), low: try r.u64())
            }
            let port: UInt16 = try number(&r, "endpoint port")
            let flags: UInt32 = try number(&r, "endpoint flags")
            var interface: Int32?
            if try r.bool() {
                guard let i = Int32(exactly: try r.signed()) else { throw RecordingDamage("endpoint interface out of range") }
                interface = i
            }
            s.endpoints.append(PathManagerEndpoint(id: id, address: address, port: port,
                                                   flags: .init(rawValue: flags), interfaceIndex: interface))
        }
        if try r.bool() {
            s.limits = PathManagerLimits(subflows: try number(&r, "subflow limit"), addAddrAccepted: try number(&r, "add_addr limit"))
        }
        for _ in 0..<(try r.count(limit: RecordingLimits.setupItems, minimumSize: 2, "sysctl")) {
            s.sysctls.append(MPTCPSysctlValue(name: try r.text(), value: try r.text()))
        }
        for _ in 0..<(try r.count(limit: RecordingLimits.setupItems, minimumSize: 3, "link")) {
            let index: UInt32 = try number(&r, "link index")
            let name = try r.text()
            let bits: UInt8 = try number(&r, "link flags")
            s.links.append(InterfaceTable.Link(index: index, name: name, up: bits & 1 != 0, loopback: bits & 2 != 0, running: bits & 4 != 0))
        }
        for _ in 0..<(try r.count(limit: RecordingLimits.setupItems, minimumSize: 2, "endpoint interface")) {
            let id: UInt8 = try number(&r, "endpoint id")
            s.endpointInterfaces[id] = try number(&r, "interface index")
        }
        for _ in 0..<(try r.count(limit: RecordingLimits.setupItems, "note")) { s.unreadable.append(try r.text()) }
        return s
    }

    private static func optionalText(_ s: String?, _ w: inout RecordingByteWriter) {
        w.bool(s != nil)
        if let s { w.text(s) }
    }

    private static func optionalText(_ r: inout RecordingByteReader) throws(RecordingDamage) -> String? {
        try r.bool() ? try r.text() : nil
    }

    private static func number<N: FixedWidthInteger & UnsignedInteger>(_ r: inout RecordingByteReader, _ what: String) throws(RecordingDamage) -> N {
        let v = try r.varint()
        guard let n = N(exactly: v) else { throw RecordingDamage("\(what) is \(v), out of its range") }
        return n
    }
}
