extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines (config lines, sysfs values, command output).
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s.removeLast() }
        return String(s)
    }

    /// A kernel module name in one spelling: modprobe treats `-` and `_` alike.
    public func normalizedModuleName() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}

extension StringProtocol {
    /// A value read from input, fit to be repeated in a message or a table: control characters
    /// (escape sequences, newlines) shown escaped, and anything past `limit` characters cut with
    /// a count of what was left out.
    public func echoed(limit: Int = 80) -> String {
        var out = ""
        var shown = 0
        for character in self {
            if shown == limit {
                return out + "… (\(count - limit) more characters)"
            }
            shown += 1
            if character.isASCII, let ascii = character.asciiValue, ascii < 0x20 || ascii == 0x7f {
                out += ascii == 0x0a ? "\\n" : ascii == 0x09 ? "\\t" : "\\u{\(String(ascii, radix: 16))}"
            } else if character.unicodeScalars.contains(where: { (0x80...0x9f).contains($0.value) || $0.value == 0x1b }) {
                out += character.unicodeScalars.map { "\\u{\(String($0.value, radix: 16))}" }.joined()
            } else {
                out.append(character)
            }
        }
        return out
    }
}

extension StringProtocol {
    /// The text as a terminal may show it: lines and tabs kept, every other control character
    /// (ESC and the rest of C0, DEL, C1) written as `\u{1b}`, so nothing read from a host, a file
    /// or a program's output can move the cursor, clear the screen or retitle the window.
    public var terminalSafe: String {
        guard contains(where: { c in c.unicodeScalars.contains { Self.isControl($0) } }) else { return String(self) }
        var out = ""
        for scalar in unicodeScalars {
            if Self.isControl(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7f...0x9f).contains(scalar.value)
    }
}
