/// Finds other SR-IOV managers in the host's files. Pure: the engine reads the files
/// (`OtherManagerFiles.places`), this decides what each one sets and which one wins at boot.
public enum OtherManagerScan {
    public static func scan(_ files: OtherManagerFiles) -> [OtherManager] {
        var found: [OtherManager] = []
        for (path, text) in files.texts.sorted(by: { $0.key < $1.key }) {
            let name = String(path.split(separator: "/").last ?? "")
            if path.hasPrefix("/etc/systemd/system/"), name.hasSuffix(".service") {
                if !name.hasPrefix("sriovctl") { found += unit(path, name: name, text: text, enabled: files.enabledUnits.contains(name)) }
            } else if path == "/etc/network/interfaces" || path.hasPrefix("/etc/network/interfaces.d/") {
                found += ifupdown(path, text)
            } else if path == "/etc/sysfs.conf" || path.hasPrefix("/etc/sysfs.d/") {
                found += sysfsutils(path, text)
            } else if path.hasPrefix("/etc/udev/rules.d/") {
                found += udev(path, text)
            } else if path.hasPrefix("/etc/modprobe.d/") {
                found += modprobe(path, text)
            } else if path.hasPrefix("/etc/systemd/network/"), !name.hasPrefix("10-sriovctl-") {
                found += networkd(path, text, link: name.hasSuffix(".link"))
            } else if path.hasPrefix("/etc/NetworkManager/") {
                found += networkManager(path, text)
            } else if path.hasPrefix("/etc/netplan/") {
                found += netplan(path, text)
            }
        }
        return found
    }

    /// One manager found in `path`, or none when no line set anything.
    static func manager(
        _ kind: OtherManager.Kind, _ path: String, lines: [Int], sets: [String], atBoot: String, active: Bool,
        retirement: OtherManager.Retirement
    ) -> [OtherManager] {
        lines.isEmpty
            ? [] : [OtherManager(kind: kind, file: path, lines: lines, sets: sets, atBoot: atBoot, active: active, retirement: retirement)]
    }

    /// Lines as (number, text), comments and blank lines skipped.
    static func lines(_ text: String, comment: Character = "#") -> [(Int, String)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, raw in
            let line = raw.trimmingSpaces()
            return line.isEmpty || line.first == comment ? nil : (i + 1, String(line))
        }
    }

    // MARK: - systemd units

    static func unit(_ path: String, name: String, text: String, enabled: Bool) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        var after: [String] = []
        var before: [String] = []
        var defaultDependencies = true
        for (number, line) in lines(text, comment: "#") where !line.hasPrefix(";") {
            let (key, value) = keyValue(line)
            if key.hasPrefix("Exec") {
                let settings = SRIOVCommandText.settings(in: value)
                if !settings.isEmpty {
                    hits.append(number)
                    sets += settings
                }
            } else if key == "After" {
                after += value.split(whereSeparator: \.isWhitespace).map(String.init)
            } else if key == "Before" {
                before += value.split(whereSeparator: \.isWhitespace).map(String.init)
            } else if key == "DefaultDependencies" {
                defaultDependencies = !["no", "false", "0", "off"].contains(value.lowercased())
            }
        }
        guard !hits.isEmpty else { return [] }
        let atBoot: String
        if !enabled {
            atBoot = "\(name) is not enabled: it does not run at boot (nothing fights)"
        } else if before.contains(where: { $0 == "sriovctl.service" || $0 == "network-pre.target" || $0 == "sysinit.target" }) {
            atBoot = "\(name) runs before sriovctl.service, which then sets the config's values: sriovctl wins, but VFs may be made twice"
        } else if after.isEmpty && !defaultDependencies {
            atBoot = "\(name) has no ordering against sriovctl.service: they run at the same time and whichever writes last wins"
        } else {
            // Default dependencies put it after basic.target; sriovctl.service runs in early boot.
            atBoot = "\(name) runs after sriovctl.service and sets \(sets.joined(separator: "; ")) over what sriovctl set"
        }
        return [
            OtherManager(
                kind: .systemdUnit, file: path, lines: hits, sets: sets, atBoot: atBoot, active: enabled,
                retirement: .disableUnit(name))
        ]
    }

    static func keyValue(_ line: String) -> (String, String) {
        guard let eq = line.firstIndex(of: "=") else { return (line, "") }
        return (String(line[..<eq]).trimmingSpaces(), String(line[line.index(after: eq)...]).trimmingSpaces())
    }

    // MARK: - files of lines

    static func ifupdown(_ path: String, _ text: String) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        var iface = "its interface"
        var firstIface: String?
        for (number, line) in lines(text) {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if words.first == "iface", words.count > 1 { iface = words[1].echoed(limit: 20) }
            guard let first = words.first, ["pre-up", "up", "post-up"].contains(first) else { continue }
            let settings = SRIOVCommandText.settings(in: line)
            if !settings.isEmpty {
                hits.append(number)
                sets += settings
                if firstIface == nil { firstIface = iface }
            }
        }
        iface = firstIface ?? iface
        guard !hits.isEmpty else { return [] }
        return manager(
            .ifupdown, path, lines: hits, sets: sets,
            atBoot: "networking.service runs it when \(iface) comes up, after sriovctl.service: it sets \(sets[0]) last",
            active: true, retirement: .commentOut(lines: hits))
    }

    static func sysfsutils(_ path: String, _ text: String) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        for (number, line) in lines(text) {
            let (key, value) = keyValue(line)
            guard key.hasSuffix("sriov_numvfs") else { continue }
            hits.append(number)
            sets.append("\(value.echoed(limit: 20)) VFs on \(SRIOVCommandText.device(inPath: key))")
        }
        return manager(
            .sysfsutils, path, lines: hits, sets: sets,
            atBoot:
                "sysfsutils.service writes it early in boot, before sriovctl.service changes the count again (through 0): VFs are made twice at every boot",
            active: true, retirement: .commentOut(lines: hits))
    }

    static func udev(_ path: String, _ text: String) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        let assignment = try! Regex(#"ATTRS?\{([^}]*sriov_numvfs)\}\s*=\s*"([^"]*)""#)
        for (number, line) in lines(text) where line.contains("sriov_numvfs") || line.contains(" vf ") {
            var settings = line.matches(of: assignment).map { m in
                "\((m.output[2].substring.map(String.init) ?? "?").echoed(limit: 20)) VFs on the device the rule matches"
            }
            if settings.isEmpty { settings = SRIOVCommandText.settings(in: line) }
            guard !settings.isEmpty else { continue }
            hits.append(number)
            sets += settings
        }
        return manager(
            .udevRule, path, lines: hits, sets: sets,
            atBoot:
                "udev runs it when the PF appears, before sriovctl.service, and again on every driver reload, racing sriovctl watch",
            active: true, retirement: .moveAside)
    }

    static func modprobe(_ path: String, _ text: String) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        for (number, line) in lines(text) {
            let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard words.first == "options", words.count > 2 else { continue }
            for option in words.dropFirst(2) where option.hasPrefix("max_vfs=") || option.hasPrefix("num_vfs=") {
                hits.append(number)
                sets.append("\(option.echoed(limit: 40)) for the \(words[1].echoed(limit: 30)) driver")
            }
        }
        return manager(
            .modprobeOption, path, lines: Array(Set(hits)).sorted(), sets: sets,
            atBoot:
                "the driver makes VFs itself as it loads, before sriovctl.service, which then makes them again (through 0)",
            active: true, retirement: .commentOut(lines: Array(Set(hits)).sorted()))
    }

    // MARK: - network configuration tools

    static func networkd(_ path: String, _ text: String, link: Bool) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        var section = ""
        for (number, line) in lines(text) {
            if line.hasPrefix("[") {
                section = line
                if line == "[SR-IOV]" {
                    hits.append(number)
                    sets.append("a VF's settings ([SR-IOV])")
                }
                continue
            }
            let (key, value) = keyValue(line)
            if key == "SR-IOVVirtualFunctions" {
                hits.append(number)
                sets.append("\(value.echoed(limit: 20)) VFs")
            } else if section == "[SR-IOV]", ["VirtualFunction", "MACAddress", "VLANId", "MACSpoofCheck", "Trust"].contains(key),
                let first = sets.indices.last
            {
                sets[first] += key == "VirtualFunction" ? " of VF \(value.echoed(limit: 10))" : ", \(key) \(value.echoed(limit: 40))"
            }
        }
        guard !hits.isEmpty else { return [] }
        let atBoot =
            link
            ? "systemd-udevd applies it when the PF appears, before sriovctl.service, and again on every driver reload"
            : "systemd-networkd applies it when it configures the PF, after sriovctl.service: it wins"
        return [
            OtherManager(
                kind: link ? .networkdLink : .networkdNetwork, file: path, lines: hits, sets: sets, atBoot: atBoot,
                active: true, retirement: .moveAside)
        ]
    }

    static func networkManager(_ path: String, _ text: String) -> [OtherManager] {
        var id = String(path.split(separator: "/").last ?? "").replacingSuffix(".nmconnection")
        var hits: [Int] = []
        var sets: [String] = []
        var section = ""
        for (number, line) in lines(text) {
            if line.hasPrefix("[") {
                section = line
                if line == "[sriov]" { hits.append(number) }
                continue
            }
            let (key, value) = keyValue(line)
            if section == "[connection]", key == "id" { id = value }
            if section == "[sriov]", key == "total-vfs" { sets.append("\(value.echoed(limit: 20)) VFs") }
            if section == "[sriov]", key.hasPrefix("vf.") { sets.append("VF \(key.dropFirst(3).echoed(limit: 10)): \(value.echoed(limit: 60))") }
        }
        guard !hits.isEmpty else { return [] }
        let quotedID = "'" + id.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        return [
            OtherManager(
                kind: .networkManager, file: path, lines: hits, sets: sets.isEmpty ? ["VFs ([sriov])"] : sets,
                atBoot:
                    "NetworkManager sets them when connection \(id.echoed(limit: 40)) comes up, after sriovctl.service (it wins), and removes the VFs when it goes down",
                active: true,
                retirement: .tellUser("nmcli connection modify \(quotedID.echoed(limit: 60)) sriov.total-vfs 0 sriov.vfs ''"))
        ]
    }

    static func netplan(_ path: String, _ text: String) -> [OtherManager] {
        var hits: [Int] = []
        var sets: [String] = []
        for (number, line) in lines(text) {
            if line.hasPrefix("virtual-function-count:") {
                hits.append(number)
                sets.append("\(line.dropFirst("virtual-function-count:".count).trimmingSpaces().echoed(limit: 20)) VFs")
            } else if line.hasPrefix("link:") {
                hits.append(number)
                sets.append("a VF of \(line.dropFirst(5).trimmingSpaces().echoed(limit: 20))")
            }
        }
        return manager(
            .netplan, path, lines: hits, sets: sets,
            atBoot: "netplan hands it to systemd-networkd or NetworkManager, which apply it after sriovctl.service: it wins",
            active: true,
            retirement: .tellUser("remove virtual-function-count and the VF entries (link:) from \(path.echoed()), then: netplan apply"))
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
