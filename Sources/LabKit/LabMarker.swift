import MPTCPKit

/// What proves that lab namespaces belong to a run of this host: a file per lab, written by the
/// run that creates them, in a root-owned 0700 directory (`PrivateDirectory`). It holds the
/// run's `ProcessStamp` and each namespace's name with its identity. A later run deletes a lab
/// only when its marker says the owner is dead (same boot, same pid namespace, that pid gone or
/// started later) and the name still points at the very namespace recorded. A namespace that is
/// merely named like a lab (another pid namespace's demo, a copy made by hand) has no such
/// marker and is never touched.
///
/// Format: `mptop-lab 1`, the stamp's lines (`pid`, `started`, `pidns`, `boot`), then one
/// `netns NAME DEV:INO` per namespace. The file is `<stem>.lab` (`LabNamespaceName`).
public struct LabMarker: Equatable, Sendable {
    public static let defaultDirectory = PrivateDirectory.runDirectory + "/labs"

    public struct Namespace: Equatable, Sendable {
        public let name: String
        public let identity: NamespaceIdentity
        public init(name: String, identity: NamespaceIdentity) {
            self.name = name
            self.identity = identity
        }
    }

    public let stem: String
    public let owner: ProcessStamp
    public var namespaces: [Namespace]

    public init(stem: String, owner: ProcessStamp, namespaces: [Namespace] = []) {
        self.stem = stem
        self.owner = owner
        self.namespaces = namespaces
    }

    var fileName: String { stem + ".lab" }

    var text: String {
        (["mptop-lab 1"] + owner.lines + namespaces.map { "netns \($0.name) \($0.identity)" }).joined(separator: "\n") + "\n"
    }

    /// Parses exactly what `text` writes; every namespace must be one of this lab's names.
    init?(fileName: String, text: String) {
        guard fileName.hasSuffix(".lab") else { return nil }
        let stem = String(fileName.dropLast(4))
        guard LabNamespaceName.isStem(stem), text.hasSuffix("\n") else { return nil }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 5, lines[0] == "mptop-lab 1", let owner = ProcessStamp(lines: lines[1...4]) else { return nil }
        var namespaces: [Namespace] = []
        for line in lines.dropFirst(5) {
            let w = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard w.count == 3, w[0] == "netns", LabNamespaceName.stem(of: w[1]) == stem,
                  let identity = NamespaceIdentity(w[2]) else { return nil }
            namespaces.append(Namespace(name: w[1], identity: identity))
        }
        self.init(stem: stem, owner: owner, namespaces: namespaces)
    }

    /// Writes (or rewrites) the marker atomically, creating the directory when missing.
    public func write(in directory: String = defaultDirectory) throws {
        try Self.open(directory, create: true)?.write(fileName, text)
    }

    public func remove(in directory: String = defaultDirectory) {
        (try? Self.open(directory, create: false))??.remove(fileName)
    }

    /// Every well-formed marker in `directory`, with the directory to remove them from; files
    /// that are not markers mptop wrote are skipped.
    static func all(in directory: String) -> (PrivateDirectory, [LabMarker])? {
        guard let dir = (try? open(directory, create: false)) ?? nil else { return nil }
        let markers = dir.names().sorted().compactMap { name -> LabMarker? in
            guard name.hasSuffix(".lab"), let text = (try? dir.read(name)) ?? nil else { return nil }
            return LabMarker(fileName: name, text: text)
        }
        return (dir, markers)
    }

    /// The directory, and its parent when that is /run/mptop (both must be private).
    private static func open(_ directory: String, create: Bool) throws -> PrivateDirectory? {
        if create, directory == defaultDirectory { _ = try PrivateDirectory.open(PrivateDirectory.runDirectory, create: true) }
        return try PrivateDirectory.open(directory, create: create)
    }
}
