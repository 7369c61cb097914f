import ArgumentParser
import MPTCPKit
import Output

/// `mptop diagnose`: the namespace's path-manager setup and, in plain words, why connections
/// have no extra subflow.
struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Show the path-manager setup, and why a connection has no extra subflow.",
        discussion: """
        Shows the MPTCP path-manager setup of a network namespace (path manager, endpoints with \
        their flags and interfaces, limits, net.mptcp sysctls, non-zero MPTCP counters) and then \
        findings: why a connection has no extra subflow (no 'subflow' endpoint, a limit of 0 or \
        reached, the peer not accepting joins, a fallback to TCP, an endpoint on an interface \
        that is down), most severe first. Exit status 0 whatever was found. With --json, one \
        JSON object: namespace, mptcp_enabled, path_manager, limits, endpoints, sysctls, \
        counters, findings [{severity, code, message, token}].
        """)

    @Flag(name: [.customShort("j"), .long], help: "One JSON object.")
    var json = false

    @OptionGroup var namespace: NamespaceOption

    func run() throws {
        let namespace = self.namespace.netns
        if let namespace { try NetworkNamespace.enter(namespace) }
        _ = try MPTCPSysctl.mptcpEnabled()
        // One sample without rates: the connections the findings talk about. Without it the
        // setup findings still stand, and the report says what it could not read.
        var snapshot: Snapshot?
        var sampleError: Error?
        do {
            snapshot = try Sampler(options: .init(processes: false, namespace: namespace)).sampleWithoutRates()
        } catch {
            sampleError = error
        }
        var setup = PathManagerSetup.gather(namespace: namespace, snapshot: snapshot)
        if let sampleError { setup.unreadable.append("the connections: \(sampleError)") }
        let diagnosis = Diagnosis(setup: setup)
        try Console.out(json ? DiagnosisJSON.render(diagnosis) + "\n" : DiagnosisText.render(diagnosis))
    }
}
