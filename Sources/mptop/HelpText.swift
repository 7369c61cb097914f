import Dashboard
import MPTCPKit

/// The prose of `mptop --help` (and of the man page's DESCRIPTION): what the options and
/// subcommands, declared in `MptopCommand`, do not say. The dashboard's keys come from its key
/// table, as in the help overlay.
enum HelpText {
    static let version = "mptop " + MptopVersion.number

    /// The width help is laid out for, whatever the terminal (the snapshots are recorded at it).
    static let columns = 80

    static let abstract = "Watch Linux Multipath TCP connections, their subflows and interfaces, live."

    static var discussion: String {
        """
        At a terminal mptop opens the live dashboard; piped, or with --once, --json or \
        --count, it prints text or JSON reports.

        WHAT YOU SEE
        Every MPTCP connection in the namespace (token, addresses, state, fallback, \
        owning process, MPTCP-level bytes) with its TCP subflows beneath it (interface, \
        cwnd, RTT and variance, bytes acked/received, retransmissions, rates, backup), \
        the listening MPTCP sockets, and each interface's share of the bytes carried by \
        MPTCP subflows. Rates are bits per second (Kb/s, Mb/s); byte counts use KiB/MiB; \
        RTTs milliseconds.

        DASHBOARD KEYS (? shows them in the dashboard)
        \(dashboardKeys)

        PERMISSIONS
        close, backup and failover need CAP_NET_ADMIN (root) and ask for confirmation \
        unless --yes. Every change a failover test makes is undone at its end, on Ctrl-C \
        and SIGTERM; a run killed hard leaves a journal in /run/mptop that the next mptop \
        (not --readonly) restores in the namespace where the change was made. Any user \
        can read MPTCP connections of their namespace. Entering another namespace needs \
        root. Kernels before 6.15 hide subflow tokens and ids from users without \
        CAP_NET_ADMIN; subflows are then matched to connections by socket inode.
        """
    }

    /// The help overlay's lines (`KeyMap.helpLines`), one key group and its meaning a line.
    static var dashboardKeys: String {
        let lines = KeyMap.helpLines()
        let width = lines.map(\.keys.count).max() ?? 0
        return lines.map { "  " + $0.keys.padded(to: width) + "  " + $0.help }
            .joined(separator: "\n")
    }
}
