/// Parses TOML 1.0 (without dates and times) into values that keep their source positions, so
/// every config error can name its line and column. Strict: a key or table defined twice is an
/// error, as the TOML specification requires.
public struct TOMLParser {
    private let text: [UInt8]
    private var index = 0
    /// Arrays and inline tables open now: each level is a stack frame, so a hostile file cannot
    /// nest them without bound.
    private var depth = 0
    static let maximumDepth = 64
    private var line = 1
    private var lineStart = 0
    private let root: MutableTable
    private var current: MutableTable

    public static func parse(_ source: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(source)
        return try parser.parseDocument()
    }

    private init(_ source: String) {
        text = Array(source.utf8)
        root = MutableTable(position: SourcePosition(line: 1, column: 1), origin: .root)
        current = root
    }

    // MARK: - Document structure

    private mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLTable {
        if text.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
        while true {
            skipWhitespace()
            guard let c = peek() else { break }
            switch c {
            case UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: "["):
                try parseTableHeader()
            default:
                try parseKeyValue(into: current)
            }
            try endOfLine()
        }
        return root.frozen()
    }

    /// After an expression only whitespace and a comment may follow on the line.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") {
            while let c = peek(), c != UInt8(ascii: "\n") {
                if c < 0x20 && c != 0x09 && c != 0x0D { throw error("control character in a comment") }
                // A carriage return only ends a line with a line feed after it (TOML 1.0).
                if c == 0x0D && (index + 1 >= text.count || text[index + 1] != 0x0A) {
                    throw error("a carriage return must be followed by a line feed")
                }
                advance()
            }
        }
        guard let c = peek() else { return }
        if c == UInt8(ascii: "\r") { advance() }
        guard peek() == UInt8(ascii: "\n") else { throw error("expected the end of the line here") }
        advance()
        newline()
    }

    private mutating func parseTableHeader() throws(TOMLSyntaxError) {
        let position = here
        advance()
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { advance() }
        skipWhitespace()
        let keys = try parseKey()
        skipWhitespace()
        guard consume("]") else { throw error("expected ] to close the table header") }
        if isArray && !consume("]") { throw error("expected ]] to close the array-of-tables header") }
        var table = root
        for (i, key) in keys.enumerated() {
            let last = i == keys.count - 1
            if last && isArray {
                table = try appendArrayTable(in: table, key: key, position: position)
            } else if last {
                table = try defineTable(in: table, key: key, position: position)
            } else {
                table = try descend(into: table, key: key, position: position, forHeader: true)
            }
        }
        current = table
    }

    private mutating func parseKeyValue(into table: MutableTable) throws(TOMLSyntaxError) {
        let keys = try parseKey()
        skipWhitespace()
        guard consume("=") else { throw error("expected = after the key \"\(keys.map(\.name).joined(separator: "."))\"") }
        skipWhitespace()
        let node = try parseValue()
        var target = table
        for key in keys.dropLast() {
            target = try descend(into: target, key: key, position: key.position, forHeader: false)
        }
        let key = keys[keys.count - 1]
        guard target.children[key.name] == nil else {
            throw TOMLSyntaxError(message: "the key \"\(key.name)\" is defined twice", position: key.position)
        }
        target.set(key.name, .value(node), keyPosition: key.position)
    }

    // MARK: - Tables

    private func descend(into table: MutableTable, key: Key, position: SourcePosition, forHeader: Bool)
        throws(TOMLSyntaxError) -> MutableTable
    {
        switch table.children[key.name] {
        case nil:
            let child = try nested(in: table, position: position, origin: forHeader ? .implicit : .dotted, key: key)
            table.set(key.name, .table(child), keyPosition: key.position)
            return child
        case let .table(child)?:
            if child.origin == .inline { throw redefined(key) }
            if !forHeader && child.origin == .header { throw redefined(key) }
            return child
        case let .arrayOfTables(list)?:
            guard forHeader, let last = list.tables.last else { throw redefined(key) }
            return last
        case .value?:
            throw redefined(key)
        }
    }

    private func defineTable(in table: MutableTable, key: Key, position: SourcePosition) throws(TOMLSyntaxError)
        -> MutableTable
    {
        switch table.children[key.name] {
        case nil:
            let child = try nested(in: table, position: position, origin: .header, key: key)
            table.set(key.name, .table(child), keyPosition: key.position)
            return child
        case let .table(child)? where child.origin == .implicit:
            child.origin = .header
            return child
        default:
            throw redefined(key)
        }
    }

    private func appendArrayTable(in table: MutableTable, key: Key, position: SourcePosition)
        throws(TOMLSyntaxError) -> MutableTable
    {
        let child = try nested(in: table, position: position, origin: .header, key: key)
        switch table.children[key.name] {
        case nil:
            table.set(key.name, .arrayOfTables(TableList([child])), keyPosition: key.position)
        case let .arrayOfTables(list)?:
            // Appended in place: an array held in the enum was copied for every table (48,000
            // `[[pf.vf]]` tables took 43 s to read: quadratic, issue 26).
            list.tables.append(child)
        default:
            throw redefined(key)
        }
        return child
    }

    /// A table inside `table`. Tables nest at most `maximumDepth` deep (by headers, dotted keys
    /// and inline tables together): reading, freezing and freeing a table recurse once per level,
    /// and 20,000 nested dotted keys overflowed the stack (issue 26).
    private func nested(in table: MutableTable, position: SourcePosition, origin: MutableTable.Origin, key: Key)
        throws(TOMLSyntaxError) -> MutableTable
    {
        guard table.level < Self.maximumDepth else {
            throw TOMLSyntaxError(
                message: "tables are nested more than \(Self.maximumDepth) deep (at the key \"\(key.name.echoed(limit: 40))\")",
                position: key.position)
        }
        let child = MutableTable(position: position, origin: origin)
        child.level = table.level + 1
        return child
    }

    private func redefined(_ key: Key) -> TOMLSyntaxError {
        TOMLSyntaxError(message: "\"\(key.name)\" is already defined", position: key.position)
    }

    // MARK: - Keys

    struct Key {
        let name: String
        let position: SourcePosition
    }

    private mutating func parseKey() throws(TOMLSyntaxError) -> [Key] {
        var keys: [Key] = []
        while true {
            skipWhitespace()
            let position = here
            let name: String
            switch peek() {
            case UInt8(ascii: "\"")?:
                name = try parseBasicString()
            case UInt8(ascii: "'")?:
                name = try parseLiteralString()
            case let c? where isBareKeyCharacter(c):
                let start = index
                while let c = peek(), isBareKeyCharacter(c) { advance() }
                name = String(decoding: text[start..<index], as: UTF8.self)
            default:
                throw error("expected a key")
            }
            keys.append(Key(name: name, position: position))
            skipWhitespace()
            guard consume(".") else { return keys }
        }
    }

    private func isBareKeyCharacter(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c == 0x2D
    }

    // MARK: - Values

    private mutating func parseValue() throws(TOMLSyntaxError) -> TOMLNode {
        let position = here
        guard let c = peek() else { throw error("expected a value") }
        let value: TOMLValue
        switch c {
        case UInt8(ascii: "\""):
            value = .string(try startsWith("\"\"\"") ? parseMultilineBasicString() : parseBasicString())
        case UInt8(ascii: "'"):
            value = .string(try startsWith("'''") ? parseMultilineLiteralString() : parseLiteralString())
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else {
                throw error("arrays and inline tables are nested more than \(Self.maximumDepth) deep")
            }
            depth += 1
            defer { depth -= 1 }
            value = c == UInt8(ascii: "[") ? .array(try parseArray()) : .table(try parseInlineTable(position: position))
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            if startsWith("true") {
                index += 4
                value = .boolean(true)
            } else if startsWith("false") {
                index += 5
                value = .boolean(false)
            } else {
                throw error("expected a value (strings need quotes)")
            }
        default:
            value = try parseNumber()
        }
        return TOMLNode(value: value, position: position)
    }

    private mutating func parseArray() throws(TOMLSyntaxError) -> [TOMLNode] {
        advance()
        var items: [TOMLNode] = []
        while true {
            try skipWhitespaceNewlinesAndComments()
            if consume("]") { return items }
            items.append(try parseValue())
            try skipWhitespaceNewlinesAndComments()
            if consume("]") { return items }
            guard consume(",") else { throw error("expected , or ] in the array") }
        }
    }

    private mutating func parseInlineTable(position: SourcePosition) throws(TOMLSyntaxError) -> TOMLTable {
        advance()
        let table = MutableTable(position: position, origin: .inline)
        table.level = depth
        skipWhitespace()
        if consume("}") { return table.frozen() }
        while true {
            skipWhitespace()
            try parseKeyValue(into: table)
            skipWhitespace()
            if consume("}") { break }
            guard consume(",") else { throw error("expected , or } in the inline table") }
        }
        table.sealNested()
        return table.frozen()
    }

    private mutating func parseNumber() throws(TOMLSyntaxError) -> TOMLValue {
        let start = index
        while let c = peek(), !isValueTerminator(c) { advance() }
        let raw = String(decoding: text[start..<index], as: UTF8.self)
        if raw.isEmpty {
            index = start
            throw error("expected a value")
        }
        if let value = Self.integer(raw) { return .integer(value) }
        if let value = Self.float(raw) { return .float(value) }
        index = start
        if Self.isIntegerShaped(raw) {
            throw error("\(raw.echoed(limit: 40)) is out of range: integers are 64-bit (-9223372036854775808 to 9223372036854775807)")
        }
        if raw.count >= 5, raw.dropFirst(4).first == "-" || raw.dropFirst(2).first == ":" {
            throw error("dates and times are not used in sriovctl's config")
        }
        throw error("\(raw.echoed()) is not a value (strings need quotes: \"\(raw.echoed())\")")
    }

    private func isValueTerminator(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ",") || c == UInt8(ascii: "]")
            || c == UInt8(ascii: "}") || c == UInt8(ascii: "#")
    }

    /// A well-formed integer (TOML's grammar) that did not fit in 64 bits.
    static func isIntegerShaped(_ raw: String) -> Bool {
        integerSyntax(raw) != nil
    }

    static func integer(_ raw: String) -> Int64? {
        guard let (sign, digits, radix) = integerSyntax(raw) else { return nil }
        return Int64(sign + digits.filter { $0 != "_" }, radix: radix)
    }

    /// TOML 1.0's integer grammar, exactly: `[+-]` only before decimal digits; `0x`/`0o`/`0b`
    /// without a sign; no leading zero; an underscore only between two digits. Returns the sign,
    /// the digits (underscores kept) and the radix, or nil when `raw` is no integer at all
    /// (`++1`, `+-0`, `+0x5`, `+_1`, `1_` are not integers, however large).
    static func integerSyntax(_ raw: String) -> (sign: String, digits: Substring, radix: Int)? {
        var s = Substring(raw)
        var radix = 10
        for (prefix, base) in [("0x", 16), ("0o", 8), ("0b", 2)] where s.hasPrefix(prefix) {
            radix = base
            s = s.dropFirst(2)
        }
        var sign = ""
        if radix == 10, let f = s.first, f == "+" || f == "-" {
            sign = f == "-" ? "-" : ""
            s = s.dropFirst()
        }
        let isDigit: (Character) -> Bool = { c in
            switch radix {
            case 16: c.isHexDigit
            case 8: ("0"..."7").contains(c)
            case 2: c == "0" || c == "1"
            default: c.isASCII && c.isNumber
            }
        }
        guard let first = s.first, isDigit(first), let last = s.last, isDigit(last) else { return nil }
        var previousUnderscore = false
        for c in s {
            if c == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
            } else if isDigit(c) {
                previousUnderscore = false
            } else {
                return nil
            }
        }
        if radix == 10 && s.count > 1 && first == "0" { return nil }  // no leading zeros
        return (sign, s, radix)
    }

    static func float(_ raw: String) -> Double? {
        switch raw {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        guard raw.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), !raw.contains("__"),
            !raw.hasPrefix("."), !raw.hasSuffix("."), !raw.contains("._"), !raw.contains("_.")
        else { return nil }
        return Double(raw.filter { $0 != "_" })
    }

    // MARK: - Strings

    private mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        advance()
        var bytes: [UInt8] = []
        while true {
            guard let c = peek(), c != 0x0A else { throw error("the string is not closed on this line") }
            advance()
            switch c {
            case UInt8(ascii: "\""): return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"): bytes += try parseEscape()
            case let c where c < 0x20 && c != 0x09: throw error("control character in a string")
            default: bytes.append(c)
            }
        }
    }

    private mutating func parseMultilineBasicString() throws(TOMLSyntaxError) -> String {
        index += 3
        skipOneNewline()
        var bytes: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("the multi-line string is not closed") }
            if startsWith("\"\"\"") {
                index += 3
                // Up to two more quotes belong to the content.
                var extra = 0
                while extra < 2 && peek() == UInt8(ascii: "\"") {
                    bytes.append(UInt8(ascii: "\""))
                    advance()
                    extra += 1
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                advance()
                // A backslash at the end of a line trims the newline and following whitespace.
                var look = index
                while look < text.count && (text[look] == 0x20 || text[look] == 0x09) { look += 1 }
                if look < text.count && (text[look] == 0x0A || text[look] == 0x0D) {
                    index = look
                    try skipWhitespaceAndNewlines()
                    continue
                }
                bytes += try parseEscape()
                continue
            }
            if c == 0x0A {
                advance()
                newline()
                bytes.append(c)
                continue
            }
            advance()
            bytes.append(c)
        }
    }

    private mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        advance()
        let start = index
        while true {
            guard let c = peek(), c != 0x0A else { throw error("the string is not closed on this line") }
            if c == UInt8(ascii: "'") {
                let value = String(decoding: text[start..<index], as: UTF8.self)
                advance()
                return value
            }
            advance()
        }
    }

    private mutating func parseMultilineLiteralString() throws(TOMLSyntaxError) -> String {
        index += 3
        skipOneNewline()
        var bytes: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("the multi-line string is not closed") }
            if startsWith("'''") {
                index += 3
                var extra = 0
                while extra < 2 && peek() == UInt8(ascii: "'") {
                    bytes.append(UInt8(ascii: "'"))
                    advance()
                    extra += 1
                }
                return String(decoding: bytes, as: UTF8.self)
            }
            advance()
            if c == 0x0A { newline() }
            bytes.append(c)
        }
    }

    private mutating func parseEscape() throws(TOMLSyntaxError) -> [UInt8] {
        guard let c = peek() else { throw error("unfinished escape") }
        advance()
        switch c {
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "\""): return [0x22]
        case UInt8(ascii: "\\"): return [0x5C]
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = c == UInt8(ascii: "u") ? 4 : 8
            guard index + count <= text.count,
                let code = UInt32(String(decoding: text[index..<(index + count)], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(code)
            else { throw error("invalid unicode escape") }
            index += count
            return Array(String(Character(scalar)).utf8)
        default:
            throw error("invalid escape \\\(Character(Unicode.Scalar(c)))")
        }
    }

    // MARK: - Characters

    private var here: SourcePosition { SourcePosition(line: line, column: index - lineStart + 1) }

    private func peek() -> UInt8? { index < text.count ? text[index] : nil }
    private mutating func advance() { index += 1 }
    private mutating func newline() {
        line += 1
        lineStart = index
    }

    private func startsWith(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        return index + bytes.count <= text.count && Array(text[index..<(index + bytes.count)]) == bytes
    }

    private mutating func consume(_ s: String) -> Bool {
        guard startsWith(s) else { return false }
        index += s.utf8.count
        return true
    }

    private mutating func skipWhitespace() {
        while let c = peek(), c == 0x20 || c == 0x09 { advance() }
    }

    private mutating func skipOneNewline() {
        if peek() == 0x0D { advance() }
        if peek() == 0x0A {
            advance()
            newline()
        }
    }

    private mutating func skipWhitespaceAndNewlines() throws(TOMLSyntaxError) {
        while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
            if c == 0x0D && (index + 1 >= text.count || text[index + 1] != 0x0A) {
                throw error("a carriage return must be followed by a line feed")
            }
            advance()
            if c == 0x0A { newline() }
        }
    }

    private mutating func skipWhitespaceNewlinesAndComments() throws(TOMLSyntaxError) {
        while true {
            try skipWhitespaceAndNewlines()
            guard peek() == UInt8(ascii: "#") else { return }
            while let c = peek(), c != 0x0A { advance() }
        }
    }

    private func error(_ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(message: message, position: here)
    }
}

/// A table while it is being built: headers and dotted keys may add to it later.
private final class MutableTable {
    enum Origin { case root, header, implicit, dotted, inline }
    enum Child {
        case value(TOMLNode)
        case table(MutableTable)
        case arrayOfTables(TableList)
    }

    let position: SourcePosition
    var origin: Origin
    /// How deep it is: the root 0, each header part, dotted key part or inline table one more.
    var level = 0
    var children: [String: Child] = [:]
    var order: [(String, SourcePosition)] = []

    init(position: SourcePosition, origin: Origin) {
        self.position = position
        self.origin = origin
    }

    func set(_ key: String, _ child: Child, keyPosition: SourcePosition) {
        children[key] = child
        order.append((key, keyPosition))
    }

    /// Tables made by dotted keys inside an inline table are closed with it.
    func sealNested() {
        origin = .inline
        for case let .table(t) in children.values { t.sealNested() }
    }

    func frozen() -> TOMLTable {
        TOMLTable(
            entries: order.map { key, keyPosition in
                let node: TOMLNode
                switch children[key]! {
                case let .value(v): node = v
                case let .table(t): node = TOMLNode(value: .table(t.frozen()), position: t.position)
                case let .arrayOfTables(list):
                    let ts = list.tables
                    node = TOMLNode(
                        value: .array(ts.map { TOMLNode(value: .table($0.frozen()), position: $0.position) }),
                        position: ts.first?.position ?? keyPosition)
                }
                return TOMLTable.Entry(key: key, keyPosition: keyPosition, node: node)
            }, position: position)
    }
}

/// The tables of one `[[name]]` array, shared so each new one is appended in place.
private final class TableList {
    var tables: [MutableTable]
    init(_ tables: [MutableTable]) { self.tables = tables }
}
