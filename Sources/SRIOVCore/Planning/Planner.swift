/// Decides the steps that take the host from what it is (`DesiredPF.current`) to what the
/// config says. Pure: the same inputs give the same plan. Only what differs becomes a step.
///
/// Order per PF: link up and MTU, autoprobe, VF count, VF settings (MACs included), driver
/// binding, then re-probing host-bound VFs whose MAC changed. Settings come before binding so a
/// VF is configured before anything (a guest, a host driver) starts using it.
public enum Planner {
    public static func plan(_ desired: DesiredHost) -> Plan {
        var slotsTaken: [Int: Set<Int>] = [:]
        for guest in desired.guests ?? [] { slotsTaken[guest.vmid] = Set(guest.nextStartReferences.map(\.slot)) }
        // Each PF's own steps, then the mappings (from the VFs as they now are), then the guests
        // (a VM can only name a mapping that exists).
        let own = desired.pfs.flatMap(steps)
        let mappingSteps = desired.guests == nil ? [] : mappings(desired, pfSteps: own)
        var seenPools: Set<String> = []
        let guestSteps = desired.pfs.flatMap { pf in
            assignments(for: pf, guests: desired.guests ?? [], slotsTaken: &slotsTaken, seenPools: &seenPools)
        }
        return Plan(steps: own + mappingSteps + guestSteps)
    }

    /// A step per mapping whose entries for this node differ from the VFs the config puts in it.
    static func mappings(_ desired: DesiredHost, pfSteps: [Plan.Step]) -> [Plan.Step] {
        var members: [String: [(DesiredPF, DesiredVF)]] = [:]
        var order: [String] = []
        for pf in desired.pfs {
            for vf in pf.vfs {
                guard let id = vf.mapping else { continue }
                if members[id] == nil { order.append(id) }
                members[id, default: []].append((pf, vf))
            }
        }
        return order.compactMap { id in
            let list = members[id]!
            let existing = desired.mappings.first { $0.id == id }
            let ours = existing?.entries.filter { $0.node == desired.node } ?? []
            let others = existing?.entries.filter { $0.node != desired.node }.map(\.raw) ?? []
            // VFs re-created by this plan may come back in other IOMMU groups: always refresh then.
            let recreated = Set(
                pfSteps.compactMap { step -> PCIAddress? in
                    if case .setNumVFs = step.action { return step.pf }
                    return nil
                })
            var live: [(pf: PhysicalFunction, vf: VirtualFunction)] = []
            var predictable = true
            var members: [MappingMember] = []
            for (pf, vf) in list {
                let now = pf.current.vfs.first { $0.index == vf.index }
                // Parts of the entry naming this VF that sriovctl does not own are written back.
                let entry = now.flatMap { now in ours.first { $0.paths == [now.pci.description] } }
                members.append(MappingMember(pf: pf.current.pci, index: vf.index, keep: entry?.otherParts ?? []))
                guard !recreated.contains(pf.current.pci), let now else {
                    predictable = false
                    continue
                }
                live.append((pf.current, now))
            }
            if predictable, let existing, existing.describes(live, on: desired.node) { return nil }
            let first = list[0].0.current
            return Plan.Step(
                pf: first.pci, pfName: first.displayName,
                action: .syncMapping(
                    id: id, node: desired.node,
                    members: members,
                    otherNodes: others, exists: existing != nil),
                reason: existing == nil
                    ? "config mapping = \"\(id)\" does not exist yet"
                    : predictable
                        ? "its entries for \(desired.node) differ from the VFs' addresses, ids and IOMMU groups (what Proxmox checks at each start)"
                        : "its VFs are re-created, so their IOMMU groups are read again")
        }
    }

    /// Only what a guest's start needs (the hookscript at pre-start): the settings of the VFs the
    /// config gives to `vm`, nothing that creates, removes or rebinds VFs.
    public static func planForGuest(_ desired: DesiredHost, vm: Int) -> Plan {
        Plan(
            steps: plan(desired).steps.compactMap { step in
                guard case let .setVFs(changes) = step.action,
                    let pf = desired.pfs.first(where: { $0.current.pci == step.pf })
                else { return nil }
                let mine = Set(pf.vfs.filter { $0.guest?.vm == vm }.map(\.index))
                let kept = changes.filter { mine.contains($0.index) }
                guard !kept.isEmpty else { return nil }
                var step = step
                step.action = .setVFs(kept)
                step.reason = "VM \(vm) is starting: its VFs get their configured settings"
                return step
            })
    }

    /// Proxmox VE hostpci lines, last: the VF exists, is configured and bound first.
    static func assignments(
        for want: DesiredPF, guests: [ProxmoxGuest], slotsTaken: inout [Int: Set<Int>],
        seenPools: inout Set<String>
    ) -> [Plan.Step] {
        var steps: [Plan.Step] = []
        for vf in want.vfs {
            guard let g = vf.guest, let guest = guests.first(where: { $0.vmid == g.vm }) else { continue }
            if let pool = g.mapping, !seenPools.insert("\(g.vm)/\(pool)").inserted { continue }  // a pool is one hostpci line
            let pci = want.current.vfs.first { $0.index == vf.index }?.pci
            let existing =
                g.mapping.map { pool in guest.nextStartReferences.first { $0.mapping == pool } }
                ?? pci.flatMap { pci in guest.nextStartReferences.first { $0.mapping == nil && $0.names(pci) } }
            // A line already giving the VF is left alone unless a key says otherwise.
            if let existing, g.slot == nil || g.slot == existing.slot, g.pcie == nil || existing.pcie == g.pcie { continue }
            let slot: Int
            if let wanted = g.slot {
                slot = wanted
            } else if let existing {
                slot = existing.slot
            } else {
                guard let free = (0...15).first(where: { !(slotsTaken[g.vm] ?? []).contains($0) }) else { continue }
                slot = free
            }
            slotsTaken[g.vm, default: []].insert(slot)
            let edit = existing.map {
                GuestLineEdit(
                    kept: $0.parts.filter { !["host", "mapping", "pcie"].contains($0.key) }.map(\.text), pcieBefore: $0.pcie,
                    guestRunning: guest.running)
            }
            let pending = guest.running ? " (VM \(g.vm) is running: Proxmox applies the change at its next start)" : ""
            steps.append(
                Plan.Step(
                    pf: want.current.pci, pfName: want.current.displayName,
                    action: .assignToVM(
                        index: vf.index, vm: g.vm, slot: slot, pcie: g.pcie ?? existing?.pcie ?? false,
                        oldSlot: existing.flatMap { $0.slot == slot ? nil : $0.slot }, mapping: g.mapping, edit: edit),
                    reason: existing != nil && existing?.slot == slot
                        ? "config pcie = \(g.pcie == true)\(pending)"
                        : "config vm = \(g.vm)\(g.mapping.map { pool in " through mapping \(pool)\(poolChoice(pool, in: want))" } ?? "")\(pending)"))
        }
        return steps
    }

    /// Which VF a guest gets from a pool: Proxmox gives a starting guest the first member, in the
    /// mapping's order, that no running guest holds (qemu-server `choose_hostpci_devices`).
    static func poolChoice(_ pool: String, in want: DesiredPF) -> String {
        let members = want.vfs.filter { $0.mapping == pool }.map { "VF \($0.index)" }
        guard members.count > 1 else { return "" }
        return "; at each start Proxmox gives it the first of \(members.joined(separator: ", ")) that no running guest holds"
    }

    static func steps(for want: DesiredPF) -> [Plan.Step] {
        let pf = want.current
        var steps: [Plan.Step] = []
        func add(_ action: Plan.Action, _ reason: String) {
            steps.append(Plan.Step(pf: pf.pci, pfName: pf.displayName, action: action, reason: reason))
        }

        if want.numVFs > 0, !want.keepLink, pf.name != nil, pf.adminUp == false {
            let profile = DriverProfile.of(pf)
            add(
                .setLinkUp,
                profile.vfsNeedLinkUp.map { "the PF is down, and \(profile.driver) creates no VFs while it is (\($0))" }
                    ?? "the PF is down, and its VFs pass no traffic while it is")
        }
        if let mtu = want.mtu, pf.name != nil, pf.mtu != mtu {
            add(.setMTU(from: pf.mtu, to: mtu), "config mtu = \(mtu)")
        }
        if let autoprobe = want.autoprobe, pf.autoprobe != autoprobe {
            add(.setAutoprobe(from: pf.autoprobe, to: autoprobe), "config autoprobe = \(autoprobe)")
        }
        // VFs made for VMs never meet a host driver: with autoprobe on, the kernel would bind
        // each new VF to the PF driver's VF driver (igbvf, iavf) before sriovctl rebinds it to
        // vfio-pci. So autoprobe is off while they are made, their MACs are set, vfio-pci (and
        // "none") bound through driver_override, then autoprobe is put back and the host's own
        // VFs are probed, once, with their MACs already set.
        let quiet = Self.makesVFsWithoutDriver(want)
        if quiet {
            add(
                .setAutoprobe(from: true, to: false),
                "new VFs for VMs (driver = \"vfio-pci\") are made without a driver, so none is bound to the host's VF driver first; put back after"
            )
        }

        // What each VF is, now or right after the count changes.
        var current: [Int: (settings: VFSettings, driver: String?)] = [:]
        if want.numVFs != pf.numVFs {
            let reason = "config num-vfs = \(want.numVFs), host has \(pf.numVFs)"
            if pf.numVFs > 0 && want.numVFs > 0 {
                add(.setNumVFs(from: pf.numVFs, to: 0), reason + "; the kernel only changes a non-zero count through 0")
                add(.setNumVFs(from: 0, to: want.numVFs), reason + "; new VFs come up blank, so every setting is applied again")
            } else {
                add(.setNumVFs(from: pf.numVFs, to: want.numVFs), reason)
            }
            let probes = !quiet && (want.autoprobe ?? pf.autoprobe ?? true)
            for vf in want.vfs { current[vf.index] = (.freshlyCreated, probes ? hostDriverUnknown : nil) }
        } else {
            for vf in pf.vfs { current[vf.index] = (vf.settings, vf.driver) }
        }

        var changes: [VFSettingsChange] = []
        var macChanged: Set<Int> = []
        for vf in want.vfs {
            let now = current[vf.index]?.settings ?? .freshlyCreated
            var to = VFSettings()
            for field in VFField.allCases where differs(field, now: now, want: vf) {
                for member in field.group { member.copy(from: vf.settings, into: &to) }
            }
            guard to != VFSettings() else { continue }
            if to.mac != nil { macChanged.insert(vf.index) }
            changes.append(VFSettingsChange(index: vf.index, from: now, to: to))
        }
        if !changes.isEmpty {
            let described = changes.map { c in "VF \(c.index): " + c.fields.map(\.configKey).joined(separator: ", ") }
            add(.setVFs(changes), "differs from the config: " + described.joined(separator: "; "))
        }

        // A driver that resets the VF when its MAC is set (i40e, ice) restarts the VF's driver
        // with the new MAC: no re-probe. The others (igb, ixgbe, unknown) need one.
        let resetsOnMAC = if case .resetsVF = DriverProfile.of(pf).macChange { true } else { false }
        if resetsOnMAC { macChanged.removeAll() }
        // Made without a driver: the host's own VFs (and those the kernel would have bound) wait
        // until autoprobe is back on, as the kernel probes no VF without an override while it is off.
        var afterAutoprobe: [(index: Int, reason: String)] = []
        for vf in want.vfs {
            let driver = current[vf.index]?.driver
            if quiet {
                switch vf.driver {
                case .keep, .host:
                    afterAutoprobe.append(
                        (vf.index, vf.driver == .host ? "config driver = \"host\"" : "as the kernel would have bound it, with its MAC already set"))
                    continue
                case .none:
                    add(
                        .bindDriver(index: vf.index, from: nil, to: .none),
                        "config driver = \"none\": no driver may take it once autoprobe is back on")
                    continue
                default: break
                }
            }
            switch vf.driver {
            case .keep:
                // New VFs that autoprobe bound to a host driver took their MAC after the driver
                // started, so they are re-probed too.
                if macChanged.contains(vf.index), let driver, isHostDriver(driver) {
                    add(
                        .reprobe(index: vf.index, driver: driver),
                        "VF \(vf.index)'s new MAC reaches \(driver == Self.hostDriverUnknown ? "its host driver" : driver) only when it re-initializes"
                    )
                }
            case .vfioPCI where driver != "vfio-pci":
                add(.bindDriver(index: vf.index, from: driver, to: .vfioPCI), "config driver = \"vfio-pci\" (for a VM)")
            case .host where driver == nil || !isHostDriver(driver!):
                add(.bindDriver(index: vf.index, from: driver, to: .host), "config driver = \"host\"")
            case .host:
                if macChanged.contains(vf.index), let driver {
                    add(
                        .reprobe(index: vf.index, driver: driver),
                        "VF \(vf.index)'s new MAC reaches \(driver == Self.hostDriverUnknown ? "its host driver" : driver) only when it re-initializes"
                    )
                }
            case .none where driver != nil:
                add(.bindDriver(index: vf.index, from: driver, to: .none), "config driver = \"none\"")
            default:
                break
            }
        }
        if quiet {
            steps.append(
                Plan.Step(
                    pf: pf.pci, pfName: pf.displayName, action: .setAutoprobe(from: false, to: true),
                    reason: "put back as it was (also when a step before fails)", restoresAfterFailure: true))
            for (index, reason) in afterAutoprobe { add(.bindDriver(index: index, from: nil, to: .host), reason) }
        }
        return steps
    }

    /// Whether new VFs of `want` are made with autoprobe off: VFs are (re)made, some for VMs
    /// (vfio-pci) or for no driver, autoprobe is on now and the file does not set it.
    static func makesVFsWithoutDriver(_ want: DesiredPF) -> Bool {
        want.numVFs > 0 && want.numVFs != want.current.numVFs && want.autoprobe == nil && want.current.autoprobe == true
            && want.vfs.contains { $0.driver == .vfioPCI || $0.driver == DriverChoice.none }
    }

    /// Whether `field` needs a change. A setting the driver does not report is only set when the
    /// file asks for it explicitly (otherwise every plan would try, and fail, to set it).
    static func differs(_ field: VFField, now: VFSettings, want: DesiredVF) -> Bool {
        let have = field.text(in: now)
        let wanted = field.text(in: want.settings)
        if have == nil { return want.explicit.contains(field) }
        return have != wanted
    }

    /// A VF driver that is not a passthrough stub: the PF driver's own VF driver.
    static func isHostDriver(_ driver: String) -> Bool {
        driver != "vfio-pci" && driver != "pci-stub"
    }

    /// Stands for "the kernel's own choice" for VFs that do not exist yet when autoprobe is on.
    static let hostDriverUnknown = "(host driver)"
}

extension Planner {
    /// One VF given to one VM now (`sriovctl assign`), with the same slot choice as `vm =` in a
    /// config: its existing slot, the one asked for, or the first free one. Nil when the guest
    /// already has it as asked, or has no free slot (`noFreeSlot` tells which).
    public static func assignment(
        of vf: VirtualFunction, on pf: PhysicalFunction, as wanted: GuestAssignment,
        guests: [ProxmoxGuest]
    ) -> (step: Plan.Step?, noFreeSlot: Bool) {
        let desired = DesiredVF(
            index: vf.index, settings: VFSettings(), explicit: [], driver: .keep, autoMAC: false,
            macLocation: nil, guest: wanted, mapping: nil)
        let want = DesiredPF(
            current: pf, numVFs: pf.numVFs, mtu: nil, autoprobe: nil, vfs: [desired],
            location: ConfigLocation(file: "", keyPath: "", position: nil))
        var slotsTaken: [Int: Set<Int>] = [:]
        for guest in guests { slotsTaken[guest.vmid] = Set(guest.nextStartReferences.map(\.slot)) }
        var pools: Set<String> = []
        let step = assignments(for: want, guests: guests, slotsTaken: &slotsTaken, seenPools: &pools).first
        let guest = guests.first { $0.vmid == wanted.vm }
        let has =
            guest?.nextStartReferences.contains {
                $0.mapping == nil && $0.names(vf.pci) && (wanted.slot == nil || wanted.slot == $0.slot)
                    && (wanted.pcie == nil || $0.pcie == wanted.pcie)
            } ?? false
        return (step, step == nil && !has)
    }
}
