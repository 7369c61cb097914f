/// `mptop --help`.
enum HelpText {
    static let version = "mptop 0.1.0"

    static let main = """
    mptop: watch Linux Multipath TCP connections, their subflows and interfaces, live.

    USAGE
      mptop [--netns NAME] [--interval SECS]        the live dashboard (at a terminal; a text view when piped)
      mptop --once [--json] [--netns NAME]           one report, then exit
      mptop --json [--interval SECS] [--count N]     stream snapshots, one JSON object per line
      mptop events [--json] [--netns NAME]           stream path-manager events, decoded (root)
      mptop diagnose [--json] [--netns NAME]         path-manager setup, and why there is no extra subflow
      mptop report --output FILE.tar.gz [--seconds S] [--netns NAME]
                                                     debug bundle for a bug report ('mptop report --help')
      mptop demo [--script handover [--json]]        WiFi/cellular lab with live MPTCP traffic (root; 'mptop demo --help')
      mptop traffic serve|send ...                   built-in MPTCP traffic generator (see 'mptop traffic --help')
      mptop capture DIR [--netns NAME]               save the kernel's raw replies (for test fixtures)
      mptop close --token T --subflow ADDR:PORT      close one subflow (see 'mptop close --help')
      mptop backup (--endpoint E | --token T --subflow ADDR:PORT) --on|--off
                                                     change backup priority ('mptop backup --help')
      mptop failover --token T|--all --interface IF --mode blackhole|close|backup --duration SECS [--json]
                                                     failover test with a report ('mptop failover --help')

    OPTIONS
      -1, --once            take one report and exit. Rates are measured over --interval
                            (default 0.5 s here); --interval 0 reports without rates.
      -j, --json            print JSON instead of a table (fields: see README, "JSON output").
      -i, --interval SECS   time between samples (default 1; 0 = back to back).
      -c, --count N         stop after N samples.
      -n, --netns NAME      look into network namespace NAME (as 'ip -n NAME'; needs root).
          --no-processes    do not look up owning processes (skips the /proc scan).

    DASHBOARD OPTIONS
      -t, --theme NAME|PATH colour theme (default "default"; see --list-themes). A theme that
                            cannot be read or parsed is an error naming the file and line.
          --list-themes     list the themes found, with their files, and exit.
          --themes-dir DIR  look for themes in DIR first (then $XDG_CONFIG_HOME/mptop/themes,
                            ~/.config/mptop/themes, and the bundled Themes/).
          --no-color        no colours (also when NO_COLOR is set): attributes only.
          --readonly        no actions, even with CAP_NET_ADMIN (the header says read-only).
          --keep-closed S   keep closed connections and subflows on screen, dimmed, for S
                            seconds (default 30).

    DASHBOARD KEYS (? shows them all)
      Up/Down j/k PgUp/PgDn Home/End  move        Enter  expand; again: detail view with graphs
      Space  expand/collapse    Tab  interfaces/connections    s < >  sort column   r  reverse
      /  filter (address, port, token, process, interface; Esc clears)   p  pause   + -  interval
      t  next theme   e  event log   c  counters   d  diagnose   x  close subflow   b  backup
      f  failover test   q or Ctrl-C  quit
          --readonly        never change anything (close, backup, failover and the
                            dashboard's action keys refuse; a killed run's undo journal
                            is named, not restored).
      -h, --help            show this help.
      -V, --version         show the version.

    WHAT YOU SEE
      Every MPTCP connection in the namespace (token, addresses, state, fallback, owning
      process, MPTCP-level bytes) with its TCP subflows beneath it (interface, cwnd, RTT and
      variance, bytes acked/received, retransmissions, rates, backup), the listening MPTCP
      sockets, and each interface's share of the bytes carried by MPTCP subflows.
      Rates are bits per second (Kb/s, Mb/s); byte counts use KiB/MiB; RTTs milliseconds.

    PERMISSIONS
      close, backup and failover need CAP_NET_ADMIN (root) and ask for confirmation unless
      --yes. Every change a failover test makes is undone at its end, on Ctrl-C and SIGTERM;
      a run killed hard leaves a journal in /run/mptop that the next mptop (not --readonly)
      restores in the namespace where the change was made.
      Any user can read MPTCP connections of their namespace. Entering another namespace
      needs root. Kernels before 6.15 hide subflow tokens and ids from users without
      CAP_NET_ADMIN; subflows are then matched to connections by socket inode.
    """
}
