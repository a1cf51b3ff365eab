/// Short human figures for a narrow column: 81234 -> "81.2k", 1.2e9 -> "1.20G".
public enum Units {
    /// Three significant digits with an SI prefix (k, M, G, T, P).
    public static func si(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value < 1000 {
            return value < 10 && value != value.rounded() ? format(value, decimals: 1) : String(Int(value.rounded()))
        }
        let prefixes = ["k", "M", "G", "T", "P", "E"]
        var scaled = value
        var prefix = ""
        for p in prefixes where scaled >= 999.5 {
            scaled /= 1000
            prefix = p
        }
        let decimals = scaled < 9.995 ? 2 : scaled < 99.95 ? 1 : 0
        return format(scaled, decimals: decimals) + prefix
    }

    /// Fixed decimals without Foundation.
    public static func format(_ value: Double, decimals: Int) -> String {
        var factor = 1.0
        for _ in 0..<decimals { factor *= 10 }
        let rounded = (value * factor).rounded()
        let whole = Int(rounded / factor)
        guard decimals > 0 else { return String(whole) }
        let fraction = Int(abs(rounded - Double(whole) * factor))
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
