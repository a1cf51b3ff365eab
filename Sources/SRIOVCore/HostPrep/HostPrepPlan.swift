/// How this host boots, which decides where kernel parameters go.
public enum Bootloader: String, Sendable, Hashable {
    /// GRUB: parameters in /etc/default/grub (we add a drop-in), then `update-grub`.
    case grub
    /// Proxmox's systemd-boot (ZFS root on UEFI): /etc/kernel/cmdline, then `proxmox-boot-tool refresh`.
    case proxmoxBootTool = "proxmox-boot-tool"
    case unknown
}

/// What `host prepare` needs to know about the host; gathered by SRIOVHost, decided here.
public struct HostPrepInput: Sendable {
    public var vendor: CPUVendor
    public var kernel: KernelRelease?
    public var bootloader: Bootloader
    /// Content of every file the plan may read or edit, by path (absent files are left out):
    /// /etc/default/grub, /etc/default/grub.d/*.cfg, /etc/kernel/cmdline, /etc/modules,
    /// /etc/modules-load.d/*.conf, /etc/initramfs-tools/modules, /etc/systemd/network/*.link.
    public var files: [String: String]
    /// Also add `pci=assign-busses`, after pinning every interface name.
    public var assignBusses: Bool
    /// Physical interfaces and their permanent MACs, for pinning.
    public var interfaces: [(name: String, permanentMAC: MACAddress)]
    /// Proxmox VE 9's own tool is there: use it for pinning instead of our .link files.
    public var hasPVEPinningTool: Bool

    public init(
        vendor: CPUVendor, kernel: KernelRelease?, bootloader: Bootloader, files: [String: String],
        assignBusses: Bool = false, interfaces: [(name: String, permanentMAC: MACAddress)] = [],
        hasPVEPinningTool: Bool = false
    ) {
        self.vendor = vendor
        self.kernel = kernel
        self.bootloader = bootloader
        self.files = files
        self.assignBusses = assignBusses
        self.interfaces = interfaces
        self.hasPVEPinningTool = hasPVEPinningTool
    }
}

/// One file to write (or remove, when `new` is nil).
public struct FileEdit: Hashable, Sendable {
    public var path: String
    public var old: String?
    public var new: String?

    public init(path: String, old: String?, new: String?) {
        self.path = path
        self.old = old
        self.new = new
    }

    public var diff: String { UnifiedDiff.make(path: path, old: old, new: new) }
}

/// The edits and commands that prepare the host, and what the user must know.
public struct HostPrepPlan: Hashable, Sendable {
    public var edits: [FileEdit]
    public var commands: [[String]]
    public var notes: [String]

    public init(edits: [FileEdit], commands: [[String]], notes: [String]) {
        self.edits = edits
        self.commands = commands
        self.notes = notes
    }

    public var isEmpty: Bool { edits.isEmpty && commands.isEmpty }
}

public enum HostPrep {
    public static let grubDropIn = "/etc/default/grub.d/sriovctl.cfg"
    public static let modulesLoad = "/etc/modules-load.d/sriovctl.conf"
    public static let initramfsModules = "/etc/initramfs-tools/modules"
    public static let kernelCmdline = "/etc/kernel/cmdline"
    public static let linkDirectory = "/etc/systemd/network"
    static let blockBegin = "# sriovctl: begin (vfio modules in the initramfs; `sriovctl host prepare --undo` removes this block)"
    static let blockEnd = "# sriovctl: end"

    public static func plan(_ input: HostPrepInput) -> HostPrepPlan {
        var plan = HostPrepPlan(edits: [], commands: [], notes: [])
        var wanted = IOMMUParameters.wanted(vendor: input.vendor)
        if input.assignBusses { wanted.append("pci=assign-busses") }
        // Interface names first: pci=assign-busses (and a new card) can renumber buses and so
        // rename interfaces, cutting the host off its network. Pin them before adding it.
        if input.assignBusses { pinInterfaceNames(input, into: &plan) }
        kernelParameters(wanted, input, into: &plan)
        vfioModules(input, into: &plan)
        if !plan.edits.isEmpty || !plan.commands.isEmpty {
            plan.notes.append("reboot to use it: the kernel reads its command line and its initramfs only at boot")
        }
        return plan
    }

    /// A `.link` file per interface that keeps its name by permanent MAC, or Proxmox VE's own
    /// pinning tool where it is there.
    static func pinInterfaceNames(_ input: HostPrepInput, into plan: inout HostPrepPlan) {
        if input.hasPVEPinningTool {
            plan.commands.append(["pve-network-interface-pinning", "generate"])
            plan.notes.append("interface names are pinned with Proxmox VE's pve-network-interface-pinning")
            return
        }
        for interface in input.interfaces.sorted(by: { $0.name < $1.name }) {
            let path = "\(linkDirectory)/10-sriovctl-\(interface.name).link"
            let text = """
                # Written by `sriovctl host prepare --pci-assign-busses`: keeps this name when bus numbers change.
                [Match]
                PermanentMACAddress=\(interface.permanentMAC)

                [Link]
                Name=\(interface.name)

                """
            if input.files[path] != text { plan.edits.append(FileEdit(path: path, old: input.files[path], new: text)) }
        }
    }

    /// The kernel parameters `wanted` that are missing, where this bootloader reads them.
    static func kernelParameters(_ wanted: [String], _ input: HostPrepInput, into plan: inout HostPrepPlan) {
        switch input.bootloader {
        case .grub:
            var present = KernelCommandLine("")
            for (path, text) in input.files
            where path == "/etc/default/grub"
                || (path.hasPrefix("/etc/default/grub.d/") && path.hasSuffix(".cfg") && path != grubDropIn)
            {
                present.words += grubParameters(text)
            }
            let missing = present.missing(wanted)
            let text: String? =
                missing.isEmpty
                ? nil
                : """
                # Written by `sriovctl host prepare`; `sriovctl host prepare --undo` removes it.
                GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT \(missing.joined(separator: " "))"

                """
            if input.files[grubDropIn] != text {
                plan.edits.append(FileEdit(path: grubDropIn, old: input.files[grubDropIn], new: text))
                plan.commands.append(["update-grub"])
            }
        case .proxmoxBootTool:
            let current = input.files[kernelCmdline] ?? ""
            let line = KernelCommandLine(current)
            let missing = line.missing(wanted)
            if !missing.isEmpty {
                plan.edits.append(
                    FileEdit(
                        path: kernelCmdline, old: input.files[kernelCmdline],
                        new: KernelCommandLine(line.text + " " + missing.joined(separator: " ")).text + "\n"))
                plan.commands.append(["proxmox-boot-tool", "refresh"])
            }
        case .unknown:
            plan.notes.append("no GRUB or proxmox-boot-tool found: add \(wanted.joined(separator: " ")) to the kernel command line yourself")
        }
    }

    /// The vfio modules: loaded at every boot (those no other file lists), and in the initramfs
    /// (in sriovctl's own block), which is rebuilt when it or the interface names change.
    static func vfioModules(_ input: HostPrepInput, into plan: inout HostPrepPlan) {
        let modules = (input.kernel ?? KernelRelease(major: 6, minor: 8)).vfioModules
        var listed = Set<String>()
        for (path, text) in input.files
        where path == "/etc/modules"
            || (path.hasPrefix("/etc/modules-load.d/") && path.hasSuffix(".conf") && path != modulesLoad)
        {
            listed.formUnion(moduleNames(text))
        }
        let toLoad = modules.filter { !listed.contains($0) && !listed.contains($0.normalizedModuleName()) }
        let loadText: String? =
            toLoad.isEmpty
            ? nil
            : "# Written by `sriovctl host prepare`: vfio for passing VFs to VMs.\n" + toLoad.joined(separator: "\n") + "\n"
        if input.files[modulesLoad] != loadText {
            plan.edits.append(FileEdit(path: modulesLoad, old: input.files[modulesLoad], new: loadText))
        }

        let initramfs = input.files[initramfsModules]
        let outside = removingBlock(initramfs ?? "")
        let inInitramfs = modules.filter { !moduleNames(outside).contains($0) }
        var newInitramfs = outside
        if !inInitramfs.isEmpty {
            if !newInitramfs.isEmpty && !newInitramfs.hasSuffix("\n") { newInitramfs += "\n" }
            newInitramfs += ([blockBegin] + inInitramfs + [blockEnd]).joined(separator: "\n") + "\n"
        }
        let initramfsChanges = (initramfs ?? "") != newInitramfs
        if initramfsChanges {
            plan.edits.append(FileEdit(path: initramfsModules, old: initramfs, new: newInitramfs))
        }
        if initramfsChanges || plan.edits.contains(where: { $0.path.hasPrefix(linkDirectory) })
            || plan.commands.contains(["pve-network-interface-pinning", "generate"])
        {
            plan.commands.append(["update-initramfs", "-u", "-k", "all"])
        }
    }

    /// Words of GRUB_CMDLINE_LINUX_DEFAULT and GRUB_CMDLINE_LINUX in a shell-syntax defaults file.
    public static func grubParameters(_ text: String) -> [String] {
        var words: [String] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces()
            guard !line.hasPrefix("#") else { continue }
            for key in ["GRUB_CMDLINE_LINUX_DEFAULT=", "GRUB_CMDLINE_LINUX="] where line.hasPrefix(key) {
                var value = line.dropFirst(key.count)
                if let q = value.first, q == "\"" || q == "'" {
                    value = value.dropFirst()
                    if let end = value.firstIndex(of: q) { value = value[..<end] }
                }
                words += KernelCommandLine(String(value)).words.filter { !$0.hasPrefix("$") }
            }
        }
        return words
    }

    static func moduleNames(_ text: String) -> Set<String> {
        Set(
            text.split(separator: "\n").compactMap { raw in
                let line = raw.trimmingSpaces()
                guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
                return line.split(separator: " ").first.map { String($0).normalizedModuleName() }
            })
    }

    /// The text without sriovctl's marked block.
    static func removingBlock(_ text: String) -> String {
        var out: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == blockBegin {
                inside = true
                continue
            }
            if inside {
                if line == blockEnd { inside = false }
                continue
            }
            out.append(line)
        }
        var result = out.joined(separator: "\n")
        while result.hasSuffix("\n\n") { result.removeLast() }
        return result
    }
}
