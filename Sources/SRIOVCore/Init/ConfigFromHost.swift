/// The config `sriovctl init` writes: the host's SR-IOV state as it is now, so that `plan` on it
/// finds nothing to change. Every PF with VFs gets a `[[pf]]` (by name when it has one), each VF
/// a `[[pf.vf]]` with what differs from a freshly created VF, its driver, and on Proxmox VE the
/// guest and mapping it belongs to. PFs without VFs are listed, commented out. Every line says
/// what it does in a comment.
public enum ConfigFromHost {
    /// Who has a VF on Proxmox VE, as `init` writes it.
    public struct Guest: Hashable, Sendable {
        public var vm: Int?
        public var slot: Int?
        public var pcie: Bool
        public var mapping: String?

        public init(vm: Int?, slot: Int?, pcie: Bool, mapping: String?) {
            self.vm = vm
            self.slot = slot
            self.pcie = pcie
            self.mapping = mapping
        }
    }

    /// `init --preset pfsense`: for the VFs a firewall guest gets (those given to a VM, or bound
    /// to vfio-pci), MACs pinned (an unset one gets its stable "auto" MAC written out) and, with
    /// `carp`, trust on and spoof checking off, each with its reason.
    public struct FirewallPreset: Hashable, Sendable {
        public var carp: Bool
        public init(carp: Bool) { self.carp = carp }
    }

    /// `synced`: PFs whose own forwarding table sriovctl keeps now (`sync-bridge-fdb`).
    public static func text(
        snapshot: HostSnapshot, guests: [PCIAddress: Guest] = [:], source: String, preset: FirewallPreset? = nil,
        synced: Set<String> = []
    ) -> String {
        var out = """
            # sriovctl config written by `sriovctl init` from \(source).
            # It reproduces the VFs as they are: `sriovctl plan` finds nothing to change. Edit it,
            # then `sriovctl plan` and `sriovctl apply`; `sriovctl boot enable` applies it at boot.
            # Reference: man sriovctl.toml, or docs/reference.md.

            """
        let withVFs = snapshot.pfs.filter { $0.numVFs > 0 }
        let without = snapshot.pfs.filter { $0.numVFs == 0 }
        if let preset {
            out += "# Except for the preset pfsense: VFs for the firewall get pinned MACs"
            out += preset.carp ? ", trust on and spoof checking off (CARP);\n" : ";\n"
            out += "# `sriovctl apply` makes those changes.\n"
        }
        for pf in withVFs { out += "\n" + block(pf, guests: guests, preset: preset, synced: synced) }
        if withVFs.isEmpty { out += "\n# No PF has VFs now.\n" }
        for pf in without {
            out += "\n# \(describe(pf)): no VFs now. To make some, remove the '#' of these lines:\n"
            out += "# [[pf]]\n# \(selector(pf))\n# num-vfs = \(min(4, pf.totalVFs))\n"
        }
        return out
    }

    static func describe(_ pf: PhysicalFunction) -> String {
        var parts = ["\(pf.displayName): \(pf.driver ?? "no driver") at \(pf.pci)"]
        if let mac = pf.permanentMAC { parts.append("permanent MAC \(mac)") }
        parts.append("at most \(pf.totalVFs) VFs")
        return parts.joined(separator: ", ")
    }

    static func selector(_ pf: PhysicalFunction) -> String {
        if let name = pf.name { return "name = \(quoted(name))" }
        return "pci = \(quoted(pf.pci.description))"
    }

    static func block(_ pf: PhysicalFunction, guests: [PCIAddress: Guest], preset: FirewallPreset? = nil, synced: Set<String> = []) -> String {
        var lines: [(String, String)] = []
        lines.append(("[[pf]]", describe(pf)))
        lines.append((selector(pf), pf.name == nil ? "the PF, by PCI address (it has no interface)" : "the PF, by interface name"))
        lines.append(("num-vfs = \(pf.numVFs)", "VFs made at every apply and boot"))
        if pf.adminUp == false, pf.name != nil {
            lines.append(("link = \"keep\"", "the PF is down now: left so (its VFs pass no traffic; remove this line to bring it up)"))
        }
        if let name = pf.name, synced.contains(name) {
            lines.append(("sync-bridge-fdb = true", "sriovctl keeps the MACs behind the bridge over it in its own forwarding table now"))
        }
        if pf.autoprobe == false {
            lines.append(("autoprobe = false", "new VFs are not bound to a driver by the kernel"))
        }
        var poolsGiven: Set<String> = []
        for vf in pf.vfs.sorted(by: { $0.index < $1.index }) {
            lines.append(("", ""))
            lines.append(("[[pf.vf]]", "VF \(vf.index) at \(vf.pci)\(vf.netdev.map { ", interface \($0)" } ?? "")"))
            lines.append(("index = \(vf.index)", "which VF these lines are for"))
            let firewall = preset != nil && (guests[vf.pci]?.vm != nil || vf.driver == "vfio-pci")
            var settings = vf.settings
            if firewall, let base = pf.permanentMAC ?? pf.mac, !base.isZero, settings.mac?.isZero ?? true {
                settings.mac = AutoMAC.derive(permanent: base, index: vf.index)
            }
            lines += Self.settings(settings, firewall: firewall, carp: preset?.carp == true)
            if let vm = guests[vf.pci]?.vm, vf.driver != "vfio-pci" {
                // A VM's VF on a host driver (or none) while the VM is stopped: Proxmox binds it to
                // vfio-pci when the VM starts, and "host" or "none" would fight that.
                lines.append(("driver = \"keep\"", "VM \(vm) gets it: Proxmox binds it to vfio-pci when the VM starts"))
            } else {
                lines.append(driver(vf.driver))
            }
            if let guest = guests[vf.pci] {
                if let mapping = guest.mapping {
                    lines.append(("mapping = \(quoted(mapping))", "in the Proxmox VE PCI mapping \"\(mapping)\" on this node"))
                }
                // A mapping pool is given to a VM once: on its first VF.
                let givenHere = guest.mapping.map { poolsGiven.insert($0).inserted } ?? true
                if let vm = guest.vm, givenHere {
                    lines.append(("vm = \(vm)", "given to Proxmox VE VM \(vm)"))
                    if let slot = guest.slot { lines.append(("slot = \(slot)", "as its hostpci\(slot)")) }
                    if guest.pcie { lines.append(("pcie = true", "as a PCIe device (q35 machines)")) }
                }
            }
        }
        return aligned(lines)
    }

    static func settings(_ s: VFSettings, firewall: Bool = false, carp: Bool = false) -> [(String, String)] {
        var lines: [(String, String)] = []
        var s = s
        if let mac = s.mac, !mac.isZero {
            lines.append(
                (
                    "mac = \(quoted(mac.description))",
                    firewall ? "pfsense preset: pinned, so the firewall keeps its interfaces' MACs" : "pinned: the MAC this VF has now"
                ))
        } else if s.mac != nil {
            lines.append(
                ("mac = \"keep\"", "unset (all zero), left so; FreeBSD/pfSense guests need a real MAC: \"auto\" gives a stable one"))
        } else {
            lines.append(("mac = \"keep\"", "the driver does not report it: left as it is"))
        }
        // CARP sends from a shared virtual MAC (00:00:5e:00:01:VHID) that the VF does not own.
        let carpLines: [(String, String)] =
            firewall && carp
            ? [
                ("trust = true", "pfsense preset, CARP: the guest may add the CARP MAC and use promiscuous mode"),
                ("spoof-check = false", "pfsense preset, CARP: frames from the CARP virtual MAC are not dropped"),
            ] : []
        if !carpLines.isEmpty {
            s.trust = nil
            s.spoofCheck = nil
        }
        // Every other setting the VF has that a new VF does not.
        for field in VFField.allCases where field != .mac {
            guard let value = field.value(in: s), value != field.value(in: .freshlyCreated) else { continue }
            lines.append(field.configLine(value))
        }
        return lines + carpLines
    }

    static func driver(_ bound: String?) -> (String, String) {
        switch bound {
        case nil: ("driver = \"none\"", "bound to no driver now")
        case "vfio-pci"?: ("driver = \"vfio-pci\"", "bound to vfio-pci, for a VM")
        case "pci-stub"?: ("driver = \"keep\"", "bound to pci-stub: left so")
        case let other?: ("driver = \"host\"", "bound to \(other), the host's own VF driver")
        }
    }

    /// Key = value, then the comments in one column (values longer than the column get theirs after two spaces).
    static func aligned(_ lines: [(String, String)]) -> String {
        let column = min(36, (lines.map(\.0.count).max() ?? 0) + 2)
        return lines.map { text, comment in
            guard !comment.isEmpty else { return text }
            let pad = max(2, column - text.count)
            return text + String(repeating: " ", count: pad) + "# " + comment
        }.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string (names and MACs here are plain; quotes and backslashes escaped anyway).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f: out += String(format4(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func format4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
