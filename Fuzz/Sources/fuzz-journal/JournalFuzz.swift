import FuzzInput
import MPTCPKit

/// Undo journals left in /run/mptop: `JournalEntry(fileName:text:)`, whose steps are
/// `UndoStep(line:)`. The first line of the input is the file name (the run id and table
/// names are checked against it), the rest the file's text.
func fuzzJournal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = FuzzInput(data, size).text
    let split = input.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let name = split.count == 2 && split[0].hasPrefix("journal-") ? String(split[0]) : "journal-4242_1f.txt"
    let text = split.count == 2 && split[0].hasPrefix("journal-") ? String(split[1]) : input
    _ = try? JournalEntry(fileName: name, text: text)
    return 0
}
