/// `sriovctl why VMID`: for one guest, each VF and bridged NIC it has, and what explains lost
/// connectivity there, with the fix. Pure: the engine gathers what it reads.
public enum GuestDiagnosis {
    public struct Finding: Hashable, Sendable {
        public enum Severity: String, Sendable { case problem, note }
        public var severity: Severity
        /// What it is about: `hostpci0: enp6s0f0 VF 0 (0000:06:10.0)`, `net0 on vmbr0`.
        public var subject: String
        public var what: String
        public var fix: String

        public init(_ severity: Severity, _ subject: String, _ what: String, fix: String) {
            self.severity = severity
            self.subject = subject
            self.what = what
            self.fix = fix
        }
    }

    /// What the engine read for the guest.
    public struct Input: Sendable {
        public var guest: ProxmoxGuest
        public var snapshot: HostSnapshot
        /// The config resolved on this host; nil when there is none (or it does not resolve).
        public var desired: DesiredHost?
        public var mappings: [PCIMapping]
        public var node: String
        public var devices: PCIDeviceList
        public var bridges: BridgeNetwork?

        public init(
            guest: ProxmoxGuest, snapshot: HostSnapshot, desired: DesiredHost?, mappings: [PCIMapping], node: String, devices: PCIDeviceList,
            bridges: BridgeNetwork?
        ) {
            self.guest = guest
            self.snapshot = snapshot
            self.desired = desired
            self.mappings = mappings
            self.node = node
            self.devices = devices
            self.bridges = bridges
        }
    }

    public static func diagnose(_ input: Input) -> (devices: [String], findings: [Finding]) {
        let guest = input.guest
        var devices: [String] = []
        var findings: [Finding] = []
        let byID = Dictionary(input.mappings.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        if let refusal = GuestStart.refusal(guest, mappings: byID, node: input.node, devices: input.devices) {
            findings.append(
                Finding(
                    .problem, "VM \(guest.vmid)", "Proxmox will refuse to start it: \(refusal.message)",
                    fix: refusal.fix ?? "correct the hostpci line in /etc/pve/qemu-server/\(guest.vmid).conf"))
        }
        let mismatches = input.desired.map { $0.mismatches(in: input.snapshot) } ?? []
        let references = guest.running ? guest.references : guest.nextStartReferences
        for reference in references.sorted(by: { $0.slot < $1.slot }) {
            var names = reference.hosts
            if let id = reference.mapping { names += byID[id]?.paths(on: input.node) ?? [] }
            for name in names {
                for pci in input.devices.matching(name) {
                    guard let (pf, vf) = vf(at: pci, in: input.snapshot) else { continue }
                    let subject = "hostpci\(reference.slot): \(pf.displayName) VF \(vf.index) (\(vf.pci))"
                    devices.append(subject + (reference.mapping.map { " through mapping \($0)" } ?? ""))
                    findings += diagnose(vf, of: pf, subject: subject, guestRunning: guest.running, mismatches: mismatches)
                }
            }
        }
        findings += bridged(guest, input)
        return (devices, findings)
    }

    static func vf(at pci: PCIAddress, in snapshot: HostSnapshot) -> (PhysicalFunction, VirtualFunction)? {
        for pf in snapshot.pfs {
            if let vf = pf.vfs.first(where: { $0.pci == pci }) { return (pf, vf) }
        }
        return nil
    }

    static func diagnose(_ vf: VirtualFunction, of pf: PhysicalFunction, subject: String, guestRunning: Bool, mismatches: [Mismatch])
        -> [Finding]
    {
        var findings: [Finding] = []
        if pf.adminUp == false || pf.linkUp == false {
            findings.append(
                Finding(
                    .problem, subject,
                    "its PF \(pf.displayName) is \(pf.adminUp == false ? "down" : "without a link (no carrier)"): the VF passes no traffic",
                    fix: pf.adminUp == false
                        ? "bring it up (`ip link set \(pf.displayName) up`; sriovctl apply does unless the config has link = \"keep\")"
                        : "check the cable and the switch port of \(pf.displayName)"))
        }
        if guestRunning, vf.driver != "vfio-pci" {
            findings.append(
                Finding(
                    .problem, subject,
                    "the guest runs, but the VF is on \(vf.driver ?? "no driver"), not vfio-pci: it was re-created or rebound since the guest started, and the guest lost it",
                    fix: "restart the guest (Proxmox binds the VF to vfio-pci at start); next time change VFs with the guest stopped"))
        }
        if vf.settings.mac?.isZero == true {
            findings.append(
                Finding(
                    .problem, subject, "the VF has the all-zero MAC, which FreeBSD guests (pfSense, OPNsense) cannot use",
                    fix: "give it one (mac = \"auto\" in the config), apply, and restart the guest"))
        }
        for m in mismatches where m.pf == pf.displayName && m.vf == vf.index && !m.unverifiable {
            findings.append(
                Finding(
                    .problem, subject, "\(m.field) is \(m.found), the config says \(m.wanted)",
                    fix: m.field == "mac" ? "sriovctl apply; the guest sees the new MAC at its next start" : "sriovctl apply"))
        }
        let profile = DriverProfile.of(pf)
        if vf.settings.trust == false, let untrusted = profile.untrusted {
            findings.append(
                Finding(
                    .note, subject,
                    "the VF is untrusted on \(profile.name): \(untrusted.note); a CARP virtual MAC, promiscuous mode or many VLANs inside the guest fail silently",
                    fix: "for a CARP firewall or a VLAN trunk: role = \"carp\" or \"trunk\" in the config (trust on, spoof-check off), then apply"))
        }
        if let c = vf.counters, (c.rxDropped ?? 0) + (c.txDropped ?? 0) > 0 {
            findings.append(
                Finding(
                    .note, subject, "the VF has dropped \(c.rxDropped ?? 0) received and \(c.txDropped ?? 0) sent packets",
                    fix: "watch them with `sriovctl top`; received drops often mean a MAC or VLAN filter the guest needs is missing"))
        }
        return findings
    }

    /// A guest NIC on a bridge over a PF whose VFs have guests: without `sync-bridge-fdb` the PF
    /// sends frames for the bridged guest out of the port, not to it.
    static func bridged(_ guest: ProxmoxGuest, _ input: Input) -> [Finding] {
        guard let network = input.bridges else { return [] }
        var findings: [Finding] = []
        let byIndex = Dictionary(network.links.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        for nic in guest.nics.sorted(by: { $0.slot < $1.slot }) {
            guard let bridge = network.links.first(where: { $0.name == nic.bridge }) else { continue }
            // The PFs under the bridge, directly or through a bond or a VLAN.
            let ports = network.links.filter { link in
                var current: BridgeNetwork.Link? = link
                for _ in 0..<4 {
                    guard let c = current else { return false }
                    if c.master == bridge.index { return true }
                    current = c.master.flatMap { byIndex[$0] } ?? c.parent.flatMap { byIndex[$0] }
                }
                return false
            }
            for pf in input.snapshot.pfs where pf.numVFs > 0 && ports.contains(where: { $0.name == pf.name }) {
                let synced = input.desired?.pfs.first { $0.current.pci == pf.pci }?.syncBridgeFDB == true
                if !synced {
                    findings.append(
                        Finding(
                            .note, "net\(nic.slot) on \(nic.bridge) (\(nic.mac))",
                            "\(nic.bridge) is over \(pf.displayName), which has VFs: guests on those VFs cannot reach this NIC (\(pf.displayName)'s own table does not know its MAC)",
                            fix: "sync-bridge-fdb = true on \(pf.displayName) in the config, then apply"))
                }
            }
        }
        return findings
    }
}
