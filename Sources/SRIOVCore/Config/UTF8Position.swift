extension SourcePosition {
    /// Where the first byte that is not UTF-8 stands (line and column, columns counted in
    /// characters as an editor shows them), with that byte; nil for valid UTF-8. UTF-8 as RFC 3629
    /// has it: no overlong forms, no surrogates, nothing past U+10FFFF.
    public static func firstInvalidUTF8(in bytes: [UInt8]) -> (position: SourcePosition, byte: UInt8)? {
        var line = 1
        var column = 1
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                low = 0xA0
            case 0xED:
                length = 3
                high = 0x9F
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xF0:
                length = 4
                low = 0x90
            case 0xF4:
                length = 4
                high = 0x8F
            case 0xF1...0xF3: length = 4
            default: return (SourcePosition(line: line, column: column), lead)
            }
            for k in 1..<length {
                guard i + k < bytes.count else { return (SourcePosition(line: line, column: column), lead) }
                let byte = bytes[i + k]
                let (min, max) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard (min...max).contains(byte) else { return (SourcePosition(line: line, column: column), byte) }
            }
            if lead == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return nil
    }
}
