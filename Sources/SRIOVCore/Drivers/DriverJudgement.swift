/// What a PF's driver profile says about the VFs a config wants, before anything changes:
/// settings the driver refuses or ignores are problems (exit 2, nothing written); settings that
/// depend on firmware or that the hardware rounds are notes the plan shows.
public struct DriverJudgement: Sendable {
    public var problems: [ConfigDiagnostic] = []
    public var notes: [String] = []

    public init() {}

    /// One VF's wanted settings and where the config wrote each key.
    public struct WantedVF: Sendable {
        public var index: Int
        public var settings: VFSettings
        public var locations: [String: ConfigLocation]

        public init(index: Int, settings: VFSettings, locations: [String: ConfigLocation]) {
            self.index = index
            self.settings = settings
            self.locations = locations
        }
    }

    /// Judges a PF's VF count, link handling and every VF's settings against `profile`.
    /// Refusals at one place in the file are said once, naming every VF they touch.
    public static func judge(
        _ profile: DriverProfile, pf: PhysicalFunction, numVFs: Int, keepLink: Bool, location: ConfigLocation, vfs: [WantedVF]
    ) -> DriverJudgement {
        var result = DriverJudgement()
        let name = "\(pf.displayName) (\(profile.name))"
        if let limit = profile.vfLimit, let errno = limit.errno, numVFs > limit.count {
            result.problems.append(
                ConfigDiagnostic(
                    location.with(keyPath: "num-vfs"),
                    "num-vfs is \(numVFs) but \(limit.why) (\(errno); \(limit.source)); use num-vfs = \(limit.count) or fewer"))
        }
        if let source = profile.vfsNeedLinkUp, numVFs > pf.numVFs, keepLink, pf.adminUp == false {
            result.problems.append(
                ConfigDiagnostic(
                    location.with(keyPath: "link"),
                    "\(name) is down and link = \"keep\" leaves it so, but \(profile.driver) creates no VFs while the PF is down and says nothing (\(source)); remove the link line so sriovctl brings it up first, or bring it up yourself"
                ))
        }
        var refusals: [String: (rule: SettingRule, location: ConfigLocation, vfs: [Int])] = [:]
        var order: [String] = []
        var varies: [String: (rule: SettingRule, vfs: [Int])] = [:]
        var variesOrder: [String] = []
        for vf in vfs {
            // A rule about every value speaks only of what the file writes: the rest is left as a
            // new VF has it and never sent.
            for rule in profile.rules where rule.matches(vf.settings) && (rule.values != .any || vf.locations[rule.field.configKey] != nil) {
                let key = rule.field.configKey
                switch rule.effect {
                case .refused, .ignored:
                    let at = vf.locations[key] ?? location
                    let id = "\(key)|\(at)|\(rule.source)"
                    if refusals[id] == nil {
                        refusals[id] = (rule, at, [])
                        order.append(id)
                    }
                    refusals[id]!.vfs.append(vf.index)
                case .varies:
                    let id = "\(key)|\(rule.source)"
                    if varies[id] == nil {
                        varies[id] = (rule, [])
                        variesOrder.append(id)
                    }
                    varies[id]!.vfs.append(vf.index)
                }
            }
            if let steps = profile.rateSteps, let rate = vf.settings.maxTxRate, steps.enforced(rate) != rate {
                result.notes.append(
                    "\(pf.displayName) VF \(vf.index): max-tx-rate \(rate) is enforced as \(steps.enforced(rate)) Mbit/s by \(profile.driver) (steps of \(steps.step) Mbit/s; below \(steps.step) it uses \(steps.step); \(steps.source))"
                )
            }
        }
        for id in order {
            let (rule, at, indexes) = refusals[id]!
            let written = rule.field.written(in: vfs.first { $0.index == indexes[0] }!.settings) ?? rule.field.configKey
            let what =
                switch rule.effect {
                case let .refused(errno): "refuses it (\(errno))"
                default: "accepts it and does nothing"
                }
            result.problems.append(
                ConfigDiagnostic(
                    at,
                    "\(written) for \(vfList(indexes)) of \(name): \(rule.why), so the driver \(what) (\(rule.source)); \(rule.instead)"
                ))
        }
        for id in variesOrder {
            let (rule, indexes) = varies[id]!
            guard case let .varies(errno) = rule.effect else { continue }
            result.notes.append(
                "\(pf.displayName) \(vfList(indexes)) \(rule.field.configKey): \(rule.why); otherwise the driver answers \(errno) and apply says so (\(rule.source)). \(rule.instead)"
            )
        }
        return result
    }

    static func vfList(_ indexes: [Int]) -> String {
        guard indexes.count > 1 else { return "VF \(indexes.first ?? 0)" }
        var parts: [String] = []
        var start = indexes[0]
        var last = start
        for index in indexes.dropFirst() + [Int.min] {
            if index == last + 1 {
                last = index
                continue
            }
            parts.append(start == last ? "\(start)" : "\(start)-\(last)")
            start = index
            last = index
        }
        return "VFs \(parts.joined(separator: ", "))"
    }
}
