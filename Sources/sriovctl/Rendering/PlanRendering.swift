import SRIOVCore
import SRIOVEngine

/// `plan` for people and for scripts.
enum PlanRendering {
    /// The plan with what each step disturbs and the guests it affects.
    static func text(_ c: PlanningContext) -> String {
        text(
            c.plan, config: c.config.path, inUse: c.inUse, notes: c.desired.driverNotes, roles: c.desired.roleNotes,
            disruptions: c.disruptions, guests: c.affectedGuests)
    }

    static func json(_ c: PlanningContext) -> JSONValue {
        json(
            c.plan, config: c.config.path, inUse: c.inUse, notes: c.desired.driverNotes, roles: c.desired.roleNotes,
            disruptions: c.disruptions, guests: c.affectedGuests)
    }

    static func text(
        _ plan: Plan, config: String, inUse: [VFHolder], notes: [String] = [], roles: [String] = [], disruptions: [Disruption] = [],
        guests: [String] = []
    ) -> String {
        let driverNotes =
            (roles.isEmpty ? [] : ["", "Roles:"] + roles.map { "  * \($0)" })
            + (notes.isEmpty ? [] : ["", "What the drivers do with this config:"] + notes.map { "  * \($0)" })
        guard !plan.isEmpty else { return (["No changes: the host matches \(config)."] + driverNotes).joined(separator: "\n") }
        var lines = ["Plan for \(config): \(count(plan))"]
        var currentPF: PCIAddress?
        for (i, step) in plan.steps.enumerated() {
            let disruption = i < disruptions.count ? disruptions[i] : .none
            defer { if disruption != .none { lines.append("      disturbs: \(disruption.words)") } }
            if step.pf != currentPF {
                lines.append("\(step.pfName) (\(step.pf))")
                currentPF = step.pf
            }
            if case let .setVFs(changes) = step.action {
                for change in changes {
                    lines.append("  ~ " + PlanText.describe(change))
                }
                lines.append("      (sent together in one netlink message)")
            } else {
                lines.append("  \(PlanText.marker(step.action)) \(PlanText.describe(step.action))")
                lines.append("      because \(step.reason)")
            }
        }
        if !inUse.isEmpty {
            lines.append("")
            lines.append("In use (apply refuses these changes unless --force):")
            lines += inUse.map { "  ! \($0)" }
        }
        if !guests.isEmpty {
            lines.append("")
            lines.append("Guests affected:")
            lines += guests.map { "  \($0)" }
        }
        lines += driverNotes
        return lines.joined(separator: "\n")
    }

    static func count(_ plan: Plan) -> String {
        let n = changeCount(plan)
        return n == 1 ? "1 change" : "\(n) changes"
    }

    /// Each VF whose settings change counts once; every other step counts once.
    /// As `apply` counts them: one per VF setting group, per forwarding entry, per other step.
    static func changeCount(_ plan: Plan) -> Int { PlanningContext.changeCount(plan) }

    static func json(
        _ plan: Plan, config: String, inUse: [VFHolder], notes: [String] = [], roles: [String] = [], disruptions: [Disruption] = [],
        guests: [String] = []
    ) -> JSONValue {
        var steps: [JSONValue] = []
        for (i, step) in plan.steps.enumerated() {
            var base: [(String, JSONValue)] = [("pf", .string(step.pfName)), ("pci", .string(step.pf.description))]
            switch step.action {
            case .setLinkUp:
                base += [("action", .string("set-link-up"))]
            case let .setMTU(from, to):
                base += [("action", .string("set-mtu")), ("from", .optional(from, JSONValue.int)), ("to", .int(to))]
            case let .setAutoprobe(from, to):
                base += [("action", .string("set-autoprobe")), ("from", .optional(from, JSONValue.bool)), ("to", .bool(to))]
            case let .setNumVFs(from, to):
                base += [("action", .string("set-num-vfs")), ("from", .int(from)), ("to", .int(to))]
            case let .setVFs(changes):
                for change in changes {
                    let settings: [(String, JSONValue)] = change.fields.map { field in
                        (
                            field.configKey,
                            .object([
                                ("from", .optional(field.text(in: change.from), JSONValue.string)),
                                ("to", .optional(field.text(in: change.to), JSONValue.string)),
                            ])
                        )
                    }
                    steps.append(
                        .object(
                            base + [
                                ("action", .string("set-vf")), ("vf", .int(change.index)),
                                ("settings", .object(settings)), ("reason", .string(step.reason)),
                                ("disruption", .string((i < disruptions.count ? disruptions[i] : .none).rawValue)),
                            ]))
                }
                continue
            case let .bindDriver(index, from, to):
                base += [
                    ("action", .string("bind-driver")), ("vf", .int(index)), ("from", .optional(from, JSONValue.string)),
                    ("to", .string(to.rawValue)),
                ]
            case let .reprobe(index, driver):
                base += [("action", .string("reprobe")), ("vf", .int(index)), ("driver", .string(driver))]
            case let .assignToVM(index, vm, slot, pcie, oldSlot, mapping, edit):
                base += [
                    ("action", .string(edit != nil && oldSlot == nil ? "edit-vm-device" : "assign-to-vm")), ("vf", .int(index)),
                    ("vm", .int(vm)), ("slot", .int(slot)), ("pcie", .bool(pcie)), ("oldSlot", .optional(oldSlot, JSONValue.int)),
                    ("mapping", .optional(mapping, JSONValue.string)),
                    ("pcieBefore", .optional(edit?.pcieBefore, JSONValue.bool)),
                    ("keptOptions", .array((edit?.kept ?? []).map(JSONValue.string))),
                    ("atNextStart", .bool(edit?.guestRunning ?? false)),
                ]
            case let .syncMapping(id, node, members, _, exists):
                base += [
                    ("action", .string(exists ? "refresh-mapping" : "create-mapping")), ("mapping", .string(id)),
                    ("node", .string(node)), ("vfs", .array(members.map { .int($0.index) })),
                ]
            case let .syncForwardingTable(sync):
                base += [
                    ("action", .string("sync-bridge-fdb")), ("bridges", .array(sync.bridges.map { .string($0) })),
                    (
                        "add",
                        .array(sync.add.map { .object([("mac", .string($0.mac.description)), ("location", .string($0.location))]) })
                    ),
                    ("remove", .array(sync.remove.map { .string($0.description) })),
                ]
            }
            steps.append(
                .object(
                    base + [
                        ("reason", .string(step.reason)),
                        ("disruption", .string((i < disruptions.count ? disruptions[i] : .none).rawValue)),
                    ]))
        }
        return .object([
            ("config", .string(config)),
            ("changes", .int(changeCount(plan))),
            ("steps", .array(steps)),
            ("driverNotes", .array(notes.map(JSONValue.string))),
            ("roles", .array(roles.map(JSONValue.string))),
            ("affectedGuests", .array(guests.map(JSONValue.string))),
            (
                "inUse",
                .array(
                    inUse.map { holder in
                        .object([
                            ("pf", .string(holder.pf)), ("vf", .int(holder.index)), ("pci", .string(holder.pci.description)),
                            ("holder", .string(holder.holder)),
                        ])
                    })
            ),
        ])
    }
}
