import SRIOVCore
import SRIOVHost

/// What the Debian package's `prerm remove` runs (`sriovctl debug package-removal`): removal must
/// not leave the host unable to bring its VFs back at boot, nor guests with a hookscript that
/// names a removed program (`RemovalDecision` says when it refuses).
public enum PackageRemoval {
    /// The facts, read from the selected host and its config (an unreadable config makes nothing).
    public static func facts(on selection: HostSelection, anyway: Bool) throws -> RemovalDecision.Facts {
        let host = try selection.open()
        let files = host.files
        let wants = "\(BootUnits.directory)/multi-user.target.wants/\(BootUnits.applyUnit)"
        let enabled =
            host.query(["systemctl", "is-enabled", BootUnits.applyUnit]).map { $0.output.trimmingSpaces() == "enabled" }
            ?? (files.linkTarget(wants) != nil || files.exists(wants))
        var made: [RemovalDecision.MadeVFs] = []
        var guests: Set<Int> = []
        var mappings: Set<String> = []
        // The config the enabled unit runs with (a drop-in or sriovctl's own unit may name another).
        let unitTexts = [BootUnits.dropInPath(BootUnits.applyUnit), "\(BootUnits.directory)/\(BootUnits.applyUnit)"].compactMap { files.readText($0) }
        let configPath = unitTexts.lazy.compactMap(BootUnits.configPath(inUnit:)).first.map(selection.onThisMachine) ?? selection.configPath
        if let config = try? ConfigFile.load(configPath) {
            for pf in config.pfs {
                made.append(.init(pf: pf.selector.description, count: pf.numVFs))
                for index in 0..<max(0, pf.numVFs) {
                    let vf = pf.written(index)
                    if let vm = vf.vm { guests.insert(vm) }
                    if let mapping = vf.mapping { mappings.insert(mapping) }
                }
            }
        }
        let retired = TakeOver.load(files).entries.count
        return .init(
            bootUnitEnabled: enabled, retiredManagers: retired, madeVFs: made, guests: guests.sorted(), mappings: mappings.sorted(),
            anyway: anyway)
    }

    /// Refuses (`EngineError.hostFailed` with the reason, nothing changed), or puts back what
    /// `--take-over` retired, detaches sriovctl's hookscript from every guest, and stops, disables
    /// and removes the units (`boot disable`, `serve disable`). Only a failed restore fails the
    /// report (the package stays installed, so the admin can look and try again): a guest left with
    /// the hookscript still starts (the script lets it when sriovctl is gone), and the units' files
    /// go with the package.
    public static func run(on selection: HostSelection, anyway: Bool) throws -> ChangeReport {
        let decision = RemovalDecision.decide(try facts(on: selection, anyway: anyway))
        var report = ChangeReport()
        guard case let .proceed(restoreTakeOver) = decision else {
            if case let .refuse(reason) = decision { throw EngineError.hostFailed(reason) }
            return report
        }
        if restoreTakeOver {
            let restored = try UnitInstaller.restoreOtherManagers(on: selection)
            report.lines += restored.lines
            guard !restored.failed else {
                report.failed = true
                report.lines.append("the package was not removed: what `boot enable --take-over` retired could not all be put back (above)")
                return report
            }
        }
        if try selection.open().proxmox.isProxmox {
            let warning = "warning: not every guest's hookscript was detached; the script lets guests start without sriovctl"
            do {
                let detached = try HookscriptUseCase.remove(vm: nil, on: selection)
                report.lines += detached.lines
                if detached.failed { report.lines.append(warning) }
            } catch {
                report.lines.append("\(warning) (\(EngineError.classify(error)?.message ?? "\(error)"))")
            }
        }
        let units = try UnitInstaller.disable([BootUnits.metricsUnit, BootUnits.watchUnit, BootUnits.applyUnit], on: selection)
        report.lines += units.lines
        if units.failed { report.lines.append("warning: the units were not all disabled (above); their files go with the package") }
        return report
    }
}
