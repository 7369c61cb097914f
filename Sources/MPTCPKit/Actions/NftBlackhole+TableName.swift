extension NftBlackhole {
    /// The table a failover run makes: `mptop_failover_<run id>`.
    public static func tableName(for run: ActionRunID) -> String { tablePrefix + run.description }

    /// The run whose table `name` is, nil unless `name` is exactly what `tableName(for:)` makes.
    /// `nft` parses its arguments as commands (`;` separates them), so no other name may ever
    /// reach `nft delete table` from a journal.
    public static func run(ofTable name: String) -> ActionRunID? {
        guard name.hasPrefix(tablePrefix) else { return nil }
        return ActionRunID(String(name.dropFirst(tablePrefix.count)))
    }

    static let tablePrefix = "mptop_failover_"
}
