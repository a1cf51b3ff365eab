/// What `sriovctl probe` found a PF's driver to do with each VF setting on this host, kept per
/// driver, VF device and firmware version in `/var/lib/sriovctl/capabilities.json`. `plan`
/// prefers these answers over the profile read from the kernel's source, and says so.
public struct CapabilityRecord: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var driver: String
        /// `vendor:device` of the VFs (tells the 82576 from the I350).
        public var vfDevice: String?
        public var firmware: String?
        /// Seconds since 1970.
        public var probedAt: Double
        /// By probe name (`link-state`, `vlan-protocol-802.1ad`): `ok`, `ignored`, or the errno
        /// name the driver answered (`EOPNOTSUPP`).
        public var answers: [String: String]

        public init(driver: String, vfDevice: String?, firmware: String?, probedAt: Double, answers: [String: String]) {
            self.driver = driver
            self.vfDevice = vfDevice
            self.firmware = firmware
            self.probedAt = probedAt
            self.answers = answers
        }

        /// Whether sriovctl could have written it: bounded texts of safe characters, a known
        /// probe for every answer, a time since 1970.
        public var isSound: Bool {
            let safe = { (s: String) in
                s.count <= 64 && s.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }
            }
            return safe(driver) && !driver.isEmpty && (vfDevice.map(safe) ?? true) && (firmware.map(safe) ?? true)
                && probedAt.isFinite && (0...4_102_444_800).contains(probedAt) && answers.count <= ProbeCase.all.count
                && answers.allSatisfy { key, value in
                    ProbeCase.all.contains { $0.name == key } && (value == "ok" || value == "ignored" || Self.isErrnoName(value))
                }
        }

        static func isErrnoName(_ s: String) -> Bool {
            s.count <= 20 && s.first == "E" && s.unicodeScalars.allSatisfy { ($0.value >= 0x41 && $0.value <= 0x5a) }
        }

        /// Whether this entry is for a PF with this driver, VF device and firmware.
        public func describes(driver: String?, vfDevice: String?, firmware: String?) -> Bool {
            self.driver == driver && self.vfDevice == vfDevice && self.firmware == firmware
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public var isSound: Bool { entries.count <= 256 && entries.allSatisfy(\.isSound) }

    /// The record with `entry` in place of any earlier one for the same driver, device and firmware.
    public func keeping(_ entry: Entry) -> CapabilityRecord {
        CapabilityRecord(
            entries: entries.filter { !$0.describes(driver: entry.driver, vfDevice: entry.vfDevice, firmware: entry.firmware) } + [entry])
    }

    /// The newest entry for a PF's driver and VF device (a firmware match preferred).
    public func entry(for pf: PhysicalFunction, firmware: String?) -> Entry? {
        let mine = entries.filter { $0.driver == pf.driver && $0.vfDevice == pf.vfDeviceID }
        return mine.last { $0.firmware == firmware } ?? mine.last
    }
}

/// One thing `probe` tries on a VF, and the setting it sends.
public struct ProbeCase: Sendable {
    public var name: String
    public var field: VFField
    public var settings: VFSettings

    /// Each setting a config can write, with a value that is not a new VF's (`VFField.probes`),
    /// in the order sent.
    public static let all: [ProbeCase] = VFField.allCases.flatMap { field in
        field.probes.map { ProbeCase(name: $0.name, field: field, settings: $0.settings) }
    }

    /// Whether the probe's answer speaks for `settings` (the same field, and for link state the
    /// same value).
    public func speaks(for settings: VFSettings) -> Bool {
        guard let wanted = field.rawText(in: settings), wanted != field.rawText(in: .freshlyCreated) else { return false }
        return field != .linkState || wanted == field.rawText(in: self.settings)
    }
}

extension DriverProfile {
    /// The profile with a probe's answers in place of its rules for the settings probed: what
    /// the driver answered on this host wins over what its source says.
    public func applying(_ probe: CapabilityRecord.Entry) -> DriverProfile {
        var result = self
        let source = KernelSource(
            "/var/lib/sriovctl/capabilities.json", "sriovctl probe (firmware \(probe.firmware ?? "unknown"))")
        for probeCase in ProbeCase.all {
            guard let answer = probe.answers[probeCase.name] else { continue }
            // Rules about this probe's field and value give way to the answer.
            result.rules.removeAll { rule in rule.field == probeCase.field && rule.matches(probeCase.settings) }
            let values: SettingRule.Values =
                probeCase.field == .linkState ? .only([probeCase.field.rawText(in: probeCase.settings)!]) : .anyButDefault
            let why = "sriovctl probe found \(driver) answering \(answer) on this host"
            switch answer {
            case "ok": continue
            case "ignored":
                result.rules.append(
                    SettingRule(probeCase.field, values, .ignored, why: why, instead: "leave \(probeCase.field.configKey) out", source: source))
            default:
                result.rules.append(
                    SettingRule(
                        probeCase.field, values, .refused(errno: answer), why: why, instead: "leave \(probeCase.field.configKey) out",
                        source: source))
            }
        }
        result.probed = true
        return result
    }
}
