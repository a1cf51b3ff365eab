import SRIOVCore

/// The programs a simulated host knows, answering as the real ones do: Proxmox's `qm set` and
/// `pvesh` change its guests and mappings, `systemctl` its enabled units, `modprobe` its modules;
/// the bootloader and initramfs tools do nothing but succeed. Every program is recorded in
/// `writes`; one it does not know fails (127), as on a host without it.
extension SimulatedHost {
    mutating func runProgram(_ argv: [String], readOnly: Bool = false) -> CommandResult {
        guard let program = argv.first else { return CommandResult(status: 127, errorOutput: "no program") }
        let args = Array(argv.dropFirst())
        if !readOnly { record("run", argv.map(HostChange.quoted).joined(separator: " ")) }
        if let message = description.machine?.failingPrograms?[program] { return CommandResult(status: 1, errorOutput: message) }
        switch program {
        case "qm": return qm(args)
        case "pvesh": return pvesh(args)
        case "systemctl": return systemctl(args)
        case "modprobe":
            var loaded = state.loadedModules ?? []
            for name in args where !name.hasPrefix("-") && !loaded.contains(name) { loaded.append(name) }
            state.loadedModules = loaded
            return CommandResult(status: 0)
        case "update-grub", "update-initramfs", "proxmox-boot-tool", "pve-network-interface-pinning", "bridge", "journalctl", "dmesg":
            return CommandResult(status: 0)
        default:
            return CommandResult(status: 127, errorOutput: "\(program): not found on the simulated host")
        }
    }

    /// `qm set VMID [--delete KEYS] [--hostpciN VALUE] [--hookscript VOLUME]`.
    private mutating func qm(_ args: [String]) -> CommandResult {
        guard description.proxmox != nil else { return CommandResult(status: 127, errorOutput: "qm: not found (not Proxmox VE)") }
        if args.count >= 2, ["shutdown", "start", "stop"].contains(args[0]), let vmid = Int(args[1]) {
            return qmPower(args[0], vmid: vmid, options: Array(args.dropFirst(2)))
        }
        guard args.count >= 2, args[0] == "set", let vmid = Int(args[1]) else {
            return CommandResult(status: 255, errorOutput: "400 unable to parse: qm \(args.joined(separator: " "))")
        }
        guard let index = state.guests?.firstIndex(where: { $0.vmid == vmid }) else {
            let node = description.proxmox?.node ?? "node"
            return CommandResult(status: 2, errorOutput: "Configuration file 'nodes/\(node)/qemu-server/\(vmid).conf' does not exist")
        }
        // As qemu-server: on a running guest a hostpci change is not hot-pluggable and waits in
        // [PENDING] for the next start; a hookscript is a "fast plug" option, set at once.
        let running = state.guests![index].running
        var config = state.guests![index].config
        var pending = state.guests![index].pending ?? [:]
        var i = 2
        while i < args.count {
            guard i + 1 < args.count else { return CommandResult(status: 255, errorOutput: "400 missing value for \(args[i])") }
            let option = args[i], value = args[i + 1]
            if option == "--delete" {
                for key in value.split(separator: ",").map(String.init) {
                    if running && key.hasPrefix("hostpci") { pending[key] = "" } else { config[key] = nil }
                }
            } else if option == "--hookscript" {
                config["hookscript"] = value
            } else if option.hasPrefix("--hostpci"), let slot = GuestConfigFile.numbered(String(option.dropFirst(2)), "hostpci"), slot < 16 {
                if case let .failure(error) = HostPCIReference.format.parse(Substring(value)) {
                    return CommandResult(status: 255, errorOutput: "400 Parameter verification failed.\nhostpci\(slot): \(error.message)")
                }
                if running { pending["hostpci\(slot)"] = value } else { config["hostpci\(slot)"] = value }
            } else {
                return CommandResult(status: 255, errorOutput: "400 Parameter verification failed.\n\(option): property is not defined in schema")
            }
            i += 2
        }
        state.guests![index].config = config
        state.guests![index].pending = pending.isEmpty ? nil : pending
        return CommandResult(status: 0, output: "update VM \(vmid): \(args.dropFirst(2).joined(separator: " "))\n")
    }

    /// `qm shutdown VMID [--timeout S]`, `qm stop VMID`, `qm start VMID`, answering as qemu-server
    /// does: a guest that does not power off within the timeout fails the shutdown ("VM quit/
    /// powerdown failed - got timeout") and keeps running; a start applies `[PENDING]`.
    private mutating func qmPower(_ command: String, vmid: Int, options: [String]) -> CommandResult {
        guard let guest = state.guests?.first(where: { $0.vmid == vmid }) else {
            let node = description.proxmox?.node ?? "node"
            return CommandResult(status: 2, errorOutput: "Configuration file 'nodes/\(node)/qemu-server/\(vmid).conf' does not exist")
        }
        switch command {
        case "start":
            if guest.running { return CommandResult(status: 255, errorOutput: "VM \(vmid) already running") }
            setGuest(vmid, running: true)
            // As qemu-server does before QEMU starts: each passed-through function goes to vfio-pci.
            let started = ProxmoxGuest(vmid: vmid, running: true, config: state.guests?.first { $0.vmid == vmid }?.configText ?? "")
            if let snapshot = try? snapshot() {
                for pci in started.references.flatMap(\.hosts).compactMap(PCIAddress.init) {
                    for pf in snapshot.pfs {
                        if let vf = pf.vfs.first(where: { $0.pci == pci }) {
                            try? bindVF(pf: pf.pci.description, index: vf.index, driver: "vfio-pci")
                        }
                    }
                }
            }
        case "stop":
            setGuest(vmid, running: false)
        default:
            guard guest.running else { return CommandResult(status: 0) }
            var timeout = 180
            if let i = options.firstIndex(of: "--timeout"), i + 1 < options.count, let t = Int(options[i + 1]) { timeout = t }
            let takes = description.proxmox?.guests.first { $0.vmid == vmid }?.shutdownSeconds ?? 0
            if takes < 0 || takes > timeout { return CommandResult(status: 255, errorOutput: "VM quit/powerdown failed - got timeout") }
            setGuest(vmid, running: false)
        }
        return CommandResult(status: 0)
    }

    /// `pvesh create /cluster/mapping/pci --id ID --map M...` and `pvesh set /cluster/mapping/pci/ID --map M...`.
    private mutating func pvesh(_ args: [String]) -> CommandResult {
        guard description.proxmox != nil else { return CommandResult(status: 127, errorOutput: "pvesh: not found (not Proxmox VE)") }
        var maps: [String] = []
        var id: String?
        var i = 2
        while i + 1 < args.count {
            switch args[i] {
            case "--map": maps.append(args[i + 1])
            case "--id": id = args[i + 1]
            default: return CommandResult(status: 255, errorOutput: "400 Parameter verification failed: \(args[i])")
            }
            i += 2
        }
        // Each map value is checked as Proxmox's API checks it (`$map_fmt`): node, id and path
        // required, known keys only, each matching its pattern.
        for map in maps {
            if case let .failure(error) = PCIMapping.mapFormat.parse(Substring(map)) {
                return CommandResult(status: 255, errorOutput: "400 Parameter verification failed.\nmap: \(error.message)")
            }
        }
        var mappings = state.mappings ?? []
        switch (args.first, args.count > 1 ? args[1] : "") {
        case ("create", "/cluster/mapping/pci"):
            guard let id, ProxmoxCommands.isConfigID(id) else { return CommandResult(status: 255, errorOutput: "400 invalid id") }
            guard !mappings.contains(where: { $0.id == id }) else {
                return CommandResult(status: 255, errorOutput: "500 mapping '\(id)' already exists")
            }
            mappings.append(.init(id: id, description: nil, map: maps))
        case let ("set", path) where path.hasPrefix("/cluster/mapping/pci/"):
            let id = String(path.dropFirst("/cluster/mapping/pci/".count))
            guard let index = mappings.firstIndex(where: { $0.id == id }) else {
                return CommandResult(status: 255, errorOutput: "500 mapping '\(id)' does not exist")
            }
            mappings[index].map = maps
        default:
            return CommandResult(status: 255, errorOutput: "400 no such path: \(args.prefix(2).joined(separator: " "))")
        }
        state.mappings = mappings
        return CommandResult(status: 0)
    }

    /// enable/disable (with --now), is-enabled, show, daemon-reload, reset-failed.
    private mutating func systemctl(_ args: [String]) -> CommandResult {
        let verb = args.first ?? ""
        let units = args.dropFirst().filter { !$0.hasPrefix("-") }
        var enabled = state.enabledUnits ?? []
        switch verb {
        case "daemon-reload", "reset-failed":
            return CommandResult(status: 0)
        case "enable":
            for unit in units where !enabled.contains(unit) {
                guard files.exists("\(BootUnits.directory)/\(unit)") else {
                    return CommandResult(status: 1, errorOutput: "Failed to enable unit: Unit file \(unit) does not exist.")
                }
                enabled.append(unit)
            }
            for unit in units { wantsLinks(of: unit, present: true) }
        case "disable":
            enabled.removeAll { units.contains($0) }
            for unit in units { wantsLinks(of: unit, present: false) }
        case "is-enabled":
            let on = units.allSatisfy { enabled.contains($0) }
            return CommandResult(status: on ? 0 : 1, output: on ? "enabled\n" : "disabled\n")
        case "show":
            let on = units.allSatisfy { enabled.contains($0) }
            return CommandResult(
                status: 0, output: on ? "ActiveState=active\nSubState=running\nResult=success\n" : "ActiveState=inactive\nSubState=dead\n")
        default:
            return CommandResult(status: 1, errorOutput: "systemctl \(verb): not simulated")
        }
        state.enabledUnits = enabled
        return CommandResult(status: 0)
    }

    /// As systemctl does: the unit's `WantedBy=` targets get (or lose) a `TARGET.wants/UNIT` entry
    /// in /etc/systemd/system (a file naming the unit here, where systemd makes a link).
    private func wantsLinks(of unit: String, present: Bool) {
        let text = files.readText("\(BootUnits.directory)/\(unit)") ?? files.readText("\(BootUnits.packagedDirectory)/\(unit)") ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("WantedBy=") {
            for target in line.dropFirst("WantedBy=".count).split(separator: " ") {
                let link = "\(BootUnits.directory)/\(target).wants/\(unit)"
                if present {
                    try? files.replace(link, with: "\(BootUnits.directory)/\(unit)\n")
                } else if files.exists(link) {
                    try? files.remove(link)
                    files.removeFolderIfEmpty("\(BootUnits.directory)/\(target).wants")
                }
            }
        }
    }
}
