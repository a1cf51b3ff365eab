/// What a VF's role became on its PF's driver: the keys it filled, and what the driver or the
/// file's own keys mean for the job (said in the plan; a role that cannot work is an error).
enum RoleJudgement {
    struct Use {
        var role: VFRole
        var index: Int
        var filled: [VFField]
        var settings: VFSettings
        var written: Set<VFField>
        var location: ConfigLocation
    }

    static func judge(_ uses: [Use], profile: DriverProfile, pf: PhysicalFunction) -> (problems: [ConfigDiagnostic], notes: [String]) {
        var problems: [ConfigDiagnostic] = []
        var grouped: [String: [Int]] = [:]
        var order: [String] = []
        func note(_ text: String, _ index: Int) {
            if grouped[text] == nil { order.append(text) }
            grouped[text, default: []].append(index)
        }
        for use in uses {
            let filled = use.filled.map { "\($0.configKey) \($0.rawText(in: use.settings) ?? "")" }
            note(
                "role \(use.role.rawValue): " + (filled.isEmpty ? "every key it sets is written in the file" : filled.joined(separator: ", ")),
                use.index)
            if use.role == .access, (use.settings.vlan ?? 0) == 0 {
                problems.append(
                    ConfigDiagnostic(
                        use.location,
                        "role = \"access\" for \(pf.displayName) VF \(use.index) needs a port VLAN: write vlan = N (1-4094), or choose another role"))
            }
            // Keys written against the role: the file wins, and the plan says what it costs.
            for field in use.written.sorted(by: { $0.rawValue < $1.rawValue }) {
                guard let why = use.role.needs(field), field.rawText(in: use.settings) != field.rawText(in: use.role.settings) else { continue }
                var text = "role \(use.role.rawValue) with \(field.written(in: use.settings) ?? field.configKey) written: \(why)"
                if field == .trust, let untrusted = profile.untrusted { text += "; on \(profile.name): \(untrusted.note)" }
                note(text, use.index)
            }
            if use.role == .trunk, use.settings.trust == true,
                let flag = profile.privateFlags.first(where: { $0.name == "vf-true-promisc-support" })
            {
                note(
                    "role trunk on \(profile.driver): a trusted VF's promiscuous mode sees only its own filters unless the PF's private flag \(flag.name) is on (\(flag.source)); sriovctl does not set it: `ethtool --set-priv-flags \(pf.displayName) \(flag.name) on`",
                    use.index)
            }
        }
        let notes = order.map { "\(pf.displayName) \(DriverJudgement.vfList(grouped[$0]!)) \($0)" }
        return (problems, notes)
    }
}
