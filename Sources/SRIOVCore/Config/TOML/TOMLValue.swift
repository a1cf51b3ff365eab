/// A place in a text file, 1-based, as editors show it.
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// A TOML value and where it was written. Dates and times are not part of it: sriovctl's files
/// have none, and the parser says so when it meets one.
public indirect enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLNode])
    case table(TOMLTable)

    /// The kind as a person says it, for error messages.
    public var kind: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number with a fraction"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }
}

/// A value with the position of its first character.
public struct TOMLNode: Sendable, Equatable {
    public let value: TOMLValue
    public let position: SourcePosition
}

/// A table: its keys in the order written, each with the position of the key.
public struct TOMLTable: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let key: String
        public let keyPosition: SourcePosition
        public let node: TOMLNode
    }

    public let entries: [Entry]
    /// Where the table was opened (its header, or its first key for the root and dotted tables).
    public let position: SourcePosition

    public subscript(key: String) -> Entry? { entries.first { $0.key == key } }
}

/// A document that is not valid TOML.
public struct TOMLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let position: SourcePosition

    public var description: String { "\(position): \(message)" }
}
