import MPTCPKit

/// What a confirmation dialog needs to know of a planned action.
public protocol ConfirmablePlan {
    /// The action in words, naming the exact connection and subflow.
    var description: String { get }
    /// Set when a second, explicit confirmation is needed; says why.
    var secondConfirmation: String? { get }
    var kind: ConfirmablePlanKind { get }
}

public enum ConfirmablePlanKind: Equatable, Sendable {
    case closeSubflow, backup
    /// A failover test in the named mode (`m` moves to the next one).
    case failover(mode: String)
}

/// The confirm → execute flow of one action, as a value: the dialog it shows, how far the
/// confirmation got, and what an answer leads to. The loop carries out the step it returns;
/// tests drive it without a kernel.
public struct ActionFlow<Plan: ConfirmablePlan> {
    public private(set) var plan: Plan
    /// 1 once the first of two confirmations was given.
    public private(set) var confirmations = 0

    public init(_ plan: Plan) { self.plan = plan }

    public enum Step {
        /// Still asking (the dialog may have changed, e.g. to the second confirmation).
        case asking
        /// Confirmed: carry it out.
        case execute(Plan, confirmedTwice: Bool)
        /// Cancelled: nothing was changed.
        case cancelled
        /// A failover test: plan the next mode (`replace` the plan with it).
        case nextMode
    }

    public mutating func answer(_ answer: DialogAnswer) -> Step {
        switch answer {
        case .confirm:
            if plan.secondConfirmation != nil && confirmations == 0 {
                // Closing the last subflow strands the connection: ask again, louder.
                confirmations = 1
                return .asking
            }
            return .execute(plan, confirmedTwice: confirmations > 0)
        case .cancel:
            return .cancelled
        case .nextMode:
            if case .failover = plan.kind { return .nextMode }
            return .asking
        }
    }

    /// The same question about another plan (the failover test's next mode).
    public mutating func replace(_ plan: Plan) { self.plan = plan }

    public var dialog: Dialog {
        if confirmations > 0, let why = plan.secondConfirmation {
            return Dialog(title: "Really close the LAST subflow?", text: plan.description, warning: why,
                          answers: [.init(key: "y", label: "yes, close it anyway"), .init(key: "n", label: "cancel (Esc)")])
        }
        switch plan.kind {
        case .closeSubflow:
            return Dialog(title: "Close this subflow?", text: plan.description,
                          answers: [.init(key: "y", label: "close it"), .init(key: "n", label: "cancel (Esc)")])
        case .backup:
            return Dialog(title: "Change the backup flag?", text: plan.description,
                          answers: [.init(key: "y", label: "change it"), .init(key: "n", label: "cancel (Esc)")])
        case .failover(let mode):
            return Dialog(title: "Run a failover test?", text: plan.description,
                          answers: [.init(key: "y", label: "start"), .init(key: "m", label: "mode: \(mode)"),
                                    .init(key: "n", label: "cancel (Esc)")])
        }
    }
}

extension PlannedAction: ConfirmablePlan {
    public var kind: ConfirmablePlanKind {
        switch action {
        case .closeSubflow: return .closeSubflow
        case .toggleSubflowBackup, .toggleInterfaceBackup: return .backup
        case .failover(let config): return .failover(mode: config.mode.rawValue)
        }
    }
}
