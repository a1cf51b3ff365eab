/// Where something is in a config file: the file, the key path, and the line and column when known.
public struct ConfigLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var keyPath: String
    public var position: SourcePosition?

    public init(file: String, keyPath: String, position: SourcePosition?) {
        self.file = file
        self.keyPath = keyPath
        self.position = position
    }

    /// `file:line:column: key.path`, as compilers print it, so editors can jump to it.
    public var description: String {
        let place = position.map { "\(file):\($0.line):\($0.column)" } ?? file
        return keyPath.isEmpty ? place : "\(place): \(keyPath)"
    }
}

/// One thing wrong with a config file.
public struct ConfigDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: ConfigLocation
    public var message: String

    public init(_ location: ConfigLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Everything wrong with a config file, all at once. Nothing on the host is changed.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]
    static let shownAtMost = 50

    public init(_ diagnostics: [ConfigDiagnostic]) {
        self.diagnostics = diagnostics.sorted { a, b in
            (a.location.position ?? SourcePosition(line: .max, column: 0), a.location.keyPath)
                < (b.location.position ?? SourcePosition(line: .max, column: 0), b.location.keyPath)
        }
    }

    public var description: String {
        let count = diagnostics.count == 1 ? "1 problem" : "\(diagnostics.count) problems"
        // The first 50 are enough to see what is wrong; a hostile file can make thousands.
        let shown = diagnostics.prefix(Self.shownAtMost).map { "  \($0)" }
        let rest = diagnostics.count > Self.shownAtMost ? ["  ... and \(diagnostics.count - Self.shownAtMost) more"] : []
        return "the config has \(count); nothing was changed:\n" + (shown + rest).joined(separator: "\n")
    }
}
