import SRIOVCore
import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `sync-bridge-fdb`: the plan steps that keep PFs' own forwarding tables in step with the
/// bridges over them, and the record of what sriovctl added (only that is ever removed).
public enum ForwardingPlanning {
    /// The guest whose hookscript is running, and where it is.
    public struct GuestEvent: Sendable {
        public var vmid: Int
        public var phase: GuestPhase

        public init(vmid: Int, phase: GuestPhase) {
            self.vmid = vmid
            self.phase = phase
        }
    }

    /// One step per PF whose table needs a change, and the links `watch` follows (`watchedLinks`)
    /// as seen before the steps: the network is read once for both. It is read only when a PF has
    /// the key or the record holds entries: other hosts pay nothing.
    public static func steps(desired: DesiredHost, snapshot: HostSnapshot, host: some Host, event: GuestEvent? = nil) throws
        -> (steps: [Plan.Step], watched: Set<Int32>)
    {
        let record = try readRecord(host.files)
        let enabled = Set(desired.pfs.filter(\.syncBridgeFDB).compactMap(\.current.name))
        let names = enabled.union(record.pfs.keys)
        guard !names.isEmpty else { return ([], []) }
        let network = try host.bridgeNetwork()
        let devices = guestDevices(host.proxmox, event: event)
        var steps: [Plan.Step] = []
        for name in names.sorted() {
            // A PF that is gone took its table with it: nothing to remove.
            guard let pf = snapshot.pfs.first(where: { $0.name == name }) else { continue }
            // The VFs' MACs now and as configured: the NIC knows them; in the PF's table they would
            // steer a VF's traffic to the PF.
            let configured = desired.pfs.first { $0.current.name == name }?.vfs.compactMap(\.settings.mac) ?? []
            let vfMACs = Set(pf.vfs.compactMap(\.settings.mac) + configured)
            let sync = ForwardingSync.plan(
                pf: name, pfMAC: pf.mac, vfMACs: vfMACs, enabled: enabled.contains(name),
                network: network, guests: devices, recorded: record.macs(of: name))
            guard !sync.isEmpty else { continue }
            let reason =
                enabled.contains(name)
                ? "sync-bridge-fdb: the NIC hands frames for MACs behind \(sync.bridges.joined(separator: ", ")) to the PF, so VF guests reach them"
                : "sync-bridge-fdb is off for \(name): the entries sriovctl added are removed"
            steps.append(Plan.Step(pf: pf.pci, pfName: name, action: .syncForwardingTable(sync), reason: reason))
        }
        return (steps, links(of: names, in: network))
    }

    /// Network devices of guests that run (or are starting), less the one that stopped.
    static func guestDevices(_ proxmox: any ProxmoxSource, event: GuestEvent?) -> [ForwardingSync.GuestDevice] {
        guard proxmox.isProxmox else { return [] }
        return proxmox.guests().flatMap { guest -> [ForwardingSync.GuestDevice] in
            let starting = event.map { $0.vmid == guest.vmid && $0.phase == .preStart } ?? false
            let stopped = event.map { $0.vmid == guest.vmid && $0.phase == .postStop } ?? false
            guard (guest.running || starting) && !stopped else { return [] }
            return guest.nics.map { .init(vmid: guest.vmid, nic: $0) }
        }
    }

    /// The links whose forwarding-table events matter to `watch`: the PFs that sync (or hold
    /// entries sriovctl added) and the bridges over them. Empty when nothing syncs: then a
    /// bridge learning a MAC costs the watcher nothing. Each check returns them (see
    /// `ApplyOutcome.watchedLinks`); this reads the host for them when there was no check.
    public static func watchedLinks(on selection: HostSelection) -> Set<Int32> {
        guard let config = try? ConfigFile.load(selection.configPath), let host = try? selection.open(),
            let record = try? readRecord(host.files)
        else { return [] }
        var names = Set(record.pfs.keys)
        if config.pfs.contains(where: \.syncBridgeFDB), let snapshot = try? host.snapshot(),
            let desired = try? PlanningContext.resolve(config, on: snapshot, proxmox: host.proxmox, allowMissing: true)
        {
            names.formUnion(desired.pfs.filter(\.syncBridgeFDB).compactMap(\.current.name))
        }
        guard !names.isEmpty, let network = try? host.bridgeNetwork() else { return [] }
        return links(of: names, in: network)
    }

    /// The PFs named and the bridges over them, by interface index.
    static func links(of names: Set<String>, in network: BridgeNetwork) -> Set<Int32> {
        var watched: Set<Int32> = []
        for name in names {
            guard let link = network.link(named: name) else { continue }
            watched.insert(Int32(link.index))
            for bridge in network.bridges(over: name).bridges { watched.insert(Int32(bridge)) }
        }
        return watched
    }

    /// How many entries sriovctl added are in each PF's table now (for `status` and `/metrics`).
    /// Reads the network only when the record holds entries.
    public static func syncedCounts(host: some Host) throws -> [String: Int] {
        let record = try readRecord(host.files)
        guard !record.pfs.isEmpty else { return [:] }
        let network = try host.bridgeNetwork()
        var counts: [String: Int] = [:]
        for name in record.pfs.keys {
            guard let link = network.link(named: name) else { continue }
            counts[name] = record.macs(of: name).intersection(network.ownEntries(of: link.index)).count
        }
        return counts
    }

    // MARK: - The record

    public static func readRecord(_ files: RootedFileSystem) throws -> ForwardingRecord {
        guard files.exists(ForwardingRecord.path) else { return ForwardingRecord() }
        guard let bytes = files.readBytes(ForwardingRecord.path, limit: ForwardingRecord.maximumBytes),
            let record = try? JSONDecoder().decode(ForwardingRecord.self, from: Data(bytes))
        else {
            throw EngineError.hostFailed(
                "\(files.resolve(ForwardingRecord.path)) is not sriovctl's record of forwarding entries (unreadable, over 8 MiB or not JSON); "
                    + "move it away and run apply again (entries sriovctl added before are then left in place)")
        }
        // Names are interface names and every MAC a unicast MAC: a record that says otherwise was
        // not written by sriovctl, and acting on it could remove entries sriovctl never added.
        let sound = record.pfs.allSatisfy { name, macs in
            (1...15).contains(name.utf8.count) && !name.contains("/") && name.allSatisfy { $0.isASCII && !$0.isWhitespace }
                && macs.allSatisfy { MACAddress($0).map { !$0.isMulticast && !$0.isZero } ?? false }
        }
        guard sound else {
            throw EngineError.hostFailed(
                "\(files.resolve(ForwardingRecord.path)) is not sriovctl's record of forwarding entries (a name that is no interface, or a value that is no unicast MAC); "
                    + "move it away and run apply again (entries sriovctl added before are then left in place)")
        }
        return record
    }

    /// After the steps ran: what sriovctl added and is there now is kept (so it can be removed
    /// later); what it planned that did not take is returned, to be reported.
    public static func settle(steps: [Plan.Step], host: some Host) throws -> [Mismatch] {
        let syncs = steps.compactMap { step -> ForwardingSync? in
            if case let .syncForwardingTable(sync) = step.action { return sync }
            return nil
        }
        guard !syncs.isEmpty else { return [] }
        var record = try readRecord(host.files)
        let network = try host.bridgeNetwork()
        var mismatches: [Mismatch] = []
        for sync in syncs {
            guard let link = network.link(named: sync.pf) else { continue }
            let now = network.ownEntries(of: link.index)
            let added = sync.add.map(\.mac)
            record.set(ForwardingSync.recordAfter(recorded: record.macs(of: sync.pf), added: added, nowInTable: now), for: sync.pf)
            // One line per PF, however many MACs: a full filter refuses many at once.
            let absent = added.filter { !now.contains($0) }
            let stayed = sync.remove.filter { now.contains($0) }
            for (macs, wanted, found) in [(absent, "in the PF's own table", "absent"), (stayed, "removed", "still there")] where !macs.isEmpty {
                let list = macs.prefix(5).map(\.description).joined(separator: ", ") + (macs.count > 5 ? ", ..." : "")
                mismatches.append(
                    Mismatch(
                        pf: sync.pf, vf: nil, field: "bridge fdb", wanted: "\(macs.count) MAC\(macs.count == 1 ? "" : "s") \(wanted)",
                        found: "\(found): \(list)", unverifiable: false))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
        do {
            try host.files.replace(ForwardingRecord.path, with: text, mode: 0o600)
        } catch {
            throw EngineError.hostFailed("cannot keep the record of forwarding entries at \(host.files.resolve(ForwardingRecord.path)): \(error)")
        }
        return mismatches
    }
}
