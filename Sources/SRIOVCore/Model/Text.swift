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
