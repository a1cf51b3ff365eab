/// A Proxmox VE guest config (`/etc/pve/qemu-server/VMID.conf`) read as qemu-server's
/// `parse_vm_config` reads it (`src/PVE/QemuServer.pm`): the current section, `[PENDING]`
/// (changes made while the guest ran, applied at its next start), snapshot sections and
/// `[special:...]` sections kept apart; a line Proxmox cannot parse, or a value its schema refuses,
/// is dropped with Proxmox's warning; for a key given twice the last valid value wins.
/// Only the keys sriovctl reads are kept: `hostpci0`-`hostpci15`, `net0`-`net31`, `hookscript`,
/// `template` and `machine`.
public struct GuestConfigFile: Hashable, Sendable {
    /// The config the guest runs with (or starts with, when nothing is pending).
    public var current: [String: String] = [:]
    /// `[PENDING]`: values set while the guest ran; `delete:` lists keys to be removed.
    public var pending: [String: String] = [:]
    public var pendingDeletes: [String] = []
    /// Proxmox's warnings for lines it ignores, as its log says them.
    public var warnings: [String] = []

    /// Keys sriovctl reads, each with Proxmox's check of its value.
    static func schema(_ key: String) -> ((Substring) -> PropertyStringError?)? {
        if let n = numbered(key, "hostpci"), n < 16 {
            return { value in HostPCIReference.format.parse(value).failure }
        }
        if let n = numbered(key, "net"), n < 32 {
            return { value in GuestNIC.format.parse(value).failure }
        }
        switch key {
        case "template":
            return { value in
                PropertyFormat.boolean(String(value)) == nil ? PropertyStringError(message: "type check ('boolean') failed - got '\(value)'") : nil
            }
        case "hookscript":
            return { value in
                value.contains(where: { $0.isPerlSpace || $0 == "," }) ? PropertyStringError(message: "unable to parse volume ID '\(value)'") : nil
            }
        case "machine":
            return { value in GuestConfigFile.machineFormat.parse(value).failure }
        case "startup":
            // `$startup_fmt` (PVE::JSONSchema pve-startup-order): [[order=]\d+] [,up=\d+] [,down=\d+].
            return { value in StartupOrder(String(value)) == nil ? PropertyStringError(message: "format error") : nil }
        case "name":
            // `dns-name`: letters, digits, `-` and `.`.
            return { value in
                value.count <= 128 && value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
                    ? nil : PropertyStringError(message: "value does not match the regex pattern")
            }
        default: return nil
        }
    }

    /// `hostpciN`/`netN` with N written as Proxmox's schema names it (no leading zero).
    public static func numbered(_ key: String, _ prefix: String) -> Int? {
        guard key.hasPrefix(prefix) else { return nil }
        let digits = key.dropFirst(prefix.count)
        guard let n = Int(digits), String(n) == digits else { return nil }
        return n
    }

    static let machineFormat = PropertyFormat([
        "type": .init(.string, defaultKey: true, maxLength: 40),
        "viommu": .init(.enumeration(["intel", "virtio"])),
        "enable-s3": .init(.boolean), "enable-s4": .init(.boolean),
        "aw-bits": .init(.integer(nil)),
    ])

    private enum Section { case current, pending, other }

    public static func parse(_ text: String, vmid: Int) -> GuestConfigFile {
        var file = GuestConfigFile()
        var section: Section? = .current
        var sawPending = false
        var snapshots: Set<String> = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw
            if line.allSatisfy(\.isPerlSpace) { continue }
            if let name = sectionName(line) {
                if name.equalsIgnoringCase("PENDING") {
                    if sawPending { file.warnings.append("vm \(vmid) - duplicate section: pending") }
                    sawPending = true
                    file.pending = [:]
                    file.pendingDeletes = []
                    section = .pending
                } else if name.lowercased().hasPrefix("special:"), ["cloudinit", "fleecing"].contains(name.dropFirst(8).lowercased()) {
                    section = .other
                } else if isSnapshotName(name) {
                    if !snapshots.insert(String(name)).inserted { file.warnings.append("vm \(vmid) - duplicate snapshot section: \(name)") }
                    section = .other
                } else {
                    file.warnings.append("vm \(vmid) - skipping unknown section: '\(name.echoed())'")
                    section = nil
                }
                continue
            }
            guard let where_ = section else { continue }
            if line.hasPrefix("#") || line.hasPrefix("description:") || line.hasPrefix("args:") { continue }
            if line.hasPrefix("delete:") {
                if where_ == .pending {
                    file.pendingDeletes = line.dropFirst(7).split(whereSeparator: { $0 == "," || $0 == ";" || $0.isPerlSpace }).map(String.init)
                }
                continue
            }
            guard let (key, value) = keyValue(line) else {
                if where_ != .other, !line.contains("snapstate:") {
                    file.warnings.append("vm \(vmid) - unable to parse config: \(String(line).echoed())")
                }
                continue
            }
            guard where_ != .other, let check = schema(key) else { continue }
            if value.contains(where: { $0 == "\r" }) {
                file.warnings.append("vm \(vmid) - unable to parse value of '\(key)' - property contains a line feed")
                continue
            }
            if let problem = check(value) {
                file.warnings.append("vm \(vmid) - unable to parse value of '\(key)' - \(problem.message.echoed(limit: 200))")
                continue
            }
            if where_ == .pending { file.pending[key] = String(value) } else { file.current[key] = String(value) }
        }
        return file
    }

    /// `[name]` alone on a line (trailing blanks allowed), as Proxmox's section patterns take it.
    static func sectionName(_ line: Substring) -> Substring? {
        guard line.first == "[" else { return nil }
        var body = line.dropFirst()
        while let last = body.last, last.isPerlSpace { body = body.dropLast() }
        guard body.last == "]" else { return nil }
        let name = body.dropLast()
        return name.contains("]") ? nil : name
    }

    /// A snapshot name: `[a-z][a-z0-9_-]+`, any case.
    static func isSnapshotName(_ name: Substring) -> Bool {
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// `^([a-z][a-z_\-]*\d*):\s*(.+?)\s*$`: a lower-case key at the start of the line.
    static func keyValue(_ line: Substring) -> (String, Substring)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        guard let first = key.first, first.isASCII, first.isLowercase else { return nil }
        let letters = key.prefix { ($0.isASCII && $0.isLowercase) || $0 == "_" || $0 == "-" }
        guard key.dropFirst(letters.count).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        var value = line[line.index(after: colon)...]
        while let f = value.first, f.isPerlSpace { value = value.dropFirst() }
        while let l = value.last, l.isPerlSpace { value = value.dropLast() }
        guard !value.isEmpty else { return nil }
        return (String(key), value)
    }

    /// Whether the guest is a template (`template: 1`): Proxmox never starts one.
    public var isTemplate: Bool { current["template"].flatMap(PropertyFormat.boolean) == "1" }

    /// Whether the machine is q35 (needed for `pcie=1`).
    public var isQ35: Bool {
        guard let value = current["machine"], case let .success(machine) = Self.machineFormat.parse(Substring(value)),
            let type = machine["type"]
        else { return false }
        return type.contains("q35")
    }
}

extension Substring {
    func equalsIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }
}

extension Result {
    var failure: Failure? {
        if case let .failure(error) = self { return error }
        return nil
    }
}
