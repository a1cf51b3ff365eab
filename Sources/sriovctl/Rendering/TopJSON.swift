import SRIOVCore

/// `top --once --json`: docs/reference.md's keys first, then the totals and settings scripts also want.
enum TopJSON {
    static func render(_ rows: [VFTraffic], intervalSeconds: Double) -> JSONValue {
        .object([
            ("intervalSeconds", .double(intervalSeconds)),
            ("vfs", .array(rows.map(vf))),
        ])
    }

    static func vf(_ row: VFTraffic) -> JSONValue {
        let r = row.reading
        let c = row.counters
        func rate(_ v: Double?) -> JSONValue { v.map { .int(Int($0.rounded())) } ?? .null }
        func packets(_ v: Double?) -> JSONValue { v.map { .double(($0 * 10).rounded() / 10) } ?? .null }
        func count(_ v: UInt64?) -> JSONValue { v.map(JSONValue.uint) ?? .null }
        return .object([
            ("pf", .string(r.pf)),
            ("index", .int(r.index)),
            ("pci", .string(r.pci.description)),
            ("vm", .optional(r.vm, JSONValue.int)),
            ("counterSource", .optional(row.source?.rawValue, JSONValue.string)),
            ("rxBitsPerSecond", rate(row.rxBitsPerSecond)),
            ("txBitsPerSecond", rate(row.txBitsPerSecond)),
            ("rxPacketsPerSecond", packets(row.rxPacketsPerSecond)),
            ("txPacketsPerSecond", packets(row.txPacketsPerSecond)),
            ("rxDropped", count(c?.rxDropped)),
            ("txDropped", count(c?.txDropped)),
            ("note", .optional(row.note, JSONValue.string)),
            ("rxBytes", count(c?.rxBytes)),
            ("txBytes", count(c?.txBytes)),
            ("rxPackets", count(c?.rxPackets)),
            ("txPackets", count(c?.txPackets)),
            ("driver", .optional(r.driver, JSONValue.string)),
            ("netdev", .optional(r.netdev, JSONValue.string)),
            ("mac", .optional(r.settings.mac?.description, JSONValue.string)),
            ("vlan", .optional(r.settings.vlan, JSONValue.int)),
        ])
    }
}
