import SRIOVCore

extension SimulatedHostDescription {
    /// The most of anything a description may hold: a simulated host is input like a config.
    static let maximumPFs = 64

    /// Every problem with the description, each naming its place (`pfs[1].totalVfs`); empty when
    /// it can be simulated. Numbers are checked against what hardware can have before any
    /// arithmetic uses them.
    public func problems() -> [String] {
        var found: [String] = []
        func check(_ ok: Bool, _ place: String, _ what: String) { if !ok { found.append("\(place): \(what)") } }
        check(!pfs.isEmpty && pfs.count <= Self.maximumPFs, "pfs", "give 1 to \(Self.maximumPFs) PFs")
        var addresses: Set<String> = []
        var names: Set<String> = []
        for (i, pf) in pfs.prefix(Self.maximumPFs).enumerated() {
            let at = "pfs[\(i)]"
            let pci = PCIAddress(pf.pci)
            check(pci != nil, "\(at).pci", "\(pf.pci.echoed()) is not a PCI address like 0000:06:00.0")
            check(addresses.insert(pf.pci).inserted, "\(at).pci", "\(pf.pci.echoed()) is given twice")
            check(MACAddress(pf.permanentMac) != nil, "\(at).permanentMac", "\(pf.permanentMac.echoed()) is not a MAC address")
            if let name = pf.name {
                check(Self.isInterfaceName(name), "\(at).name", "\(name.echoed()) is not an interface name (1-15 characters, no / : or spaces)")
                check(names.insert(name).inserted, "\(at).name", "\(name.echoed()) is given twice")
            }
            for (key, driver) in [("driver", pf.driver), ("vfDriver", pf.vfDriver)] {
                check(Self.isPlainWord(driver), "\(at).\(key)", "\(driver.echoed()) is not a driver name (letters, digits, - and _)")
            }
            check((0...65_535).contains(pf.totalVfs), "\(at).totalVfs", "\(pf.totalVfs) is not 0-65535 (a 16-bit field)")
            check((0...65_535).contains(pf.vfOffset), "\(at).vfOffset", "\(pf.vfOffset) is not 0-65535")
            check((1...65_535).contains(pf.vfStride), "\(at).vfStride", "\(pf.vfStride) is not 1-65535")
            if let pci, (0...65_535).contains(pf.totalVfs), (0...65_535).contains(pf.vfOffset), (1...65_535).contains(pf.vfStride) {
                let rid = Int(pci.bus) << 8 | Int(pci.slot) << 3 | Int(pci.function)
                let last = rid + pf.vfOffset + pf.vfStride * max(pf.totalVfs - 1, 0)
                check(
                    last <= 0xffff, "\(at)",
                    "its VFs would not fit in bus numbers (offset \(pf.vfOffset) + stride \(pf.vfStride) × \(pf.totalVfs) VFs)")
            }
            check(
                String(pf.vfDevice.split(separator: ":").first ?? "").count == 4 && pf.vfDevice.count == 9
                    && pf.vfDevice.allSatisfy { $0.isHexDigit || $0 == ":" },
                "\(at).vfDevice", "\(pf.vfDevice.echoed()) is not vendor:device like 8086:1520")
            if let subsystem = pf.vfSubsystem {
                check(
                    PCIMapping.isVendorDevice(Substring(subsystem)), "\(at).vfSubsystem", "\(subsystem.echoed()) is not vendor:device like 8086:0001")
            }
            if let device = pf.pfDevice {
                check(device.count == 4 && device.allSatisfy(\.isHexDigit), "\(at).pfDevice", "\(device.echoed()) is not four hex digits like 1521")
            }
            if let mtu = pf.mtu { check((68...65_535).contains(mtu), "\(at).mtu", "\(mtu) is not 68-65535") }
            if let base = pf.iommuGroupBase { check((0...1_000_000).contains(base), "\(at).iommuGroupBase", "\(base) is not 0-1000000") }
            if let initial = pf.initialVfs {
                check((0...max(pf.totalVfs, 0)).contains(initial), "\(at).initialVfs", "\(initial) is not 0-totalVfs")
            }
            if let traffic = pf.traffic {
                for (key, value) in [("rxBytesPerSecond", traffic.rxBytesPerSecond), ("txBytesPerSecond", traffic.txBytesPerSecond)] {
                    check(value.isFinite && (0...1e11).contains(value), "\(at).traffic.\(key)", "\(value) is not 0-1e11 bytes per second")
                }
                check(
                    traffic.bytesPerPacket.isFinite && (64...65_535).contains(traffic.bytesPerPacket),
                    "\(at).traffic.bytesPerPacket", "\(traffic.bytesPerPacket) is not 64-65535")
            }
            check((pf.unsupported ?? []).count <= 16, "\(at).unsupported", "lists more settings than there are")
        }
        if let proxmox {
            check(ProxmoxCommands.isNodeName(proxmox.node), "proxmox.node", "\(proxmox.node.echoed()) is not a node name")
            check(proxmox.guests.count <= 10_000, "proxmox.guests", "more than 10000 guests")
            var vmids: Set<Int> = []
            for (i, guest) in proxmox.guests.prefix(10_000).enumerated() {
                check((100...999_999_999).contains(guest.vmid), "proxmox.guests[\(i)].vmid", "\(guest.vmid) is not a VM id (100 or more)")
                check(vmids.insert(guest.vmid).inserted, "proxmox.guests[\(i)].vmid", "\(guest.vmid) is given twice")
                for (key, value) in guest.net ?? [:] {
                    let slot = key.hasPrefix("net") ? Int(key.dropFirst(3)) : nil
                    check(slot.map { (0...31).contains($0) } ?? false, "proxmox.guests[\(i)].net", "\(key.echoed()) is not net0-net31")
                    check(
                        value.count <= 512 && !value.contains(where: { $0 == "\n" || $0 == "\r" }), "proxmox.guests[\(i)].\(key.echoed())",
                        "not one net value")
                }
                for (key, value) in guest.hostpci ?? [:] {
                    let slot = key.hasPrefix("hostpci") ? Int(key.dropFirst(7)) : nil
                    check(slot.map { (0...15).contains($0) } ?? false, "proxmox.guests[\(i)].hostpci", "\(key.echoed()) is not hostpci0-hostpci15")
                    check(
                        value.count <= 512 && !value.contains(where: { $0 == "\n" || $0 == "\r" }), "proxmox.guests[\(i)].\(key.echoed())",
                        "not one hostpci value")
                }
                for (key, value) in guest.options ?? [:] {
                    check(
                        ["machine", "template", "hookscript", "startup"].contains(key), "proxmox.guests[\(i)].options",
                        "\(key.echoed()) is not machine, template, hookscript or startup")
                    check(
                        value.count <= 512 && !value.contains(where: { $0 == "\n" || $0 == "\r" }), "proxmox.guests[\(i)].\(key.echoed())",
                        "not one value")
                    if key == "startup" {
                        check(StartupOrder(value) != nil, "proxmox.guests[\(i)].options.startup", "\(value.echoed()) is not order=N,up=S,down=S")
                    }
                }
                if let seconds = guest.shutdownSeconds {
                    check((-1...86_400).contains(seconds), "proxmox.guests[\(i)].shutdownSeconds", "must be -1 (never) to 86400")
                }
            }
            for vmid in proxmox.haManaged ?? [] {
                check((100...999_999_999).contains(vmid), "proxmox.haManaged", "\(vmid) is not a VM id (100-999999999)")
            }
            for (i, mapping) in (proxmox.mappings ?? []).prefix(1_000).enumerated() {
                check(ProxmoxCommands.isConfigID(mapping.id), "proxmox.mappings[\(i)].id", "\(mapping.id.echoed()) is not a mapping id")
                check(
                    mapping.map.count <= 1_000 && mapping.map.allSatisfy { $0.count <= 1_024 && !$0.contains("\n") },
                    "proxmox.mappings[\(i)].map", "not a list of map values")
            }
        }
        if let network { found += network.problems(pfNames: names) }
        if let machine {
            check((machine.cmdline ?? "").count <= 4_096, "machine.cmdline", "longer than 4096 characters")
            check((machine.kernelLog ?? []).count <= 100_000, "machine.kernelLog", "more than 100000 lines")
            if let groups = machine.iommuGroups { check((0...1_000_000).contains(groups), "machine.iommuGroups", "\(groups) is not 0-1000000") }
        }
        return found
    }

    static let maximumLinks = 4_096
    static let maximumFDBEntries = 100_000

    static func isInterfaceName(_ s: String) -> Bool {
        (1...15).contains(s.utf8.count) && s != "." && s != ".."
            && !s.contains { $0 == "/" || $0 == ":" || $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } ?? false }
    }

    static func isPlainWord(_ s: String) -> Bool {
        (1...32).contains(s.count) && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

extension SimulatedHostDescription.Network {
    /// Links named once, as interface names; masters, parents and entries naming links that exist.
    func problems(pfNames: Set<String>) -> [String] {
        var found: [String] = []
        func check(_ ok: Bool, _ place: String, _ what: String) { if !ok { found.append("\(place): \(what)") } }
        typealias D = SimulatedHostDescription
        check(links.count <= D.maximumLinks, "network.links", "more than \(D.maximumLinks) links")
        check((fdb ?? []).count <= D.maximumFDBEntries, "network.fdb", "more than \(D.maximumFDBEntries) entries")
        var names = pfNames
        var listed: Set<String> = []
        for link in links.prefix(D.maximumLinks) { names.insert(link.name) }
        for (i, link) in links.prefix(D.maximumLinks).enumerated() {
            let at = "network.links[\(i)]"
            check(D.isInterfaceName(link.name), "\(at).name", "\(link.name.echoed()) is not an interface name")
            check(listed.insert(link.name).inserted, "\(at).name", "\(link.name.echoed()) is given twice")
            if let kind = link.kind { check(D.isPlainWord(kind), "\(at).kind", "\(kind.echoed()) is not a link kind") }
            for (key, other) in [("master", link.master), ("parent", link.parent)] {
                if let other { check(names.contains(other) && other != link.name, "\(at).\(key)", "\(other.echoed()) is not another link") }
            }
            if let mac = link.mac { check(MACAddress(mac) != nil, "\(at).mac", "\(mac.echoed()) is not a MAC address") }
            if let size = link.ownTableSize { check((0...65_535).contains(size), "\(at).ownTableSize", "\(size) is not 0-65535") }
            if let table = link.ownTable {
                check(table.count <= 65_535 && table.allSatisfy { MACAddress($0) != nil }, "\(at).ownTable", "not a list of MAC addresses")
            }
        }
        for (i, entry) in (fdb ?? []).prefix(D.maximumFDBEntries).enumerated() {
            let at = "network.fdb[\(i)]"
            check(MACAddress(entry.mac) != nil, "\(at).mac", "\(entry.mac.echoed()) is not a MAC address")
            check(names.contains(entry.dev), "\(at).dev", "\(entry.dev.echoed()) is not a link")
            check(links.contains { $0.name == entry.master && $0.kind == "bridge" }, "\(at).master", "\(entry.master.echoed()) is not a bridge")
            if let vlan = entry.vlan { check((1...4094).contains(vlan), "\(at).vlan", "\(vlan) is not 1-4094") }
            if let state = entry.state {
                check(["learned", "static", "permanent"].contains(state), "\(at).state", "\(state.echoed()) is not learned, static or permanent")
            }
        }
        return found
    }
}
