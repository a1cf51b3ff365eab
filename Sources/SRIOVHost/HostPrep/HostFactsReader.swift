import Netlink
import SRIOVCore

/// Gathers what `check` and `host prepare` decide on: /proc, sysfs, /etc, the kernel log.
public struct HostFactsReader {
    public let fs: RootedFileSystem
    /// Runs a read-only program (dmesg, systemctl is-enabled); nil where none runs.
    let query: ([String]) -> CommandResult?

    public init(fs: RootedFileSystem, query: @escaping ([String]) -> CommandResult?) {
        self.fs = fs
        self.query = query
    }

    /// Whose IOMMU this is: the firmware's table says it (DMAR is Intel VT-d, IVRS is AMD-Vi);
    /// without one (IOMMU off in the BIOS), the CPU's vendor.
    public var vendor: CPUVendor {
        if fs.exists("/sys/firmware/acpi/tables/DMAR") { return .intel }
        if fs.exists("/sys/firmware/acpi/tables/IVRS") { return .amd }
        return CPUVendor(vendorID: cpuinfoValue("vendor_id"))
    }
    public var kernel: KernelRelease? { fs.readText("/proc/sys/kernel/osrelease").flatMap(KernelRelease.init) }

    public var bootloader: Bootloader {
        if fs.exists("/etc/kernel/proxmox-boot-uuids") { return .proxmoxBootTool }
        if fs.exists("/usr/sbin/update-grub") || fs.exists("/boot/grub/grub.cfg") { return .grub }
        return .unknown
    }

    /// Everything but the config, which the engine reads and plans.
    public func facts(snapshot: HostSnapshot?) -> HostFacts {
        var f = HostFacts()
        f.cpuFlags = Set((cpuinfoValue("flags") ?? "").split(separator: " ").map(String.init))
        f.vendor = vendor
        f.kernelReleaseText = fs.readText("/proc/sys/kernel/osrelease") ?? "?"
        f.kernel = kernel
        f.cmdline = KernelCommandLine(fs.readText("/proc/cmdline") ?? "")
        f.iommuGroups = fs.list("/sys/kernel/iommu_groups").count
        f.dmarTable = fs.exists("/sys/firmware/acpi/tables/DMAR")
        f.ivrsTable = fs.exists("/sys/firmware/acpi/tables/IVRS")
        if let log = query(["dmesg"]), log.status == 0 {
            f.kernelLog = log.output.split(separator: "\n").map(String.init)
        }
        f.loadedModules = Set(fs.list("/sys/module").map { $0.normalizedModuleName() })
        f.modulesConfigured = configuredModules()
        f.bootloader = bootloader
        f.snapshot = snapshot
        f.bootUnitInstalled = fs.exists("\(BootUnits.directory)/\(BootUnits.applyUnit)")
        if let enabled = query(["systemctl", "is-enabled", BootUnits.applyUnit]) {
            f.bootUnitEnabled = enabled.output.trimmingSpaces()
        }
        return f
    }

    /// The files `host prepare` reads or edits, by path.
    public func prepFiles() -> [String: String] {
        var paths = [
            "/etc/default/grub", HostPrep.kernelCmdline, "/etc/modules", HostPrep.initramfsModules, HostPrep.grubDropIn,
            HostPrep.modulesLoad,
        ]
        paths += fs.list("/etc/default/grub.d").filter { $0.hasSuffix(".cfg") }.map { "/etc/default/grub.d/\($0)" }
        paths += fs.list("/etc/modules-load.d").filter { $0.hasSuffix(".conf") }.map { "/etc/modules-load.d/\($0)" }
        paths += fs.list(HostPrep.linkDirectory).filter { $0.hasPrefix("10-sriovctl-") }.map { "\(HostPrep.linkDirectory)/\($0)" }
        var files: [String: String] = [:]
        for path in Set(paths) {
            if let bytes = fs.readBytes(path) { files[path] = String(decoding: bytes, as: UTF8.self) }
        }
        return files
    }

    /// Physical network interfaces (with a device) and their permanent MACs, for name pinning.
    public func physicalInterfaces() -> [(name: String, permanentMAC: MACAddress)] {
        let links = fs.isRooted ? [] : (try? KernelLinkSource().links(withStats: false)) ?? []
        return fs.list("/sys/class/net").compactMap { name in
            guard fs.exists("/sys/class/net/\(name)/device"), !fs.exists("/sys/class/net/\(name)/device/physfn") else { return nil }
            let permanent =
                links.first { $0.name == name }?.permanentAddress.flatMap(MACAddress.init(bytes:))
                ?? fs.readText("/sys/class/net/\(name)/address").flatMap(MACAddress.init)
            return permanent.map { (name, $0) }
        }
    }

    func configuredModules() -> Set<String> {
        var texts = [fs.readText("/etc/modules") ?? ""]
        for dir in ["/etc/modules-load.d", "/usr/lib/modules-load.d", "/run/modules-load.d"] {
            texts += fs.list(dir).filter { $0.hasSuffix(".conf") }.compactMap { fs.readText("\(dir)/\($0)") }
        }
        return Set(
            texts.flatMap { text in
                text.split(separator: "\n").compactMap { line -> String? in
                    let word = line.split(separator: " ").first.map(String.init) ?? ""
                    return word.isEmpty || word.hasPrefix("#") ? nil : word.normalizedModuleName()
                }
            })
    }

    private func cpuinfoValue(_ key: String) -> String? {
        for line in (fs.readText("/proc/cpuinfo") ?? "").split(separator: "\n") where line.hasPrefix(key) {
            if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingSpaces() }
        }
        return nil
    }
}
