/// Proxmox VE's property strings (`0000:06:10.0,pcie=1`, `virtio=MAC,bridge=vmbr0`), read as
/// `PVE::JSONSchema::parse_property_string` reads them (pve-common `src/PVE/JSONSchema.pm`): parts
/// split at commas, empty parts skipped, `key=value` or a bare value for the format's default key,
/// a duplicate or unknown key refuses the whole string, booleans `1/0/on/off/yes/no/true/false`,
/// then every key checked against its type, pattern, range and enum, and required keys present.
public struct PropertyFormat: Sendable {
    public enum Kind: Sendable {
        case string
        case boolean
        case integer(ClosedRange<Int>?)
        case number
        case enumeration(Set<String>)
    }

    public struct Key: Sendable {
        public var kind: Kind
        public var optional: Bool = true
        public var defaultKey: Bool = false
        /// The value must match (whole); Proxmox anchors every pattern.
        public var pattern: (@Sendable (Substring) -> Bool)? = nil
        /// `alias`: this key is another's name (`virtio=MAC` is `macaddr=MAC`), and `keyAlias`
        /// records which alias was used (`model=virtio`).
        public var alias: String? = nil
        public var keyAlias: String? = nil
        public var maxLength: Int? = nil

        public init(
            _ kind: Kind, optional: Bool = true, defaultKey: Bool = false, pattern: (@Sendable (Substring) -> Bool)? = nil,
            alias: String? = nil, keyAlias: String? = nil, maxLength: Int? = nil
        ) {
            self.kind = kind
            self.optional = optional
            self.defaultKey = defaultKey
            self.pattern = pattern
            self.alias = alias
            self.keyAlias = keyAlias
            self.maxLength = maxLength
        }
    }

    public var keys: [String: Key]

    public init(_ keys: [String: Key]) { self.keys = keys }

    var defaultKey: String? { keys.first { $0.value.defaultKey }?.key }
}

/// A property string that Proxmox accepts: its values by key (booleans as `1`/`0`, aliases
/// resolved) and its parts in the order written (to change one and keep the rest as they were).
public struct PropertyValues: Hashable, Sendable {
    public var values: [String: String]
    /// (key as resolved, the part as written), in the order of the text.
    public var parts: [Part]

    public struct Part: Hashable, Sendable {
        public var key: String
        public var text: String
    }

    public subscript(key: String) -> String? { values[key] }

    /// A boolean key's value (Proxmox's `parse_boolean`), nil when absent.
    public func bool(_ key: String) -> Bool? { values[key].map { $0 == "1" } }
}

/// Why Proxmox refuses a property string, in its own words.
public struct PropertyStringError: Error, Hashable, Sendable {
    public var message: String
}

extension PropertyFormat {
    /// Reads `text` as Proxmox does, or says why Proxmox refuses it.
    public func parse(_ text: Substring) -> Result<PropertyValues, PropertyStringError> {
        var values: [String: String] = [:]
        var parts: [PropertyValues.Part] = []
        var sawDefault = false
        func fail(_ message: String) -> Result<PropertyValues, PropertyStringError> { .failure(PropertyStringError(message: message)) }
        for part in Self.splitParts(text) {
            if part.allSatisfy(\.isPerlSpace) { continue }
            if let eq = part.firstIndex(of: "="), eq != part.startIndex, part.index(after: eq) != part.endIndex {
                var key = String(part[..<eq])
                var value = String(part[part.index(after: eq)...])
                if values[key] != nil { return fail("duplicate key in comma-separated list property: \(key)") }
                var schema = keys[key]
                if let target = schema?.alias {
                    if let keyAlias = schema?.keyAlias {
                        if values[keyAlias] != nil { return fail("key alias '\(keyAlias)' is already defined") }
                        values[keyAlias] = key
                    }
                    key = target
                    schema = keys[key]
                    if values[key] != nil { return fail("key '\(key)' is already defined (via alias)") }
                }
                guard let schema else { return fail("invalid key in comma-separated list property: \(key)") }
                if case .boolean = schema.kind { value = Self.boolean(value) ?? value }
                values[key] = value
                parts.append(.init(key: key, text: String(part)))
            } else if !part.contains("=") {
                guard let key = defaultKey else { return fail("value without key, but schema does not define a default key") }
                if sawDefault || (values[key].map(Self.perlTrue) ?? false) {
                    return fail("duplicate key in comma-separated list property: \(key)")
                }
                sawDefault = true
                var value = String(part)
                if case .boolean = keys[key]?.kind { value = Self.boolean(value) ?? value }
                values[key] = value
                parts.append(.init(key: key, text: String(part)))
            } else {
                return fail("missing key in comma-separated list property")
            }
        }
        for (key, schema) in keys.sorted(by: { $0.key < $1.key }) {
            guard let value = values[key] else {
                if !schema.optional && schema.alias == nil { return fail("format error\n\(key): property is missing and it is not optional") }
                continue
            }
            if let problem = Self.check(value, schema) { return fail("format error\n\(key): \(problem)") }
        }
        return .success(PropertyValues(values: values, parts: parts))
    }

    private static func check(_ value: String, _ schema: Key) -> String? {
        switch schema.kind {
        case .boolean:
            if value != "1" && value != "0" { return "type check ('boolean') failed - got '\(value)'" }
        case let .integer(range):
            guard Self.isInteger(value) else { return "type check ('integer') failed - got '\(value)'" }
            if let range, let n = Int(value.hasPrefix("+") ? String(value.dropFirst()) : value) {
                if n < range.lowerBound { return "value must have a minimum value of \(range.lowerBound)" }
                if n > range.upperBound { return "value must have a maximum value of \(range.upperBound)" }
            } else if range != nil {
                return "value out of range"
            }
        case .number:
            guard value.isPerlNumber else { return "type check ('number') failed - got '\(value)'" }
        case let .enumeration(allowed):
            if !allowed.contains(value) {
                return "value '\(value)' does not have a value in the enumeration '\(allowed.sorted().joined(separator: ", "))'"
            }
        case .string:
            break
        }
        if let pattern = schema.pattern, !pattern(Substring(value)) { return "value does not match the regex pattern" }
        if let max = schema.maxLength, value.count > max { return "value may only be \(max) characters long" }
        return nil
    }

    /// Perl's `split(/,/, $data)`: trailing empty fields are dropped.
    static func splitParts(_ text: Substring) -> [Substring] {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false)
        while parts.last?.isEmpty == true { parts.removeLast() }
        return parts
    }

    /// `PVE::JSONSchema::parse_boolean`.
    public static func boolean(_ text: String) -> String? {
        switch text.lowercased() {
        case "1", "on", "yes", "true": "1"
        case "0", "off", "no", "false": "0"
        default: nil
        }
    }

    /// `PVE::JSONSchema::is_integer`: `^[+-]?\d+$`.
    static func isInteger(_ text: String) -> Bool {
        let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Perl truth of a string: everything but "" and "0".
    static func perlTrue(_ text: String) -> Bool { !text.isEmpty && text != "0" }
}

extension Character {
    /// Perl's `\s` on ASCII text.
    var isPerlSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\u{0B}" || self == "\u{0C}" }
}

extension String {
    /// `PVE::JSONSchema::is_number`.
    var isPerlNumber: Bool {
        var s = Substring(self)
        if s.first == "+" || s.first == "-" { s = s.dropFirst() }
        var mantissa = s
        var exponent: Substring?
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            exponent = s[s.index(after: e)...]
        }
        if var exp = exponent {
            if exp.first == "+" || exp.first == "-" { exp = exp.dropFirst() }
            guard !exp.isEmpty, exp.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, pieces.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        return pieces.contains { !$0.isEmpty }
    }
}
