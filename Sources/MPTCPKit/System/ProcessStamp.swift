#if canImport(Glibc)
import Glibc
#endif

/// A process as a later run can recognise it: its pid, when it started (/proc/PID/stat field
/// 22), which pid namespace the pid belongs to, and the boot. A pid alone proves nothing: it is
/// reused, and in another pid namespace the same number is another process. Journals and lab
/// markers carry a stamp, and what they describe is only taken over once `liveness` is `.dead`.
public struct ProcessStamp: Equatable, Sendable {
    public let pid: Int32
    /// Clock ticks after boot.
    public let startTicks: UInt64
    public let pidNamespace: NamespaceIdentity
    /// /proc/sys/kernel/random/boot_id.
    public let boot: String

    public init(pid: Int32, startTicks: UInt64, pidNamespace: NamespaceIdentity, boot: String) {
        self.pid = pid
        self.startTicks = startTicks
        self.pidNamespace = pidNamespace
        self.boot = boot
    }

    /// This process.
    public static func current() throws -> ProcessStamp {
        let pid = getpid()
        guard let start = startTicks(of: pid), let boot = bootID() else {
            throw MPTopError.io("cannot read /proc/\(pid)/stat or the boot id")
        }
        return ProcessStamp(pid: pid, startTicks: start, pidNamespace: try NamespaceIdentity.current(.pid), boot: boot)
    }

    public enum Liveness: Equatable, Sendable {
        case alive
        case dead
        /// It cannot be told from here (why, one phrase).
        case unknown(String)
    }

    public var liveness: Liveness {
        guard let now = Self.bootID() else { return .unknown("the boot id cannot be read") }
        if now != boot { return .dead } // written before a reboot
        guard let ours = try? NamespaceIdentity.current(.pid) else { return .unknown("the pid namespace cannot be read") }
        if pidNamespace != ours {
            // Only from the initial pid namespace is every process visible, so only there does
            // "no process is in that pid namespace" mean that the namespace, and the run, are gone.
            guard ours.inode == Self.initialPidNamespaceInode else { return .unknown("written in another pid namespace") }
            let held = (DirectoryEntries.names("/proc") ?? []).contains { entry in
                entry.isDecimalNumber && NamespaceIdentity.of(path: "/proc/\(entry)/ns/pid") == pidNamespace
            }
            return held ? .unknown("written in another pid namespace, which still has processes") : .dead
        }
        guard let start = Self.startTicks(of: pid) else { return .dead }
        return start == startTicks ? .alive : .dead // the pid now belongs to a later process
    }

    /// PROC_PID_INIT_INO (include/linux/proc_ns.h): the inode of the initial pid namespace.
    static let initialPidNamespaceInode: UInt64 = 0xEFFF_FFFC

    /// Field 22 of /proc/PID/stat; the fields are counted after the command name in
    /// parentheses, which may itself hold spaces and parentheses.
    public static func startTicks(of pid: Int32) -> UInt64? {
        guard let text = (try? TextFile.read("/proc/\(pid)/stat", limit: 4096)) ?? nil,
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state).
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    static func bootID() -> String? {
        ((try? TextFile.read("/proc/sys/kernel/random/boot_id", limit: 128)) ?? nil)?.trimmingWhitespace().filter { $0 != "\n" }
    }
}

extension ProcessStamp {
    /// The stamp as the lines journals and lab markers hold: `pid`, `started`, `pidns`, `boot`.
    public var lines: [String] {
        ["pid \(pid)", "started \(startTicks)", "pidns \(pidNamespace)", "boot \(boot)"]
    }

    /// Parses exactly `lines`' four lines, in order.
    public init?(lines: ArraySlice<String>) {
        let values = Array(lines)
        guard values.count == 4 else { return nil }
        func value(_ i: Int, _ key: String) -> String? { values[i].value(forKey: key) }
        guard let p = value(0, "pid"), p.isDecimalNumber, let pid = Int32(p), pid > 0,
              let s = value(1, "started"), s.isDecimalNumber, let start = UInt64(s),
              let ns = value(2, "pidns").flatMap(NamespaceIdentity.init),
              let boot = value(3, "boot"), boot.count == 36, boot.allSatisfy({ $0.isHexDigit || $0 == "-" }) else { return nil }
        self.init(pid: pid, startTicks: start, pidNamespace: ns, boot: boot)
    }
}
