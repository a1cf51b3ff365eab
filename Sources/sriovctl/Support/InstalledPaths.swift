import SRIOVEngine

/// Where the example files are, as help and messages name them: the package's
/// `/usr/share/doc/sriovctl/examples` for an installed binary (under /usr), the source tree's
/// `examples` otherwise. `SRIOVCTL_EXAMPLES` says it outright (the package's man pages are made
/// from the build tree's binary).
enum InstalledPaths {
    static let packagedExamples = "/usr/share/doc/sriovctl/examples"

    static let examples: String = {
        if let given = ThisProcess.environment("SRIOVCTL_EXAMPLES"), isPlain(given) { return given }
        let executable = (try? UnitInstaller.program(nil)) ?? ""
        return executable.hasPrefix("/usr/") ? packagedExamples : "examples"
    }()

    /// An absolute or relative path of letters, digits and `- _ . /` only, at most 256 characters.
    static func isPlain(_ path: String) -> Bool {
        !path.isEmpty && path.utf8.count <= 256
            && path.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0))
            }
    }
}
