import Dashboard
import XCTest

/// The confirm → execute flow of an action, without a kernel.
final class ActionFlowTests: XCTestCase {
    struct Plan: ConfirmablePlan, Equatable {
        var description: String
        var secondConfirmation: String?
        var kind: ConfirmablePlanKind
    }

    func testOneConfirmationExecutes() {
        var flow = ActionFlow(Plan(description: "close cell0 of 5f1c2a3b", secondConfirmation: nil, kind: .closeSubflow))
        XCTAssertEqual(flow.dialog.title, "Close this subflow?")
        XCTAssertEqual(flow.dialog.text, "close cell0 of 5f1c2a3b")
        guard case .execute(let plan, let twice) = flow.answer(.confirm) else { return XCTFail("confirm executes") }
        XCTAssertEqual(plan.description, "close cell0 of 5f1c2a3b")
        XCTAssertFalse(twice)
    }

    func testTheLastSubflowAsksTwice() {
        var flow = ActionFlow(Plan(description: "close wifi0", secondConfirmation: "the connection would be stranded", kind: .closeSubflow))
        guard case .asking = flow.answer(.confirm) else { return XCTFail("the first yes asks again") }
        XCTAssertEqual(flow.dialog.title, "Really close the LAST subflow?")
        XCTAssertEqual(flow.dialog.warning, "the connection would be stranded")
        guard case .execute(_, let twice) = flow.answer(.confirm) else { return XCTFail("the second yes executes") }
        XCTAssertTrue(twice)
    }

    func testCancelAtEitherStep() {
        var flow = ActionFlow(Plan(description: "close wifi0", secondConfirmation: "stranded", kind: .closeSubflow))
        _ = flow.answer(.confirm)
        guard case .cancelled = flow.answer(.cancel) else { return XCTFail("cancel after the first yes") }
    }

    func testModesOnlyForFailover() {
        var backup = ActionFlow(Plan(description: "backup on", secondConfirmation: nil, kind: .backup))
        guard case .asking = backup.answer(.nextMode) else { return XCTFail("m does nothing outside a failover test") }
        var failover = ActionFlow(Plan(description: "blackhole wifi0", secondConfirmation: nil, kind: .failover(mode: "blackhole")))
        XCTAssertTrue(failover.dialog.answers.contains { $0.label == "mode: blackhole" })
        guard case .nextMode = failover.answer(.nextMode) else { return XCTFail("m asks for the next mode") }
        failover.replace(Plan(description: "close wifi0", secondConfirmation: nil, kind: .failover(mode: "close")))
        XCTAssertTrue(failover.dialog.answers.contains { $0.label == "mode: close" })
    }
}
