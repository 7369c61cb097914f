/// `mptop diagnose` in one value: the namespace's path-manager setup and the findings drawn from
/// it. The dashboard shows the same on a key.
public struct Diagnosis: Sendable {
    public let setup: PathManagerSetup
    /// Most severe first.
    public let findings: [DiagnosisFinding]

    public init(setup: PathManagerSetup) {
        self.setup = setup
        findings = DiagnosisRules.findings(for: setup)
    }

    /// Reads the calling thread's namespace and diagnoses it. `snapshot`: the latest sample,
    /// for findings about single connections (nil leaves them out); `events`: recent
    /// path-manager events, if the caller has them (they explain some single subflows).
    public static func run(namespace: String? = nil, snapshot: Snapshot? = nil, events: [PathManagerEvent] = []) -> Diagnosis {
        Diagnosis(setup: PathManagerSetup.gather(namespace: namespace, snapshot: snapshot, events: events))
    }

    /// The findings about one connection (by its token).
    public func findings(for token: UInt32) -> [DiagnosisFinding] { findings.filter { $0.token == token } }
}
