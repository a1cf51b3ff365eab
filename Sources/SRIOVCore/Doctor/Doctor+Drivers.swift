extension Doctor {
    /// Per PF: its driver, where sriovctl's knowledge of it comes from, and the limits that
    /// matter when choosing settings (VF cap, filters of an untrusted VF, counters, MAC changes).
    static func drivers(_ f: HostFacts) -> [CheckResult] {
        guard let snapshot = f.snapshot else { return [] }
        return snapshot.pfs.map { pf in
            var profile = DriverProfile.of(pf)
            if let probe = f.capabilities?.entry(for: pf, firmware: nil) { profile = profile.applying(probe) }
            let title = "Driver of \(pf.displayName)"
            guard profile.known || profile.probed else {
                return CheckResult(
                    "driver-profile:\(pf.displayName)", title, .info,
                    "\(profile.driver): not known to sriovctl, so nothing is refused in advance: every setting is tried and verified after apply"
                )
            }
            return CheckResult("driver-profile:\(pf.displayName)", title, .info, describe(profile).joined(separator: "; "))
        }
    }

    /// The facts of a profile in a few words each, as `check` and the README table say them.
    public static func describe(_ profile: DriverProfile) -> [String] {
        var facts = ["\(profile.name), from \(profile.probed ? "sriovctl probe on this host and the kernel's source" : "the kernel's source")"]
        if let limit = profile.vfLimit { facts.append("at most \(limit.count) VFs") }
        let refused = profile.rules.filter { if case .refused = $0.effect { true } else { false } }
        if !refused.isEmpty {
            facts.append("refuses " + unique(refused.map { describe($0) }).joined(separator: ", "))
        }
        let ignored = profile.rules.filter { $0.effect == .ignored }
        if !ignored.isEmpty { facts.append("ignores " + unique(ignored.map { describe($0) }).joined(separator: ", ")) }
        let varies = profile.rules.filter { if case .varies = $0.effect { true } else { false } }
        if !varies.isEmpty {
            facts.append("depends on firmware or link: " + unique(varies.map { describe($0) }).joined(separator: ", "))
        }
        if let steps = profile.rateSteps { facts.append("rates in steps of \(steps.step) Mbit/s") }
        if let untrusted = profile.untrusted { facts.append(untrusted.note) }
        switch profile.macChange {
        case .needsReprobe: facts.append("a new MAC reaches a host-bound VF after a re-probe (sriovctl does it)")
        case .resetsVF: facts.append("setting a MAC resets the VF")
        case .unknown: break
        }
        if let counters = profile.perVFCounters { facts.append(counters.value ? "per-VF counters" : "no per-VF counters") }
        if profile.vfsNeedLinkUp != nil { facts.append("makes no VFs while the PF is down (sriovctl brings it up first)") }
        if !profile.privateFlags.isEmpty { facts.append("private flags " + profile.privateFlags.map(\.name).joined(separator: ", ")) }
        return facts
    }

    static func describe(_ rule: SettingRule) -> String {
        switch rule.values {
        case .anyButDefault, .any: rule.field.configKey
        case let .only(values): "\(rule.field.configKey) \(values.sorted().joined(separator: "/"))"
        case let .between(range):
            range.upperBound == Int.max
                ? "\(rule.field.configKey) over \(range.lowerBound - 1)" : "\(rule.field.configKey) \(range.lowerBound)-\(range.upperBound)"
        }
    }

    private static func unique(_ words: [String]) -> [String] {
        var seen: Set<String> = []
        return words.filter { seen.insert($0).inserted }
    }

    /// A VF whose written keys break what its role needs (an untrusted CARP VF on i40e, a
    /// trunk with a port VLAN): a warning, with the role's note as evidence.
    public static func roles(_ notes: [String]) -> [CheckResult] {
        notes.filter { $0.contains(" written: ") }.enumerated().map { i, note in
            CheckResult(
                "role-conflict:\(i)", "VF role", .warn, note,
                fix: "remove the key the role sets, or choose the role that matches what the guest does")
        }
    }
}
