import SRIOVCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A host kept in memory with the kernel's SR-IOV rules: new VFs have all-zero MACs, a non-zero VF
/// count only changes through 0 (EBUSY), no more than `totalvfs` (ERANGE), drivers refuse settings
/// they lack (EOPNOTSUPP). Every write is recorded, so a test can prove that bad input wrote nothing.
public struct SimulatedHost: HostObserving {
    public let description: SimulatedHostDescription
    public internal(set) var state: SimulatedHostState

    /// The simulated host's own folder for its files (units, hookscripts, /etc edits), beside
    /// its state file; nil when it has none (then file changes fail).
    public let treeRoot: String?
    /// Where it was loaded from and is saved to; nil for a host made in memory (tests).
    public internal(set) var store: SimulatedHostStore?
    /// The description file, for messages.
    public var sourcePath: String? { store?.descriptionPath }

    public init(description: SimulatedHostDescription, state: SimulatedHostState? = nil, treeRoot: String? = nil) {
        self.description = description
        self.treeRoot = treeRoot
        var s = state ?? SimulatedHostState()
        if s.guests == nil, let proxmox = description.proxmox {
            s.guests = proxmox.guests.map { g in
                .init(
                    vmid: g.vmid, name: g.name, running: g.running ?? false,
                    config: (g.hostpci ?? [:]).merging(g.net ?? [:]) { a, _ in a }.merging(g.options ?? [:]) { a, _ in a })
            }
            s.mappings = proxmox.mappings ?? []
        }
        if s.ownFDB == nil, let links = description.network?.links {
            let seeded = links.compactMap { link in link.ownTable.map { (link.name, $0) } }
            if !seeded.isEmpty { s.ownFDB = Dictionary(seeded, uniquingKeysWith: { a, _ in a }) }
        }
        for pf in description.pfs where s.pfs[pf.pci] == nil {
            let count = min(max(pf.initialVfs ?? 0, 0), pf.totalVfs)
            s.pfs[pf.pci] = .init(
                numVfs: count, mtu: pf.mtu ?? 1500, linkUp: pf.linkUp ?? true, autoprobe: true,
                vfs: (0..<count).map { _ in .init(settings: .freshlyCreated, driver: pf.vfDriver) })
        }
        self.state = s
    }

    /// Every write so far, oldest first, as `what <- value`.
    public var writes: [String] { state.writes }

    /// Seconds since 1970: when simulated counters are read and VFs created. Tests set their own.
    public var clock: @Sendable () -> Double = wallClock

    public func snapshot(withCounters: Bool) throws -> HostSnapshot {
        try snapshot(countersAt: withCounters ? clock() : nil)
    }

    /// Simulated counters are what moved up to one instant, read once for every VF: the
    /// sample's time is that instant, so a rate is exact however long the snapshot took.
    public func countedSnapshot(clock _: @Sendable () -> Double) throws -> (snapshot: HostSnapshot, time: Double) {
        let now = clock()
        return (try snapshot(countersAt: now), now)
    }

    private func snapshot(countersAt now: Double?) throws -> HostSnapshot {
        HostSnapshot(
            pfs: try description.pfs.map { pf in
                guard let pci = PCIAddress(pf.pci) else { throw HostError.noSuchDevice(pf.pci) }
                let s = state.pfs[pf.pci]!
                let perm = MACAddress(pf.permanentMac)
                let driverProfile = profile(of: pf)
                return PhysicalFunction(
                    pci: pci, name: pf.name, driver: pf.driver, mac: perm, permanentMAC: perm,
                    linkUp: s.linkUp, adminUp: s.linkUp, mtu: s.mtu, totalVFs: pf.totalVfs, numVFs: s.numVfs, autoprobe: s.autoprobe,
                    vfDeviceID: pf.vfDevice,
                    vfs: s.vfs.enumerated().map { index, vf in
                        let netdev = vf.driver == pf.vfDriver && vf.driver != "vfio-pci" ? pf.name.map { "\($0)v\(index)" } : nil
                        var result = VirtualFunction(
                            index: index, pci: pf.vfAddress(index, pf: pci),
                            iommuGroup: (pf.iommuGroupBase ?? 100) + index,
                            driver: vf.driver, netdev: netdev, settings: driverProfile.reported(vf.settings),
                            subsystemID: pf.vfSubsystem)
                        if let now {
                            let moved = vf.counters ?? simulatedTraffic(pf, index: index, since: vf.createdAt, now: now)
                            // The kernel reports zeros for a driver without per-VF counters.
                            result.counters = pf.perVfCounters == false ? VFCounters(rxDropped: 0, txDropped: 0) : moved
                            result.netdevCounters =
                                netdev != nil
                                ? VFCounters(
                                    rxPackets: moved.rxPackets, txPackets: moved.txPackets, rxBytes: moved.rxBytes,
                                    txBytes: moved.txBytes, multicast: moved.multicast, rxDropped: moved.rxDropped,
                                    txDropped: moved.txDropped) : nil
                        }
                        return result
                    })
            })
    }

    /// What VF `index` has moved since it was created: a steady share of the PF's `traffic`
    /// (VF 0 all of it, VF 5 nothing, and so on round), so the counters advance with the clock.
    private func simulatedTraffic(_ pf: SimulatedHostDescription.PF, index: Int, since createdAt: Double?, now: Double) -> VFCounters {
        guard let traffic = pf.traffic else { return VFCounters(broadcast: 0, multicast: 0, rxDropped: 0, txDropped: 0) }
        let start = createdAt ?? (now / 86_400).rounded(.down) * 86_400
        let seconds = max(0, now - start)
        let share = [1.0, 0.6, 0.3, 0.12, 0.05, 0.0][index % 6]
        let rxBytes = traffic.rxBytesPerSecond * share * seconds
        let txBytes = traffic.txBytesPerSecond * share * seconds
        let rxPackets = UInt64(rxBytes / max(traffic.bytesPerPacket, 1))
        return VFCounters(
            rxPackets: rxPackets, txPackets: UInt64(txBytes / max(traffic.bytesPerPacket, 1)),
            rxBytes: UInt64(rxBytes), txBytes: UInt64(txBytes), broadcast: rxPackets / 100, multicast: rxPackets / 50,
            rxDropped: rxPackets / 10_000, txDropped: 0)
    }

    // MARK: - Writes, with the kernel's rules

    /// `echo N > sriov_numvfs`.
    public mutating func setNumVFs(pf pci: String, to count: Int) throws {
        let (pf, s) = try lookup(pci)
        let name = pf.name ?? pf.pci
        guard count <= pf.totalVfs, count >= 0 else {
            throw HostError.vfCountOutOfRange(pf: name, requested: count, total: pf.totalVfs)
        }
        if count == s.numVfs { return }
        guard s.numVfs == 0 || count == 0 else {
            throw HostError.vfCountBusy(pf: name, current: s.numVfs, requested: count)
        }
        // The driver's own limits, as its source has them (igb: more than 7 is EPERM).
        let profile = profile(of: pf)
        if let limit = profile.vfLimit, let errno = limit.errno, count > limit.count {
            throw HostError.driverRefused(pf: name, driver: pf.driver, setting: "\(count) VFs", errno: errno, why: limit.why)
        }
        // bnxt_en answers success and makes none while the PF is down.
        let enabled = profile.vfsNeedLinkUp != nil && s.linkUp == false ? 0 : count
        record("\(pf.pci)/sriov_numvfs", count)
        state.pfs[pci]!.numVfs = enabled
        let created = clock()
        state.pfs[pci]!.vfs = (0..<enabled).map { _ in
            .init(settings: .freshlyCreated, driver: s.autoprobe ? pf.vfDriver : nil, createdAt: created)
        }
        // As sriovctl does on a real host: the count is read back.
        if enabled != count {
            throw HostError.fewerVFs(
                pf: name, requested: count, enabled: enabled,
                why: profile.vfsNeedLinkUp.map { "\(pf.driver) creates no VFs while the PF is down (\($0))" } ?? "")
        }
    }

    /// The profile of a described PF's driver: what its kernel source says it does.
    func profile(of pf: SimulatedHostDescription.PF) -> DriverProfile {
        DriverProfile.of(driver: pf.driver, vfDevice: pf.vfDevice)
    }

    /// `ip link set PF vf N ...`: only the non-nil fields of `change` are written.
    public mutating func setVF(pf pci: String, index: Int, _ change: VFSettings) throws {
        let (pf, s) = try lookup(pci)
        guard index < s.vfs.count else { throw HostError.noSuchDevice("\(pf.name ?? pf.pci) vf \(index)") }
        let unsupported = Set(pf.unsupported ?? [])
        // A driver refuses a setting by its name in the description (a VLAN with its QoS and protocol).
        let requested = VFField.allCases.map { ($0.group[0].rawValue, $0.isSet(in: change)) }
        if let refused = requested.first(where: { $0.1 && unsupported.contains($0.0) }) {
            throw HostError.notSupported(pf: pf.name ?? pf.pci, driver: pf.driver, setting: refused.0)
        }
        // Then what the driver's source does: refuse with its errno, or accept and do nothing.
        var change = change
        for rule in profile(of: pf).rules where rule.matches(change) {
            switch rule.effect {
            case let .refused(errno):
                throw HostError.driverRefused(
                    pf: pf.name ?? pf.pci, driver: pf.driver, setting: rule.field.configKey, errno: errno, why: rule.why)
            case .ignored:
                rule.field.copy(from: VFSettings(), into: &change)
            case .varies:
                break  // the simulated firmware has what it takes
            }
        }
        if let mac = change.mac, mac.isMulticast {
            throw HostError.system(operation: "set MAC of", target: "\(pf.name ?? pf.pci) vf \(index)", errno: 22)
        }
        var vf = s.vfs[index]
        vf.settings.merge(change)
        state.pfs[pci]!.vfs[index] = vf
        record("\(pf.pci) vf \(index)", "\(change)")
    }

    /// Binds a VF to `driver` (through driver_override and drivers_probe), or unbinds it with nil.
    public mutating func bindVF(pf pci: String, index: Int, driver: String?) throws {
        let (pf, s) = try lookup(pci)
        guard index < s.vfs.count else { throw HostError.noSuchDevice("\(pf.name ?? pf.pci) vf \(index)") }
        state.pfs[pci]!.vfs[index].driver = driver
        record("\(pf.pci) vf \(index) driver", driver ?? "(none)")
    }

    public mutating func setMTU(pf pci: String, to mtu: Int) throws {
        _ = try lookup(pci)
        state.pfs[pci]!.mtu = mtu
        record("\(pci) mtu", mtu)
    }

    public mutating func setLinkUp(pf pci: String, _ up: Bool) throws {
        _ = try lookup(pci)
        state.pfs[pci]!.linkUp = up
        record("\(pci) link", up ? "up" : "down")
    }

    public mutating func setAutoprobe(pf pci: String, _ on: Bool) throws {
        _ = try lookup(pci)
        state.pfs[pci]!.autoprobe = on
        record("\(pci)/sriov_drivers_autoprobe", on ? 1 : 0)
    }

    private func lookup(_ pci: String) throws -> (SimulatedHostDescription.PF, SimulatedHostState.PF) {
        guard let pf = description.pfs.first(where: { $0.pci == pci }), let s = state.pfs[pci] else {
            throw HostError.noSuchDevice(pci)
        }
        return (pf, s)
    }

    mutating func record(_ what: String, _ value: Any) {
        state.writes.append("\(what) <- \(value)")
        // The newest 1000 are kept: the state file stays bounded however often it is used.
        if state.writes.count > 1_000 { state.writes.removeFirst(state.writes.count - 1_000) }
    }
}
