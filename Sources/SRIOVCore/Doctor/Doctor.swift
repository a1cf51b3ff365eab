/// Judges every SR-IOV prerequisite from the facts, with the evidence and the exact fix.
public enum Doctor {
    public static func check(_ f: HostFacts) -> [CheckResult] {
        [
            cpu(f), iommu(f), firmwareTable(f), interruptRemapping(f), commandLine(f), vfio(f), bootloader(f),
            devices(f), vfResources(f), config(f), bootUnit(f), drift(f),
        ].compactMap { $0 } + drivers(f)
    }

    static func cpu(_ f: HostFacts) -> CheckResult {
        if f.cpuFlags.contains("vmx") || f.cpuFlags.contains("svm") {
            return CheckResult(
                "cpu-virtualization", "CPU virtualization", .ok,
                f.cpuFlags.contains("vmx") ? "vmx (Intel VT-x) in /proc/cpuinfo" : "svm (AMD-V) in /proc/cpuinfo")
        }
        if f.cpuFlags.contains("hypervisor") {
            return CheckResult(
                "cpu-virtualization", "CPU virtualization", .warn,
                "no vmx/svm flag, and this host is itself a VM (hypervisor flag)",
                fix: "VFs can be created and configured, but guests need KVM: enable nested virtualization on the outer host")
        }
        return CheckResult(
            "cpu-virtualization", "CPU virtualization", .fail, "no vmx or svm flag in /proc/cpuinfo",
            fix: "enable Intel VT-x or AMD-V (SVM) in the BIOS/UEFI setup")
    }

    static func iommu(_ f: HostFacts) -> CheckResult {
        if f.iommuGroups > 0 {
            return CheckResult("iommu", "IOMMU active", .ok, "\(f.iommuGroups) groups in /sys/kernel/iommu_groups")
        }
        var fix: [String] = []
        if !f.dmarTable && !f.ivrsTable { fix.append("enable \(f.vendor == .amd ? "AMD-Vi/IOMMU" : "VT-d") in the BIOS/UEFI setup") }
        let missing = f.cmdline.missing(IOMMUParameters.wanted(vendor: f.vendor).filter { $0.hasPrefix("intel_iommu") })
        if !missing.isEmpty { fix.append("add \(missing.joined(separator: " ")) to the kernel command line: `sriovctl host prepare`, then reboot") }
        if fix.isEmpty { fix.append("the firmware describes an IOMMU but the kernel did not enable it: look for DMAR/AMD-Vi errors in `dmesg`") }
        return CheckResult(
            "iommu", "IOMMU active", .fail, "no groups in /sys/kernel/iommu_groups: VFs cannot be passed to VMs",
            fix: fix.joined(separator: "; "))
    }

    static func firmwareTable(_ f: HostFacts) -> CheckResult {
        if f.dmarTable || f.ivrsTable {
            return CheckResult("iommu-firmware", "IOMMU in firmware", .ok, f.dmarTable ? "ACPI DMAR table present" : "ACPI IVRS table present")
        }
        return CheckResult(
            "iommu-firmware", "IOMMU in firmware", .fail, "no ACPI DMAR or IVRS table: the firmware does not offer an IOMMU",
            fix: "enable \(f.vendor == .amd ? "AMD-Vi/IOMMU" : "VT-d") in the BIOS/UEFI setup")
    }

    static func interruptRemapping(_ f: HostFacts) -> CheckResult? {
        guard f.iommuGroups > 0 else { return nil }
        guard let log = f.kernelLog else {
            return CheckResult("interrupt-remapping", "Interrupt remapping", .info, "the kernel log could not be read (run as root)")
        }
        if let line = log.first(where: { $0.contains("Enabled IRQ remapping") || $0.contains("Interrupt remapping enabled") }) {
            return CheckResult("interrupt-remapping", "Interrupt remapping", .ok, line.trimmingSpaces())
        }
        return CheckResult(
            "interrupt-remapping", "Interrupt remapping", .warn, "the kernel log does not say IRQ remapping is enabled",
            fix:
                "enable interrupt remapping (x2APIC / IOMMU options) in the BIOS; without it vfio refuses devices unless vfio_iommu_type1 allow_unsafe_interrupts=1"
        )
    }

    static func commandLine(_ f: HostFacts) -> CheckResult {
        var notes: [String] = []
        if f.cmdline.value("amd_iommu") == "on" {
            notes.append("amd_iommu=on is not a real parameter (AMD's IOMMU is on by default); it does nothing")
        }
        let missing = f.cmdline.missing(IOMMUParameters.wanted(vendor: f.vendor))
        let evidence = "/proc/cmdline: \(f.cmdline.text)"
        if missing.isEmpty {
            return CheckResult(
                "kernel-cmdline", "Kernel command line", notes.isEmpty ? .ok : .warn,
                ([evidence] + notes).joined(separator: "; "))
        }
        // intel_iommu=on matters only when the IOMMU is off; iommu=pt is a recommendation.
        let state: CheckResult.State = f.iommuGroups == 0 && missing.contains("intel_iommu=on") ? .fail : .warn
        return CheckResult(
            "kernel-cmdline", "Kernel command line", state,
            ([evidence, "missing \(missing.joined(separator: " "))"] + notes).joined(separator: "; "),
            fix:
                "`sriovctl host prepare` adds \(missing.joined(separator: " ")) (\(f.bootloader == .unknown ? "write it yourself: no GRUB or proxmox-boot-tool found" : "via \(f.bootloader.rawValue)")), then reboot"
        )
    }

    static func vfio(_ f: HostFacts) -> CheckResult {
        let wanted = (f.kernel ?? KernelRelease(major: 6, minor: 8)).vfioModules
        let notLoaded = wanted.filter { !f.loadedModules.contains($0) && $0 != "vfio_virqfd" }
        let notConfigured = wanted.filter { !f.modulesConfigured.contains($0) }
        if f.kernel.map({ $0 >= KernelRelease(major: 6, minor: 2) }) == true && f.modulesConfigured.contains("vfio_virqfd") {
            return CheckResult(
                "vfio-modules", "vfio modules", .warn,
                "vfio_virqfd is configured but kernel \(f.kernelReleaseText) has no such module (merged into vfio in 6.2)",
                fix: "remove vfio_virqfd from /etc/modules or /etc/modules-load.d")
        }
        if notLoaded.isEmpty && notConfigured.isEmpty {
            return CheckResult("vfio-modules", "vfio modules", .ok, "\(wanted.joined(separator: ", ")) loaded and loaded at boot")
        }
        var evidence: [String] = []
        if !notLoaded.isEmpty { evidence.append("not loaded: \(notLoaded.joined(separator: ", "))") }
        if !notConfigured.isEmpty { evidence.append("not loaded at boot: \(notConfigured.joined(separator: ", "))") }
        return CheckResult(
            "vfio-modules", "vfio modules", .warn, evidence.joined(separator: "; "),
            fix: "`sriovctl host prepare` loads them at every boot and puts them in the initramfs (apply also loads vfio-pci when a VF needs it)")
    }

    static func bootloader(_ f: HostFacts) -> CheckResult {
        switch f.bootloader {
        case .grub: CheckResult("bootloader", "Bootloader", .info, "GRUB: kernel parameters go in /etc/default/grub(.d), then update-grub")
        case .proxmoxBootTool:
            CheckResult(
                "bootloader", "Bootloader", .info,
                "proxmox-boot-tool (systemd-boot): kernel parameters go in /etc/kernel/cmdline, then proxmox-boot-tool refresh")
        case .unknown:
            CheckResult(
                "bootloader", "Bootloader", .warn, "neither GRUB nor proxmox-boot-tool found",
                fix: "add kernel parameters with your bootloader's own tool")
        }
    }

    static func devices(_ f: HostFacts) -> CheckResult {
        guard let snapshot = f.snapshot else {
            return CheckResult("sriov-devices", "SR-IOV devices", .fail, "sysfs could not be read")
        }
        guard !snapshot.pfs.isEmpty else {
            return CheckResult(
                "sriov-devices", "SR-IOV devices", .fail, "no PCI device has sriov_totalvfs",
                fix:
                    "enable SR-IOV in the BIOS/UEFI setup and in the NIC's firmware (for Intel X710/E810 and Mellanox, also the card's own SR-IOV setting), then reboot"
            )
        }
        let list = snapshot.pfs.map { "\($0.displayName) (\($0.driver ?? "no driver"), \($0.numVFs)/\($0.totalVFs) VFs)" }
        return CheckResult("sriov-devices", "SR-IOV devices", .ok, list.joined(separator: ", "))
    }

    static func vfResources(_ f: HostFacts) -> CheckResult? {
        guard let log = f.kernelLog else { return nil }
        let shortBARs = log.filter { $0.contains("not enough MMIO resources for SR-IOV") }
        let shortBuses = log.filter { $0.contains("bus number out of range") || $0.contains("SR-IOV: bus number") }
        if let line = shortBuses.first {
            return CheckResult(
                "vf-resources", "Room for VFs", .fail, line.trimmingSpaces(),
                fix:
                    "the firmware left no bus numbers for VFs: `sriovctl host prepare --pci-assign-busses` (pins interface names first, then adds pci=assign-busses), reboot"
            )
        }
        if let line = shortBARs.first {
            return CheckResult(
                "vf-resources", "Room for VFs", .fail, line.trimmingSpaces(),
                fix:
                    "the firmware left too little PCI memory for VFs: add pci=realloc to the kernel command line and reboot; if that is not enough, `sriovctl host prepare --pci-assign-busses`"
            )
        }
        return CheckResult("vf-resources", "Room for VFs", .ok, "no SR-IOV resource errors in the kernel log")
    }

    static func config(_ f: HostFacts) -> CheckResult {
        if f.configMissing {
            return CheckResult(
                "config", "Config file", .warn, "\(f.configPath) does not exist",
                fix: "`sriovctl init` writes it from the host as it is (every key: `man sriovctl.toml`)")
        }
        if let problem = f.configProblem {
            return CheckResult("config", "Config file", .fail, problem, fix: "correct the lines named above; `sriovctl plan` shows them too")
        }
        return CheckResult("config", "Config file", .ok, "\(f.configPath) is valid")
    }

    static func bootUnit(_ f: HostFacts) -> CheckResult {
        if f.bootUnitInstalled && f.bootUnitEnabled == "enabled" {
            return CheckResult("boot-unit", "Boot unit", .ok, "sriovctl.service installed and enabled")
        }
        return CheckResult(
            "boot-unit", "Boot unit", .warn,
            f.bootUnitInstalled
                ? "sriovctl.service installed but \(f.bootUnitEnabled ?? "not enabled")" : "sriovctl.service is not installed: VFs vanish at reboot",
            fix: "`sriovctl boot enable`")
    }

    static func drift(_ f: HostFacts) -> CheckResult? {
        guard let pending = f.pendingChanges else { return nil }
        if pending == 0 { return CheckResult("drift", "Host matches config", .ok, "`sriovctl plan` has nothing to do") }
        return CheckResult(
            "drift", "Host matches config", .warn, "\(pending) change(s) pending", fix: "`sriovctl plan` to see them, `sriovctl apply` to make them")
    }
}
