import SRIOVCore
import Testing

@Suite struct DoctorTests {
    /// A prepared Intel host with one igb PF, a valid config, the boot unit, nothing pending.
    static func healthy() -> HostFacts {
        var f = HostFacts()
        f.cpuFlags = ["fpu", "vmx"]
        f.vendor = .intel
        f.kernel = KernelRelease("6.8.12-4-pve")
        f.kernelReleaseText = "6.8.12-4-pve"
        f.cmdline = KernelCommandLine("BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet intel_iommu=on iommu=pt")
        f.iommuGroups = 40
        f.dmarTable = true
        f.kernelLog = ["[    0.100000] DMAR-IR: Enabled IRQ remapping in x2apic mode"]
        f.loadedModules = ["vfio", "vfio_iommu_type1", "vfio_pci"]
        f.modulesConfigured = ["vfio", "vfio_iommu_type1", "vfio_pci"]
        f.bootloader = .grub
        f.snapshot = igbHost(numVFs: 2)
        f.configPath = "/etc/sriovctl/sriovctl.toml"
        f.bootUnitInstalled = true
        f.bootUnitEnabled = "enabled"
        f.pendingChanges = 0
        return f
    }

    func state(_ f: HostFacts, _ id: String) -> CheckResult? { Doctor.check(f).first { $0.id == id } }

    @Test func aHealthyHostFailsNothing() {
        let results = Doctor.check(Self.healthy())
        #expect(results.filter { $0.state == .fail || $0.state == .warn }.isEmpty, "\(results.filter { $0.state != .ok && $0.state != .info })")
        // Twelve host checks, and one line per PF on what its driver does.
        #expect(results.count == 12 + (Self.healthy().snapshot?.pfs.count ?? 0))
    }

    @Test func eachPFsDriverIsDescribedFromItsProfile() throws {
        var f = Self.healthy()
        var pf = try #require(f.snapshot?.pfs.first)
        pf.driver = "i40e"
        var other = pf
        other.driver = "frobnic"
        other.name = "eth9"
        f.snapshot?.pfs = [pf, other]
        let lines = Doctor.check(f).filter { $0.id.hasPrefix("driver-profile:") }
        #expect(lines.count == 2)
        #expect(lines[0].evidence.contains("i40e, from the kernel's source; at most 128 VFs"), "\(lines[0].evidence)")
        #expect(lines[0].evidence.contains("18 MAC filters") && lines[0].evidence.contains("steps of 50 Mbit/s"))
        #expect(lines[1].evidence.contains("frobnic: not known to sriovctl"), "\(lines[1].evidence)")
        // A probe's answers on this host are part of what check says.
        f.capabilities = CapabilityRecord(entries: [
            .init(driver: "i40e", vfDevice: pf.vfDeviceID, firmware: "9.2", probedAt: 1_800_000_000, answers: ["min-tx-rate": "ok"])
        ])
        let probed = Doctor.check(f).filter { $0.id.hasPrefix("driver-profile:") }[0].evidence
        #expect(probed.contains("i40e, probed, from sriovctl probe on this host"), "\(probed)")
        #expect(!probed.contains("min-tx-rate"), "the probe found min-tx-rate taken: \(probed)")
    }

    @Test func noIOMMUOnIntelNamesBIOSAndTheParameter() {
        var f = Self.healthy()
        f.iommuGroups = 0
        f.dmarTable = false
        f.cmdline = KernelCommandLine("root=/dev/sda1 ro quiet")
        let iommu = state(f, "iommu")
        #expect(iommu?.state == .fail)
        #expect(iommu?.fix?.contains("enable VT-d in the BIOS/UEFI setup") == true)
        #expect(iommu?.fix?.contains("add intel_iommu=on") == true && iommu?.fix?.contains("sriovctl host prepare") == true)
        #expect(state(f, "kernel-cmdline")?.state == .fail)
        #expect(state(f, "iommu-firmware")?.state == .fail)
        #expect(state(f, "interrupt-remapping") == nil, "meaningless without an IOMMU")
    }

    @Test func amdIommuOnIsNotARealParameter() {
        var f = Self.healthy()
        f.vendor = .amd
        f.cpuFlags = ["svm"]
        f.cmdline = KernelCommandLine("quiet amd_iommu=on iommu=pt")
        let line = state(f, "kernel-cmdline")
        #expect(line?.state == .warn)
        #expect(line?.evidence.contains("amd_iommu=on is not a real parameter") == true)
    }

    @Test func vfioVirqfdOnNewKernelsIsFlagged() {
        var f = Self.healthy()
        f.modulesConfigured.insert("vfio_virqfd")
        #expect(state(f, "vfio-modules")?.evidence.contains("merged into vfio in 6.2") == true)
        f.kernel = KernelRelease("6.1.0-27-amd64")
        f.modulesConfigured = ["vfio", "vfio_iommu_type1", "vfio_pci", "vfio_virqfd"]
        #expect(state(f, "vfio-modules")?.state == .ok)
    }

    @Test(arguments: [
        ("pci 0000:06:00.0: not enough MMIO resources for SR-IOV", "pci=realloc"),
        ("pci 0000:06:00.0: SR-IOV: bus number out of range", "--pci-assign-busses"),
    ])
    func shortResourcesPointAtTheRightParameter(line: String, fix: String) {
        var f = Self.healthy()
        f.kernelLog = [line]
        let result = state(f, "vf-resources")
        #expect(result?.state == .fail)
        #expect(result?.fix?.contains(fix) == true)
    }

    @Test func noSRIOVDeviceMeansBIOSOrFirmware() {
        var f = Self.healthy()
        f.snapshot = HostSnapshot(pfs: [])
        #expect(state(f, "sriov-devices")?.fix?.contains("enable SR-IOV in the BIOS/UEFI setup and in the NIC's firmware") == true)
    }

    @Test func insideAVMMissingVTxIsAWarning() {
        var f = Self.healthy()
        f.cpuFlags = ["hypervisor"]
        #expect(state(f, "cpu-virtualization")?.state == .warn)
        f.cpuFlags = []
        #expect(state(f, "cpu-virtualization")?.state == .fail)
    }

    @Test func configBootUnitAndDrift() {
        var f = Self.healthy()
        f.configProblem = "t.toml:3:8: pf[0].vlan: vlan must be an integer 0-4094"
        f.bootUnitInstalled = false
        f.pendingChanges = 3
        #expect(state(f, "config")?.state == .fail)
        #expect(state(f, "boot-unit")?.fix == "`sriovctl boot enable`")
        #expect(state(f, "drift")?.evidence == "3 change(s) pending")
    }

    @Test func noInterruptRemappingIsAWarning() {
        var f = Self.healthy()
        f.kernelLog = ["DMAR: IOMMU enabled"]
        #expect(state(f, "interrupt-remapping")?.state == .warn)
    }
}
