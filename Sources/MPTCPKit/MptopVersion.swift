/// The release both binaries print with `--version` (and that the Debian package takes its
/// version from), kept in one place so mptop and mptop-exporter cannot drift apart.
public enum MptopVersion {
    public static let number = "0.1.0"
}
