import Logging
import SRIOVCore
import SRIOVHost

/// What `sriovctl probe PF` found and did.
public struct ProbeOutcome: Sendable {
    public var pf: String
    public var driver: String
    public var vfDevice: String?
    public var firmware: String?
    /// The VF tried on, and whether probe made it (and removed it after).
    public var vf: Int
    public var createdVF: Bool
    /// By probe, in the order tried: `ok`, `ignored`, or the errno name.
    public var answers: [(name: String, answer: String)]
    /// Settings of the VF that did not come back to what they were (empty: all restored).
    public var notRestored: [String]
    public var recordPath: String
}

/// Tries each VF setting on a VF nothing uses, restores every value it touched, and keeps the
/// answers per driver, VF device and firmware for `plan` to prefer over the kernel-source profile.
public enum ProbeUseCase {
    public static func run(pf selector: String, on selection: HostSelection, logger: Logger) throws -> ProbeOutcome {
        var host = try selection.open()
        if case .tree = host.kind {
            throw EngineError.invalidInput(
                "probe asks the kernel, and under --root no kernel answers (programs are recorded, not run); run it on the host itself")
        }
        let lock = try ApplyLock(path: host.lockPath) { holder in
            logger.notice("an sriovctl apply is running\(holder.map { " (pid \($0))" } ?? ""); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        host = try selection.open()
        let chosen = PFSelector(selector)
        guard let pf = try host.snapshot().pfs.first(where: { chosen.matches($0) }) else {
            let known = try host.snapshot().pfs.map(\.displayName)
            throw EngineError.invalidInput(
                "no SR-IOV capable PF \(selector.echoed()) on this host" + (known.isEmpty ? "" : " (it has: \(known.joined(separator: ", ")))"))
        }
        let firmware = firmwareVersion(of: pf, on: host)

        // A VF nothing uses, or one made for the probe when the PF has none (that disturbs nothing).
        var createdVF = false
        let free = pf.vfs.filter { host.holders(of: [$0], on: pf).isEmpty }
        var index: Int
        if let vf = free.last {
            index = vf.index
        } else if pf.numVFs == 0 && pf.totalVFs > 0 {
            logger.notice("\(pf.displayName) has no VFs: making one for the probe, and removing it after (nothing uses VFs that do not exist)")
            try step(&host, pf, .setNumVFs(from: 0, to: 1))
            createdVF = true
            index = 0
        } else {
            throw EngineError.invalidInput(
                "every VF of \(pf.displayName) is in use, so probe would disturb a guest or the host: stop one (sriovctl status shows who holds them) and run it again"
            )
        }

        var answers: [(String, String)] = []
        var notRestored: [String] = []
        let original = try settings(of: index, pf, on: host)
        for probe in ProbeCase.all {
            var answer = "ok"
            do {
                try step(&host, pf, .setVFs([VFSettingsChange(index: index, from: original, to: probe.settings)]))
                let now = try settings(of: index, pf, on: host)
                if probe.field.rawText(in: now) != probe.field.rawText(in: probe.settings) { answer = "ignored" }
            } catch {
                answer = errnoName(in: "\(error)") ?? "EIO"
            }
            answers.append((probe.name, answer))
            logger.info("\(pf.displayName) VF \(index) \(probe.name): \(answer)")
            // Put back every field the probe sent that is not as it was.
            let now = try settings(of: index, pf, on: host)
            var back = VFSettings()
            for field in VFField.allCases where field.isSet(in: probe.settings) && field.rawText(in: now) != field.rawText(in: original) {
                field.copy(from: original, into: &back)
            }
            if back != VFSettings() {
                // A port VLAN goes back whole (VLAN, QoS and protocol are one kernel call).
                if back.vlan != nil || back.qos != nil || back.vlanProtocol != nil {
                    back.vlan = original.vlan
                    back.qos = original.qos
                    back.vlanProtocol = original.vlanProtocol
                }
                try? step(&host, pf, .setVFs([VFSettingsChange(index: index, from: now, to: back)]))
            }
        }
        let after = try settings(of: index, pf, on: host)
        for field in VFField.allCases where field.rawText(in: after) != field.rawText(in: original) {
            notRestored.append("\(field.configKey): was \(field.rawText(in: original) ?? "unset"), is \(field.rawText(in: after) ?? "unset")")
        }
        if createdVF { try step(&host, pf, .setNumVFs(from: 1, to: 0)) }
        try host.save()

        let store = CapabilityStore(files: host.files)
        let entry = CapabilityRecord.Entry(
            driver: pf.driver ?? "unknown", vfDevice: pf.vfDeviceID, firmware: firmware, probedAt: wallClock(),
            answers: Dictionary(answers, uniquingKeysWith: { _, last in last }))
        let previous = (try? store.load()) ?? nil
        try store.save((previous ?? CapabilityRecord()).keeping(entry))
        return ProbeOutcome(
            pf: pf.displayName, driver: entry.driver, vfDevice: pf.vfDeviceID, firmware: firmware, vf: index, createdVF: createdVF,
            answers: answers, notRestored: notRestored, recordPath: CapabilityStore.path)
    }

    private static func step(_ host: inout any Host, _ pf: PhysicalFunction, _ action: Plan.Action) throws {
        try host.perform(Plan.Step(pf: pf.pci, pfName: pf.displayName, action: action, reason: "sriovctl probe"))
    }

    private static func settings(of index: Int, _ pf: PhysicalFunction, on host: any Host) throws -> VFSettings {
        guard let vf = try host.snapshot().pfs.first(where: { $0.pci == pf.pci })?.vfs.first(where: { $0.index == index }) else {
            throw EngineError.hostFailed("\(pf.displayName) VF \(index) went away during the probe")
        }
        return vf.settings
    }

    /// The errno name in an error's words (`(EOPNOTSUPP)`, `EINVAL:`).
    static func errnoName(in text: String) -> String? {
        let words = text.split(whereSeparator: { !($0.isUppercase || $0.isNumber) })
        return words.first { $0.count >= 3 && $0.count <= 20 && $0.first == "E" && $0.allSatisfy(\.isUppercase) }.map(String.init)
    }

    /// The PF's firmware version as `ethtool -i` prints it, bounded to printable ASCII; nil when
    /// ethtool is missing or says nothing.
    static func firmwareVersion(of pf: PhysicalFunction, on host: any Host) -> String? {
        guard let name = pf.name, let result = host.query(["ethtool", "-i", name]), result.status == 0 else { return nil }
        for line in result.output.split(separator: "\n") where line.hasPrefix("firmware-version:") {
            let value = line.dropFirst("firmware-version:".count).drop(while: { $0 == " " })
            let clean = String(value.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f }.prefix(64).map(Character.init))
            return clean.isEmpty || clean == "N/A" ? nil : clean
        }
        return nil
    }
}
