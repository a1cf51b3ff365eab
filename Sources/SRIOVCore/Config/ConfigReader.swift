/// Reads sriovctl's TOML config into `SRIOVConfig`, checking everything that can be checked
/// without the host: the schema, types, ranges, index lists and duplicates within the file.
/// Every problem is collected, each with its file, line, column and key path.
public struct ConfigReader {
    public let path: String
    private var diagnostics: [ConfigDiagnostic] = []

    public static let pfKeys = ["name", "pci", "mac", "num-vfs", "mtu", "autoprobe", "link", "sync-bridge-fdb", "defaults", "vf"]
    /// Proxmox VE assignment, only in [[pf.vf]].
    public static let guestKeys = ["vm", "slot", "pcie", "mapping"]
    public static let vfKeys = VFField.allCases.map(\.configKey) + ["driver", "role"]
    /// The most VFs any PCI device can have (the SR-IOV capability's TotalVFs is 16 bits).
    static let maximumVFs = 65_535

    /// Parses and checks `text` (the content of the file at `path`).
    public static func read(_ text: String, path: String) throws(ConfigError) -> SRIOVConfig {
        let document: TOMLTable
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw ConfigError([
                ConfigDiagnostic(
                    ConfigLocation(file: path, keyPath: "", position: error.position),
                    "not valid TOML: \(error.message)")
            ])
        }
        var reader = ConfigReader(path: path)
        let config = reader.config(document)
        if !reader.diagnostics.isEmpty { throw ConfigError(reader.diagnostics) }
        return config
    }

    private init(path: String) { self.path = path }

    // MARK: - Structure

    private mutating func config(_ root: TOMLTable) -> SRIOVConfig {
        rejectUnknown(root, allowed: ["pf"], path: "")
        var pfs: [PFConfig] = []
        if let entry = root["pf"] {
            if case let .array(items) = entry.node.value, items.allSatisfy({ if case .table = $0.value { true } else { false } }) {
                for (i, item) in items.enumerated() {
                    if case let .table(table) = item.value, let pf = pf(table, path: "pf[\(i)]") { pfs.append(pf) }
                }
            } else {
                report(at: entry.node.position, "pf", "each PF is a [[pf]] table (an array of tables), not \(entry.node.value.kind)")
            }
        }
        checkDistinctPFs(pfs)
        return SRIOVConfig(path: path, pfs: pfs)
    }

    private mutating func pf(_ table: TOMLTable, path: String) -> PFConfig? {
        rejectUnknown(table, allowed: Self.pfKeys, path: path)
        let here = ConfigLocation(file: self.path, keyPath: path, position: table.position)
        let selector = identity(table, at: here, path: path)
        let numVFs = integer(
            table["num-vfs"], path: path, key: "num-vfs", range: 0...Self.maximumVFs,
            expected: "a whole number of VFs, 0 or more (0 removes them all)")
        if table["num-vfs"] == nil {
            diagnostics.append(ConfigDiagnostic(here, "num-vfs is required: how many VFs this PF should have"))
        }
        let mtu = integer(table["mtu"], path: path, key: "mtu", range: 68...65_535, expected: "an integer 68-65535")
        let autoprobe = boolean(table["autoprobe"], path: path, key: "autoprobe")
        let syncBridgeFDB = boolean(table["sync-bridge-fdb"], path: path, key: "sync-bridge-fdb") ?? false
        let keepLink = keepsLink(table, path: path)
        let defaults = self.defaults(table, path: path)
        let vfs = vfTables(table, path: path, numVFs: numVFs)
        guard let selector, let numVFs else { return nil }
        var pf = PFConfig(
            selector: selector, numVFs: numVFs, mtu: mtu, autoprobe: autoprobe, defaults: defaults,
            vfs: vfs, location: here)
        pf.keepLink = keepLink
        pf.syncBridgeFDB = syncBridgeFDB
        return pf
    }

    /// Which PF: exactly one of name, pci or mac.
    private mutating func identity(_ table: TOMLTable, at here: ConfigLocation, path: String) -> PFSelector? {
        let identities = ["name", "pci", "mac"].compactMap { key in table[key] }
        guard identities.count == 1, let id = identities.first else {
            let found = identities.isEmpty ? "none is given" : "\(identities.map(\.key).joined(separator: " and ")) are given"
            diagnostics.append(ConfigDiagnostic(here, "name the PF with exactly one of name, pci or mac (\(found))"))
            return nil
        }
        return pfSelector(id, path: path)
    }

    /// `link = "keep"` (true) or `"up"`, the default.
    private mutating func keepsLink(_ table: TOMLTable, path: String) -> Bool {
        guard let e = table["link"] else { return false }
        if case let .string(s) = e.node.value, s == "up" || s == "keep" { return s == "keep" }
        report(
            at: e.node.position, "\(path).link",
            "link must be \"up\" (bring the PF up: the default, VFs pass no traffic while it is down) or \"keep\" (leave it as it is)")
        return false
    }

    /// `[pf.defaults]`: settings for every VF that its own table leaves out.
    private mutating func defaults(_ table: TOMLTable, path: String) -> VFConfig {
        guard let entry = table["defaults"] else { return VFConfig() }
        guard case let .table(t) = entry.node.value else {
            report(at: entry.node.position, "\(path).defaults", "defaults must be a table ([pf.defaults])")
            return VFConfig()
        }
        rejectUnknown(t, allowed: Self.vfKeys, path: "\(path).defaults")
        return vf(t, path: "\(path).defaults")
    }

    /// Which `[[pf.vf]]` table configured each VF first. An array, not a dictionary: a hostile
    /// "0-65535" in many tables costs a pass over an array.
    private struct VFOwners {
        /// tables[owner[i]] is the table that configured VF i first (-1: none yet).
        var owner: [Int32] = []
        var tables: [String] = []

        /// What claiming `indexes` for the table at `path` found: the first index already taken
        /// (with its table) and how many were, and the first and last index past `numVFs`.
        struct Claim {
            var already: (index: Int, table: String)?
            var alreadyCount = 0
            var missing: (first: Int, last: Int)?
            var claimed: [Int] = []
        }

        mutating func claim(_ indexes: [Int], for path: String, numVFs: Int?) -> Claim {
            var result = Claim()
            let table = Int32(tables.count)
            tables.append(path)
            for index in indexes {
                // Past num-vfs is an error already: not stored (a hostile "0-65535" costs no more than 4 VFs).
                if let numVFs, index >= numVFs {
                    result.missing = (result.missing?.first ?? index, index)
                    continue
                }
                if index >= owner.count { owner.append(contentsOf: repeatElement(-1, count: index + 1 - owner.count)) }
                if owner[index] >= 0 {
                    if result.already == nil { result.already = (index, tables[Int(owner[index])]) }
                    result.alreadyCount += 1
                    continue
                }
                owner[index] = table
                result.claimed.append(index)
            }
            return result
        }
    }

    /// The `[[pf.vf]]` tables, each VF's settings by index (only with a valid `num-vfs`).
    private mutating func vfTables(_ table: TOMLTable, path: String, numVFs: Int?) -> [Int: VFConfig] {
        guard let entry = table["vf"] else { return [:] }
        guard case let .array(items) = entry.node.value else {
            report(at: entry.node.position, "\(path).vf", "VFs are [[pf.vf]] tables")
            return [:]
        }
        var vfs: [Int: VFConfig] = [:]
        var owners = VFOwners()
        for (i, item) in items.enumerated() {
            let vfPath = "\(path).vf[\(i)]"
            guard case let .table(t) = item.value else {
                report(at: item.position, vfPath, "each VF is a [[pf.vf]] table")
                continue
            }
            rejectUnknown(t, allowed: Self.vfKeys + Self.guestKeys + ["index", "indexes"], path: vfPath)
            var settings = vf(t, path: vfPath)
            guestAssignment(t, path: vfPath, into: &settings)
            let indexes = vfIndexes(t, path: vfPath)
            if indexes.count > 1, settings.vm != nil, settings.mapping == nil, let e = t["slot"] {
                report(
                    at: e.node.position, "\(vfPath).slot",
                    "slot gives one hostpci slot, but indexes names \(indexes.count) VFs; leave slot out to take free slots")
            }
            // One message per kind and table, however many indexes a list names: the first (and
            // last) index of each kind and how many there are, not a list of them.
            let claim = owners.claim(indexes, for: vfPath, numVFs: numVFs)
            // Without num-vfs the PF is refused: only the diagnostics needed the owners.
            if numVFs != nil {
                vfs.reserveCapacity(vfs.count + claim.claimed.count)
                for index in claim.claimed { vfs[index] = settings }
            }
            if let (index, earlier) = claim.already {
                report(
                    at: t.position, vfPath,
                    "VF \(index) is already configured by \(earlier)" + (claim.alreadyCount > 1 ? " (and \(claim.alreadyCount - 1) more VFs)" : ""))
            }
            if let (first, last) = claim.missing, let numVFs {
                let which = first == last ? "VF \(first) does not exist" : "VFs \(first)-\(last) do not exist"
                report(
                    at: (t["index"] ?? t["indexes"])?.node.position ?? t.position, vfPath,
                    "\(which): num-vfs is \(numVFs), so VF indexes are 0-\(max(numVFs - 1, 0))" + (numVFs == 0 ? " (none)" : ""))
            }
        }
        return vfs
    }

    private mutating func vf(_ t: TOMLTable, path: String) -> VFConfig {
        var c = VFConfig()
        func loc(_ key: String) -> ConfigLocation {
            ConfigLocation(file: self.path, keyPath: "\(path).\(key)", position: t[key]?.node.position ?? t.position)
        }
        for key in Self.vfKeys where t[key] != nil { c.locations[key] = loc(key) }
        if let e = t["mac"] {
            if case let .string(s) = e.node.value {
                if s == "auto" {
                    c.mac = .auto
                } else if s == "keep" {
                    c.mac = .keep
                } else if let mac = MACAddress(s) {
                    if mac.isZero {
                        report(
                            at: e.node.position, "\(path).mac",
                            "00:00:00:00:00:00 is the unset MAC that breaks FreeBSD guests; use \"auto\" or a real one")
                    } else if mac.isMulticast {
                        report(
                            at: e.node.position, "\(path).mac",
                            "\(mac) is a multicast address; a VF needs a unicast MAC (first byte even), or \"auto\"")
                    } else {
                        c.mac = .fixed(mac)
                    }
                } else {
                    report(
                        at: e.node.position, "\(path).mac",
                        "mac must be \"auto\", \"keep\" or a MAC like \"02:00:00:00:00:01\" (found \"\(s.echoed())\")")
                }
            } else {
                report(at: e.node.position, "\(path).mac", "mac must be a string: \"auto\", \"keep\" or a MAC like \"02:00:00:00:00:01\"")
            }
        }
        for field in VFField.allCases where field != .mac {
            guard let value = setting(t[field.configKey], path: path, field: field) else { continue }
            field.set(value, in: &c.settings)
        }
        c.driver = choice(t["driver"], path: path, key: "driver")
        c.role = choice(t["role"], path: path, key: "role")
        if let min = c.settings.minTxRate, let max = c.settings.maxTxRate, max != 0, min > max, let e = t["min-tx-rate"] {
            report(at: e.node.position, "\(path).min-tx-rate", "min-tx-rate (\(min)) is above max-tx-rate (\(max))")
        }
        return c
    }

    private mutating func guestAssignment(_ t: TOMLTable, path: String, into c: inout VFConfig) {
        c.vm = integer(t["vm"], path: path, key: "vm", range: 100...999_999_999, expected: "a Proxmox VM id, 100 or more")
        c.slot = integer(t["slot"], path: path, key: "slot", range: 0...15, expected: "a hostpci slot 0-15")
        c.pcie = boolean(t["pcie"], path: path, key: "pcie")
        if let e = t["mapping"] {
            if case let .string(id) = e.node.value, ProxmoxCommands.isConfigID(id), id.count <= 64 {
                c.mapping = id
            } else {
                report(
                    at: e.node.position, "\(path).mapping",
                    "mapping must be a Proxmox mapping id like \"fw-pool\" (a letter, then at least one letter, digit, - or _)")
            }
        }

        for key in ["slot", "pcie"] where t[key] != nil && t["vm"] == nil {
            report(at: t[key]!.node.position, "\(path).\(key)", "\(key) only means something with vm = VMID")
        }
        for key in Self.guestKeys where t[key] != nil {
            c.locations[key] = ConfigLocation(file: self.path, keyPath: "\(path).\(key)", position: t[key]!.node.position)
        }
    }

    private mutating func vfIndexes(_ t: TOMLTable, path: String) -> [Int] {
        switch (t["index"], t["indexes"]) {
        case (nil, nil):
            report(at: t.position, path, "say which VF this is: index = N, or indexes = \"1-3,5\"")
            return []
        case (.some, .some):
            report(at: t.position, path, "give index or indexes, not both")
            return []
        case let (index?, nil):
            return integer(index, path: path, key: "index", range: 0...Self.maximumVFs, expected: "a VF number, 0 or more")
                .map { [$0] } ?? []
        case let (nil, indexes?):
            guard case let .string(text) = indexes.node.value else {
                report(at: indexes.node.position, "\(path).indexes", "indexes must be a string like \"1-3,5\"")
                return []
            }
            do {
                let list = try IndexList.parse(text)
                if let repeated = list.repeated {
                    let more = repeated.count > 1 ? " (and \(repeated.count - 1) more indexes written twice)" : ""
                    report(at: indexes.node.position, "\(path).indexes", "VF \(repeated.first) appears twice in \"\(text.echoed())\"\(more)")
                }
                return list.indexes
            } catch {
                switch error {
                case let .descending(part):
                    report(at: indexes.node.position, "\(path).indexes", "the range \"\(part)\" goes down; write it low-high")
                case let .malformed(part):
                    report(
                        at: indexes.node.position, "\(path).indexes",
                        "\"\(part)\" is not an index or a range; write indexes like \"1-3,5\"")
                }
            }
            return []
        }
    }

    // MARK: - Values

    private mutating func pfSelector(_ e: TOMLTable.Entry, path: String) -> PFSelector? {
        guard case let .string(s) = e.node.value else {
            report(at: e.node.position, "\(path).\(e.key)", "\(e.key) must be a string")
            return nil
        }
        switch e.key {
        case "pci":
            guard let pci = PCIAddress(s) else {
                report(at: e.node.position, "\(path).pci", "pci must be a PCI address like \"0000:06:00.0\" (found \"\(s.echoed())\")")
                return nil
            }
            return .pci(pci)
        case "mac":
            guard let mac = MACAddress(s) else {
                report(at: e.node.position, "\(path).mac", "mac must be the PF's permanent MAC like \"a0:36:9f:00:00:01\" (found \"\(s.echoed())\")")
                return nil
            }
            return .mac(mac)
        default:
            // Interface names: 1-15 bytes, no slash, no whitespace (the kernel's dev_valid_name).
            guard (1...15).contains(s.utf8.count), s != ".", s != "..",
                !s.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace })
            else {
                report(at: e.node.position, "\(path).name", "name must be an interface name like \"enp6s0f0\" (1-15 characters, no / : or spaces)")
                return nil
            }
            return .name(s)
        }
    }

    private mutating func integer(
        _ e: TOMLTable.Entry?, path: String, key: String, range: ClosedRange<Int>,
        expected: String
    ) -> Int? {
        guard let e else { return nil }
        guard case let .integer(v) = e.node.value else {
            report(at: e.node.position, "\(path).\(key)", "\(key) must be \(expected) (found \(e.node.value.kind)\(found(e.node.value)))")
            return nil
        }
        guard v >= Int64(range.lowerBound), v <= Int64(range.upperBound) else {
            report(at: e.node.position, "\(path).\(key)", "\(key) must be \(expected) (found \(v))")
            return nil
        }
        return Int(v)
    }

    /// A VF setting's value, read and checked as its field's kind says.
    private mutating func setting(_ e: TOMLTable.Entry?, path: String, field: VFField) -> SettingValue? {
        guard let e else { return nil }
        let key = field.configKey
        switch field.kind {
        case .mac:
            return nil  // `mac` takes "auto" and "keep" too: read on its own.
        case .flag:
            return boolean(e, path: path, key: key).map(SettingValue.flag)
        case let .number(range, expected):
            return integer(e, path: path, key: key, range: range, expected: expected).map(SettingValue.number)
        case let .choice(words):
            guard case let .string(s) = e.node.value, words.contains(s) else {
                report(
                    at: e.node.position, "\(path).\(key)", "\(key) must be \(field.kind.expected) (found \(e.node.value.kind)\(found(e.node.value)))")
                return nil
            }
            return .text(s)
        }
    }

    private mutating func boolean(_ e: TOMLTable.Entry?, path: String, key: String) -> Bool? {
        guard let e else { return nil }
        guard case let .boolean(b) = e.node.value else {
            report(
                at: e.node.position, "\(path).\(key)",
                "\(key) must be true or false, without quotes (found \(e.node.value.kind)\(found(e.node.value)))")
            return nil
        }
        return b
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(_ e: TOMLTable.Entry?, path: String, key: String)
        -> T? where T.RawValue == String
    {
        guard let e else { return nil }
        let options = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case let .string(s) = e.node.value, let value = T(rawValue: s) else {
            report(at: e.node.position, "\(path).\(key)", "\(key) must be one of \(options) (found \(e.node.value.kind)\(found(e.node.value)))")
            return nil
        }
        return value
    }

    private func found(_ value: TOMLValue) -> String {
        switch value {
        case let .string(s): " \"\(s.echoed())\""
        case let .integer(i): " \(i)"
        case let .boolean(b): " \(b)"
        case let .float(f): " \(f)"
        default: ""
        }
    }

    // MARK: - Checks

    private mutating func rejectUnknown(_ table: TOMLTable, allowed: [String], path: String) {
        for entry in table.entries where !allowed.contains(entry.key) {
            let keyPath = path.isEmpty ? entry.key.echoed() : "\(path).\(entry.key.echoed())"
            var message = "unknown key \"\(entry.key.echoed())\""
            if entry.key.count <= 64, let suggestion = closest(entry.key, in: allowed) {
                message += "; did you mean \"\(suggestion)\"?"
            } else {
                message += "; known keys here: \(allowed.joined(separator: ", "))"
            }
            report(at: entry.keyPosition, keyPath, message)
        }
    }

    /// Two [[pf]] naming the same device the same way. (Different ways, such as a name and the
    /// PCI address of the same port, are caught once the host is known.)
    private mutating func checkDistinctPFs(_ pfs: [PFConfig]) {
        var seen: [PFSelector: String] = [:]
        for pf in pfs {
            if let earlier = seen[pf.selector] {
                diagnostics.append(ConfigDiagnostic(pf.location, "\(pf.selector) is already configured by \(earlier)"))
            } else {
                seen[pf.selector] = pf.location.keyPath
            }
        }
    }

    private mutating func report(at position: SourcePosition, _ keyPath: String, _ message: String) {
        diagnostics.append(ConfigDiagnostic(ConfigLocation(file: path, keyPath: keyPath, position: position), message))
    }
}

/// The allowed word nearest to a typo, when it is near enough to be what was meant.
func closest(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, cb) in b.enumerated() {
                let current = row[j + 1]
                row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (ca == cb ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
    let scored = candidates.map { ($0, distance(Array(word.lowercased()), Array($0))) }.min { $0.1 < $1.1 }
    guard let (best, d) = scored, d <= max(3, word.count / 3) else { return nil }
    return best
}
