import SystemPackage

extension LabError {
    /// A `.system` error naming what failed, with the errno kept as a value: its text ends the
    /// line ("cannot bind 1.2.3.4:5: Address in use").
    static func system(_ what: String, _ errno: Errno) -> LabError {
        LabError(.system, "\(what): \(errno.text)", errno: errno)
    }

    static func system(_ what: String, errno code: Int32) -> LabError {
        system(what, Errno(rawValue: code))
    }
}
