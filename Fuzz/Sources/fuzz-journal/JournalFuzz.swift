import FuzzInput
import MPTCPKit

/// Undo journals left in /run/mptop (`JournalEntry`, whose steps are `UndoStep(line:)`).
/// Deliberately one call into the parser: the journal format is being reworked.
func fuzzJournal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = JournalEntry(path: "/run/mptop/journal-fuzz-1.txt", text: FuzzInput(data, size).text)
    return 0
}
