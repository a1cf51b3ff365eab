/// The Prometheus text exposition format (version 0.0.4): families with HELP and TYPE, samples
/// with escaped label values. Built by hand: every sample here mirrors a value the kernel keeps,
/// which a collector library's increment-only counters cannot express.
public struct MetricsExposition: Sendable {
    public enum Kind: String, Sendable { case counter, gauge }

    struct Family {
        var name: String
        var help: String
        var kind: Kind
        var samples: [(labels: [(String, String)], value: String)] = []
    }

    private var families: [Family] = []

    public init() {}

    /// Adds a sample to the family `name`, creating the family (with its HELP and TYPE) the first time.
    public mutating func add(_ name: String, _ kind: Kind, help: String, labels: [(String, String)] = [], value: Double) {
        add(name, kind, help: help, labels: labels, text: Self.number(value))
    }

    /// Adds a count exactly (a 64-bit counter can exceed what a Double holds exactly).
    public mutating func add(_ name: String, _ kind: Kind, help: String, labels: [(String, String)] = [], count: UInt64) {
        add(name, kind, help: help, labels: labels, text: String(count))
    }

    private mutating func add(_ name: String, _ kind: Kind, help: String, labels: [(String, String)], text value: String) {
        if let i = families.firstIndex(where: { $0.name == name }) {
            families[i].samples.append((labels, value))
        } else {
            families.append(Family(name: name, help: help, kind: kind, samples: [(labels, value)]))
        }
    }

    /// The page `/metrics` serves.
    public var text: String {
        var out = ""
        for family in families where !family.samples.isEmpty {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += family.name
                if !sample.labels.isEmpty {
                    out += "{" + sample.labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
                }
                out += " " + sample.value + "\n"
            }
        }
        return out
    }

    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    static func escapeHelp(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    /// Integers without a decimal point (counters up to 2^53 are exact), others as Swift prints them.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
        return String(value)
    }
}
