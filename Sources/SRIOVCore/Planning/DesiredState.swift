/// What one VF should be once the config is applied: every setting filled in.
public struct DesiredVF: Hashable, Sendable {
    public var index: Int
    public var settings: VFSettings
    /// Settings the file wrote (in the VF or the PF's defaults). A setting left out is still
    /// desired at the kernel's default, but when the driver does not report it, nothing is planned.
    public var explicit: Set<VFField>
    public var driver: DriverChoice
    /// Whether the MAC was derived (`"auto"`).
    public var autoMAC: Bool
    /// Where the MAC was written, when it was.
    public var macLocation: ConfigLocation?
    /// Proxmox VE: the VM that gets this VF as a hostpci device.
    public var guest: GuestAssignment?
    /// Proxmox VE: the cluster PCI mapping (pool) this VF belongs to on this node.
    public var mapping: String?
}

/// `vm = VMID` (with optional `slot` and `pcie`) on a VF.
public struct GuestAssignment: Hashable, Sendable {
    public var vm: Int
    public var slot: Int?
    /// `pcie = true/false`; nil leaves an existing line's `pcie` as it is (and writes none on a new one).
    public var pcie: Bool?
    /// Given through the pool `mapping=ID` rather than `host=`.
    public var mapping: String?

    public init(vm: Int, slot: Int? = nil, pcie: Bool? = nil, mapping: String? = nil) {
        self.vm = vm
        self.slot = slot
        self.pcie = pcie
        self.mapping = mapping
    }
}

/// What one PF should be: the config resolved against the host.
public struct DesiredPF: Hashable, Sendable {
    /// The PF as observed when the plan was made.
    public var current: PhysicalFunction
    public var numVFs: Int
    public var mtu: Int?
    public var autoprobe: Bool?
    /// `link = "keep"`: not brought up.
    public var keepLink = false
    /// `sync-bridge-fdb = true`.
    public var syncBridgeFDB = false
    public var vfs: [DesiredVF]
    public var location: ConfigLocation
}

/// The config resolved against one snapshot of the host.
public struct DesiredHost: Hashable, Sendable {
    public var pfs: [DesiredPF]
    /// Configured PFs not on the host, when resolving allowed that (at boot: still appearing).
    public var missing: [ConfigDiagnostic] = []
    /// What was left for later, when resolving allowed that (at boot: guest assignments, until
    /// Proxmox's /etc/pve is mounted).
    public var deferred: [String] = []
    /// Proxmox VE guests as they are now; nil on a host that is not Proxmox.
    public var guests: [ProxmoxGuest]?
    /// Proxmox VE cluster PCI mappings as they are now, and this node's name.
    public var mappings: [PCIMapping] = []
    public var node: String = ""
    /// What the PFs' drivers do with these settings that the plan should say (rates the
    /// hardware rounds, settings that depend on firmware).
    public var driverNotes: [String] = []
    /// What each VF's `role` expanded to on its driver, and what keys written against it cost.
    public var roleNotes: [String] = []

    public init(
        pfs: [DesiredPF], missing: [ConfigDiagnostic] = [], guests: [ProxmoxGuest]? = nil,
        mappings: [PCIMapping] = [], node: String = ""
    ) {
        self.pfs = pfs
        self.missing = missing
        self.guests = guests
        self.mappings = mappings
        self.node = node
    }
}

extension DesiredHost {
    /// Resolves `config` on `snapshot`: finds each PF, fills defaults, derives auto MACs, and checks
    /// what needs the host to check (the PF exists, num-vfs fits, MACs unique on the host).
    /// With `allowMissing`, a configured PF that is not on the host is left out and listed in
    /// `missing` instead of being an error (the boot and the watcher configure what is there).
    public static func resolve(
        _ config: SRIOVConfig, on snapshot: HostSnapshot, allowMissing: Bool = false,
        guests: [ProxmoxGuest]? = nil, mappings: [PCIMapping] = [], node: String = "",
        capabilities: CapabilityRecord? = nil
    )
        throws(ConfigError) -> DesiredHost
    {
        var problems: [ConfigDiagnostic] = []
        var missing: [ConfigDiagnostic] = []
        var result: [DesiredPF] = []
        var claimed: [PCIAddress: ConfigLocation] = [:]
        var notes: [String] = []
        var roleNotes: [String] = []
        for pfConfig in config.pfs {
            let matches = snapshot.pfs.filter { pfConfig.selector.matches($0) }
            guard let pf = matches.first else {
                let known = snapshot.pfs.map { p in p.name.map { "\($0) (\(p.pci))" } ?? p.pci.description }
                let diagnostic = ConfigDiagnostic(
                    pfConfig.location,
                    "no SR-IOV capable PF \(pfConfig.selector) on this host"
                        + (known.isEmpty ? " (it has none; `sriovctl check` says why)" : " (it has: \(known.joined(separator: ", ")))"))
                if allowMissing { missing.append(diagnostic) } else { problems.append(diagnostic) }
                continue
            }
            if let earlier = claimed[pf.pci] {
                problems.append(
                    ConfigDiagnostic(
                        pfConfig.location,
                        "\(pfConfig.selector) is \(pf.displayName) (\(pf.pci)), already configured by \(earlier.keyPath)"))
                continue
            }
            claimed[pf.pci] = pfConfig.location
            if pfConfig.numVFs > pf.totalVFs {
                problems.append(
                    ConfigDiagnostic(
                        pfConfig.location.with(keyPath: "num-vfs"),
                        "num-vfs is \(pfConfig.numVFs) but \(pf.displayName) offers at most \(pf.totalVFs) VFs (sriov_totalvfs)"))
                continue
            }
            var vfs: [DesiredVF] = []
            var wanted: [DriverJudgement.WantedVF] = []
            var roles: [RoleJudgement.Use] = []
            for index in 0..<pfConfig.numVFs {
                let (written, filledByRole) = pfConfig.written(index).expandingRole()
                // What the file does not write is wanted as a new VF has it.
                var settings = VFSettings.freshlyCreated
                settings.merge(written.settings)
                let choice = written.mac ?? .auto
                guard let mac = wantedMAC(choice, pf: pf, index: index) else {
                    problems.append(
                        ConfigDiagnostic(
                            pfConfig.location,
                            "\(pf.displayName) reports no permanent MAC, so VF \(index) cannot get an \"auto\" MAC; write one"))
                    continue
                }
                settings.mac = mac
                wanted.append(.init(index: index, settings: settings, locations: written.locations))
                var explicit: Set<VFField> = choice == .keep ? [] : [.mac]
                for field in VFField.allCases where written.locations[field.configKey] != nil { explicit.insert(field) }
                explicit.formUnion(filledByRole)
                if let role = written.role {
                    roles.append(
                        .init(
                            role: role, index: index, filled: filledByRole, settings: settings,
                            written: Set(VFField.allCases.filter { written.locations[$0.configKey] != nil }),
                            location: written.locations["role"] ?? pfConfig.location))
                }
                let (guest, guestProblems) = guestAssignment(written, index: index, of: pf, at: pfConfig.location, guests: guests)
                problems += guestProblems
                vfs.append(
                    DesiredVF(
                        index: index, settings: settings, explicit: explicit, driver: written.driver ?? .keep,
                        autoMAC: choice == .auto, macLocation: written.locations["mac"], guest: guest,
                        mapping: written.mapping))
            }
            let judged = judge(pf, pfConfig, wanted: wanted, roles: roles, capabilities: capabilities)
            problems += judged.problems
            notes += judged.notes
            roleNotes += judged.roleNotes
            var desiredPF = DesiredPF(
                current: pf, numVFs: pfConfig.numVFs, mtu: pfConfig.mtu, autoprobe: pfConfig.autoprobe,
                vfs: vfs, location: pfConfig.location)
            desiredPF.keepLink = pfConfig.keepLink
            desiredPF.syncBridgeFDB = pfConfig.syncBridgeFDB
            result.append(desiredPF)
        }
        problems += macConflicts(result, config: config, snapshot: snapshot)
        problems += slotConflicts(result)
        guard problems.isEmpty else { throw ConfigError(problems) }
        var desired = DesiredHost(pfs: result, missing: missing, guests: guests, mappings: mappings, node: node)
        desired.driverNotes = notes
        desired.roleNotes = roleNotes
        return desired
    }

    /// The MAC a VF is wanted with: written, derived from the PF's permanent MAC (`auto`), or
    /// `.some(nil)` for `keep` (neither set nor checked). Nil when `auto` has no MAC to derive from.
    static func wantedMAC(_ choice: MACChoice, pf: PhysicalFunction, index: Int) -> MACAddress?? {
        switch choice {
        case let .fixed(mac): return .some(mac)
        case .keep: return .some(nil)
        case .auto:
            guard let base = pf.permanentMAC ?? pf.mac, !base.isZero else { return nil }
            return .some(AutoMAC.derive(permanent: base, index: index))
        }
    }

    /// `vm =` (with `slot`, `pcie`, `mapping`) for VF `index`, and what is wrong with it on this
    /// host: no Proxmox VE, no such VM, a driver Proxmox would fight, a slot holding another device.
    static func guestAssignment(
        _ written: VFConfig, index: Int, of pf: PhysicalFunction, at pfLocation: ConfigLocation, guests: [ProxmoxGuest]?
    ) -> (GuestAssignment?, [ConfigDiagnostic]) {
        var problems: [ConfigDiagnostic] = []
        // Said last, after what is wrong with `vm`.
        let noPVEForMapping =
            written.mapping.map { mapping in
                guests == nil
                    ? [
                        ConfigDiagnostic(
                            written.locations["mapping"] ?? pfLocation, "mapping = \"\(mapping)\" needs Proxmox VE, and this host has no /etc/pve")
                    ] : []
            } ?? []
        guard let vm = written.vm else { return (nil, noPVEForMapping) }
        let location = written.locations["vm"] ?? pfLocation
        if guests == nil {
            problems.append(ConfigDiagnostic(location, "vm = \(vm) needs Proxmox VE, and this host has no /etc/pve"))
        } else if guests?.contains(where: { $0.vmid == vm }) == false {
            problems.append(ConfigDiagnostic(location, "VM \(vm) does not exist on this node (no /etc/pve/qemu-server/\(vm).conf)"))
        }
        if let driver = written.driver, driver == .host || driver == .none {
            problems.append(
                ConfigDiagnostic(
                    written.locations["driver"] ?? location,
                    "vm = \(vm) with driver = \"\(driver.rawValue)\": Proxmox binds the VF to vfio-pci when VM \(vm) starts, and sriovctl would take it back; use driver = \"vfio-pci\" or leave driver out"
                ))
        }
        if let slot = written.slot, let owner = guests?.first(where: { $0.vmid == vm }),
            let held = owner.nextStartReferences.first(where: { $0.slot == slot })
        {
            let vfPCI = pf.vfs.first { $0.index == index }?.pci
            let ours = written.mapping.map { held.mapping == $0 } ?? (held.mapping == nil && (vfPCI.map { held.names($0) } ?? true))
            if !ours {
                problems.append(
                    ConfigDiagnostic(
                        written.locations["slot"] ?? location,
                        "VM \(vm) hostpci\(slot) already holds another device (\(held.mapping.map { "mapping=\($0)" } ?? held.hosts.joined(separator: ";"))): sriovctl does not replace it; choose a free slot or leave slot out"
                    ))
            }
        }
        return (GuestAssignment(vm: vm, slot: written.slot, pcie: written.pcie, mapping: written.mapping), problems + noPVEForMapping)
    }

    /// The PF's driver against what the file wants of it: its profile from the kernel's source,
    /// with what `sriovctl probe` found on this host winning over it.
    static func judge(
        _ pf: PhysicalFunction, _ pfConfig: PFConfig, wanted: [DriverJudgement.WantedVF], roles: [RoleJudgement.Use],
        capabilities: CapabilityRecord?
    ) -> (problems: [ConfigDiagnostic], notes: [String], roleNotes: [String]) {
        var notes: [String] = []
        var profile = DriverProfile.of(pf)
        if let probe = capabilities?.entry(for: pf, firmware: nil) {
            profile = profile.applying(probe)
            notes.append(
                "\(pf.displayName): \(profile.name): the answers `sriovctl probe` recorded (firmware \(probe.firmware ?? "unknown")) are used over the profile from the kernel's source"
            )
        }
        let judgement = DriverJudgement.judge(
            profile, pf: pf, numVFs: pfConfig.numVFs, keepLink: pfConfig.keepLink, location: pfConfig.location, vfs: wanted)
        let roleJudgement = RoleJudgement.judge(roles, profile: profile, pf: pf)
        return (judgement.problems + roleJudgement.problems, notes + judgement.notes, roleJudgement.notes)
    }

    /// Two VFs given to the same VM in the same hostpci slot.
    private static func slotConflicts(_ pfs: [DesiredPF]) -> [ConfigDiagnostic] {
        var seen: [String: String] = [:]
        var problems: [ConfigDiagnostic] = []
        for pf in pfs {
            for vf in pf.vfs {
                guard let g = vf.guest, let slot = g.slot else { continue }
                let key = "\(g.vm)/\(slot)"
                if let pool = g.mapping, seen[key] == "pool \(pool)" { continue }  // one pool, one slot
                let name = "\(pf.current.displayName) VF \(vf.index)"
                if let other = seen[key] {
                    problems.append(ConfigDiagnostic(pf.location, "\(name) and \(other) both want VM \(g.vm) hostpci\(slot)"))
                } else {
                    seen[key] = g.mapping.map { "pool \($0)" } ?? name
                }
            }
        }
        return problems
    }

    /// Every desired VF MAC must be unique on the host: among themselves, against PF MACs, and
    /// against VFs of PFs the config does not manage.
    private static func macConflicts(_ pfs: [DesiredPF], config: SRIOVConfig, snapshot: HostSnapshot) -> [ConfigDiagnostic] {
        var owners: [MACAddress: String] = [:]
        for pf in snapshot.pfs {
            if let mac = pf.mac { owners[mac] = "\(pf.displayName)'s own MAC" }
            if let mac = pf.permanentMAC { owners[mac] = "\(pf.displayName)'s permanent MAC" }
        }
        let managed = Set(pfs.map(\.current.pci))
        for pf in snapshot.pfs where !managed.contains(pf.pci) {
            for vf in pf.vfs {
                if let mac = vf.settings.mac, !mac.isZero { owners[mac] = "\(pf.displayName) VF \(vf.index) (not in this config)" }
            }
        }
        var problems: [ConfigDiagnostic] = []
        for pf in pfs {
            for vf in pf.vfs {
                guard let mac = vf.settings.mac else { continue }
                let name = "\(pf.current.displayName) VF \(vf.index)"
                if let owner = owners[mac] {
                    let location = vf.macLocation ?? pf.location.with(keyPath: "vf[\(vf.index)].mac (auto)")
                    problems.append(
                        ConfigDiagnostic(
                            location,
                            "\(name) would get \(mac)\(vf.autoMAC ? " (auto)" : ""), which \(owner) already has; every MAC must be unique on the host"
                        ))
                } else {
                    owners[mac] = name
                }
            }
        }
        return problems
    }
}

extension ConfigLocation {
    /// The same place, naming a key below it.
    func with(keyPath key: String) -> ConfigLocation {
        ConfigLocation(file: file, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", position: position)
    }
}
