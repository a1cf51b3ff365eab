/// Plan steps in words, for the plan listing and the apply log.
public enum PlanText {
    /// `+` adds, `-` removes, `~` changes: the marker for a step's action.
    public static func marker(_ action: Plan.Action) -> String {
        switch action {
        case let .setNumVFs(from, to): to > from ? "+" : "-"
        case let .bindDriver(_, _, to): to == .none ? "-" : "~"
        case let .assignToVM(_, _, _, _, oldSlot, _, edit): edit != nil && oldSlot == nil ? "~" : "+"
        case let .syncMapping(_, _, _, _, exists): exists ? "~" : "+"
        case let .syncForwardingTable(sync): sync.remove.isEmpty ? "+" : sync.add.isEmpty ? "-" : "~"
        default: "~"
        }
    }

    public static func describe(_ action: Plan.Action) -> String {
        switch action {
        case .setLinkUp:
            return "set link up"
        case let .setMTU(from, to):
            return "mtu \(from.map(String.init) ?? "?") -> \(to)"
        case let .setAutoprobe(from, to):
            return "sriov_drivers_autoprobe \(from.map { $0 ? "1" : "0" } ?? "?") -> \(to ? "1" : "0")"
        case let .setNumVFs(from, to):
            return "VFs \(from) -> \(to)"
        case let .setVFs(changes):
            return changes.map(describe).joined(separator: "; ")
        case let .bindDriver(index, from, to):
            let target = to == .host ? "the host driver" : to == .none ? "no driver" : to.rawValue
            let before = from == Planner.hostDriverUnknown ? "the host driver" : from ?? "none"
            return "VF \(index) driver \(before) -> \(target)"
        case let .reprobe(index, driver):
            return "VF \(index) re-probe \(driver == Planner.hostDriverUnknown ? "its host driver" : driver)"
        case let .assignToVM(index, vm, slot, pcie, oldSlot, mapping, edit):
            let what = mapping.map { "mapping \($0)" } ?? "VF \(index)"
            if let edit, oldSlot == nil {
                return "VM \(vm) hostpci\(slot) pcie \(edit.pcieBefore ? 1 : 0) -> \(pcie ? 1 : 0) (\(what))"
            }
            return "\(what) -> VM \(vm) hostpci\(slot)\(pcie ? " (pcie)" : "")\(oldSlot.map { ", moved from hostpci\($0)" } ?? "")"
        case let .syncMapping(id, node, members, _, exists):
            return "\(exists ? "refresh" : "create") mapping \(id) on \(node): VFs \(members.map { String($0.index) }.joined(separator: ", "))"
        case let .syncForwardingTable(sync):
            // The first few by name, the rest counted: a log line stays a line (JSON lists all).
            let shown = 8
            let added = sync.add.prefix(shown).map { "+\($0.mac) (\($0.location))" }
            let removed = sync.remove.prefix(max(0, shown - added.count)).map { "-\($0)" }
            let more = sync.add.count + sync.remove.count - added.count - removed.count
            var text = "forwarding table (self): " + (added + removed).joined(separator: ", ")
            if more > 0 { text += " and \(more) more" }
            if sync.overflow > 0 {
                text += "; \(sync.overflow) more MACs are not added: sriovctl keeps at most \(ForwardingSync.maximumEntries) per PF"
            }
            return text
        }
    }

    /// Only the fields whose value changes are named (a VLAN is sent with its QoS and protocol).
    public static func describe(_ change: VFSettingsChange) -> String {
        let changed = change.fields.filter { $0.text(in: change.from) != $0.text(in: change.to) }
        return "VF \(change.index) "
            + (changed.isEmpty ? change.fields : changed).map { field in
                "\(field.configKey) \(field.text(in: change.from) ?? "?") -> \(field.text(in: change.to) ?? "?")"
            }.joined(separator: ", ")
    }
}
