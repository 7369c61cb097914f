import Dashboard
import FuzzInput
import MPTCPKit

/// The dashboard on what the kernel sent: the samples of `FuzzInput.samples` into the view
/// model, then keys, each frame rendered. The keys are the payload bytes of NLMSG_NOOP
/// messages in the input (the kernel never sends those), one action per byte.
func fuzzDashboard(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let keys = input.messages.filter { $0.type == 1 }.flatMap { Array($0.payload.base) }
    var state = DashboardState(header: HeaderInfo(host: "fuzz", namespace: "fuzz", pathManager: .kernel, scheduler: "default",
                                                  canAct: true),
                               width: 120, height: 40)
    for (i, snapshot) in input.samples.enumerated() {
        state.apply(snapshot)
        _ = DashboardRenderer.render(state, theme: .basic)
        for key in keys.prefix(32).dropFirst(i * 16).prefix(16) {
            state.perform(actions[Int(key) % actions.count])
            if key >= 0xf0 { state.resize(width: Int(key & 0x0f) * 13 + 20, height: Int(key & 0x07) * 7 + 8) }
            _ = DashboardRenderer.render(state, theme: .basic)
        }
    }
    return 0
}

/// What a person can do with keys (not the ones that act on the kernel or quit).
private let actions: [DashboardAction] = [
    .moveUp, .moveDown, .pageUp, .pageDown, .home, .end, .toggleExpand, .activate, .switchPane,
    .nextSortColumn, .previousSortColumn, .reverseSort, .togglePause, .toggleHelp, .back,
    .showEvents, .showCounters, .showDiagnosis, .toggleZeroCounters, .click(x: 3, y: 9), .click(x: 40, y: 12),
]
