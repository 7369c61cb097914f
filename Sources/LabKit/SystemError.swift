#if canImport(Glibc)
import Glibc
#endif

/// The C library's text for `code`, e.g. "Connection refused".
func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}

extension LabError {
    /// A `.system` error naming what failed and the errno text: "cannot bind 1.2.3.4:5: Address in use".
    static func system(_ what: String, errno code: Int32) -> LabError {
        LabError(.system, "\(what): \(errnoText(code))")
    }
}
