import SRIOVCore
import Testing

@Suite struct HostPrepTests {
    static let debianGrub = """
        # If you change this file, run 'update-grub' afterwards to update
        # /boot/grub/grub.cfg.
        # For full documentation of the options in this file, see:
        #   info -f grub -n 'Simple configuration'

        GRUB_DEFAULT=0
        GRUB_TIMEOUT=5
        GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`
        GRUB_CMDLINE_LINUX_DEFAULT="quiet"
        GRUB_CMDLINE_LINUX=""

        """

    func input(
        _ files: [String: String], vendor: CPUVendor = .intel, kernel: String = "6.8.12-4-pve",
        bootloader: Bootloader = .grub
    ) -> HostPrepInput {
        HostPrepInput(vendor: vendor, kernel: KernelRelease(kernel), bootloader: bootloader, files: files)
    }

    /// Applies a plan's edits to the files, as the preparer would.
    func applied(_ plan: HostPrepPlan, to files: [String: String]) -> [String: String] {
        var result = files
        for edit in plan.edits { result[edit.path] = edit.new }
        return result
    }

    @Test func debianGrubGetsADropInWithBothIntelParameters() {
        let plan = HostPrep.plan(input(["/etc/default/grub": Self.debianGrub]))
        let dropIn = plan.edits.first { $0.path == HostPrep.grubDropIn }
        #expect(dropIn?.new?.contains(#"GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt""#) == true)
        #expect(plan.commands == [["update-grub"], ["update-initramfs", "-u", "-k", "all"]])
        #expect(plan.edits.first { $0.path == HostPrep.modulesLoad }?.new?.contains("vfio\nvfio_iommu_type1\nvfio_pci\n") == true)
        #expect(!(plan.edits.first { $0.path == HostPrep.modulesLoad }?.new?.contains("vfio_virqfd") ?? true), "6.8 has no vfio_virqfd")
        #expect(plan.notes.contains { $0.contains("reboot") })
    }

    @Test(arguments: [
        (#"GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on""#, "iommu=pt"),
        ("GRUB_CMDLINE_LINUX_DEFAULT='quiet splash iommu=pt'", "intel_iommu=on"),
        (#"GRUB_CMDLINE_LINUX="intel_iommu=on""#, "iommu=pt"),
    ])
    func onlyMissingParametersAreAdded(line: String, expected: String) {
        let plan = HostPrep.plan(input(["/etc/default/grub": Self.debianGrub.replacingLine("GRUB_CMDLINE_LINUX_DEFAULT", with: line)]))
        let dropIn = plan.edits.first { $0.path == HostPrep.grubDropIn }?.new
        #expect(dropIn?.contains(#"$GRUB_CMDLINE_LINUX_DEFAULT \#(expected)""#) == true, "\(dropIn ?? "nil")")
    }

    @Test func parametersAlreadyThereNeedNoGrubEdit() {
        let grub = Self.debianGrub.replacingLine("GRUB_CMDLINE_LINUX_DEFAULT", with: #"GRUB_CMDLINE_LINUX_DEFAULT="quiet intel_iommu=on iommu=pt""#)
        let plan = HostPrep.plan(input(["/etc/default/grub": grub]))
        #expect(!plan.edits.contains { $0.path == HostPrep.grubDropIn })
        #expect(!plan.commands.contains(["update-grub"]))
    }

    @Test func anotherDropInCounts() {
        let plan = HostPrep.plan(
            input([
                "/etc/default/grub": Self.debianGrub,
                "/etc/default/grub.d/pve.cfg": #"GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT iommu=pt""#,
            ]))
        #expect(plan.edits.first { $0.path == HostPrep.grubDropIn }?.new?.contains(#"DEFAULT intel_iommu=on""#) == true)
    }

    @Test func amdNeedsOnlyPassthrough() {
        let plan = HostPrep.plan(input(["/etc/default/grub": Self.debianGrub], vendor: .amd))
        let dropIn = plan.edits.first { $0.path == HostPrep.grubDropIn }?.new ?? ""
        #expect(dropIn.contains(#"$GRUB_CMDLINE_LINUX_DEFAULT iommu=pt""#) && !dropIn.contains("amd_iommu"))
    }

    @Test func proxmoxBootToolEditsKernelCmdline() {
        let files = [HostPrep.kernelCmdline: "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n"]
        let plan = HostPrep.plan(input(files, bootloader: .proxmoxBootTool))
        #expect(plan.edits.first { $0.path == HostPrep.kernelCmdline }?.new == "root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt\n")
        #expect(plan.commands.first == ["proxmox-boot-tool", "refresh"])
        #expect(HostPrep.plan(input(applied(plan, to: files), bootloader: .proxmoxBootTool)).isEmpty)
    }

    @Test func oldKernelsGetVfioVirqfd() {
        let plan = HostPrep.plan(input([:], kernel: "6.1.0-27-amd64"))
        #expect(plan.edits.first { $0.path == HostPrep.modulesLoad }?.new?.contains("vfio_virqfd") == true)
    }

    @Test func modulesAlreadyInEtcModulesAreNotRepeated() {
        let plan = HostPrep.plan(input(["/etc/modules": "# /etc/modules\nvfio\nvfio_iommu_type1\nvfio-pci\n"]))
        #expect(!plan.edits.contains { $0.path == HostPrep.modulesLoad })
    }

    @Test func initramfsModulesKeepTheAdminsLinesAndOneMarkedBlock() {
        let admin = "# List of modules that you want to include in your initramfs.\nigb\n"
        let plan = HostPrep.plan(input([HostPrep.initramfsModules: admin]))
        let new = plan.edits.first { $0.path == HostPrep.initramfsModules }?.new ?? ""
        #expect(new.hasPrefix(admin))
        #expect(new.contains("# sriovctl: begin") && new.contains("vfio_pci\n# sriovctl: end\n"))
        let again = HostPrep.plan(input(applied(plan, to: [HostPrep.initramfsModules: admin])))
        #expect(!again.edits.contains { $0.path == HostPrep.initramfsModules })
    }

    @Test func everyPlanIsIdempotent() {
        for grub in [Self.debianGrub, ""] {
            for bootloader in [Bootloader.grub, .proxmoxBootTool] {
                let files = grub.isEmpty ? [:] : ["/etc/default/grub": grub]
                let first = HostPrep.plan(input(files, bootloader: bootloader))
                #expect(!first.isEmpty)
                #expect(HostPrep.plan(input(applied(first, to: files), bootloader: bootloader)).isEmpty, "\(bootloader)")
            }
        }
    }

    @Test func assignBussesPinsNamesFirst() throws {
        var i = input(["/etc/default/grub": Self.debianGrub])
        i.assignBusses = true
        i.interfaces = [("enp6s0f0", MACAddress("a0:36:9f:00:00:10")!), ("eno1", MACAddress("3c:ec:ef:00:00:01")!)]
        let plan = HostPrep.plan(i)
        #expect(
            plan.edits.prefix(2).map(\.path) == ["/etc/systemd/network/10-sriovctl-eno1.link", "/etc/systemd/network/10-sriovctl-enp6s0f0.link"],
            "the pins come before the parameter")
        #expect(plan.edits[1].new?.contains("PermanentMACAddress=a0:36:9f:00:00:10\n\n[Link]\nName=enp6s0f0") == true)
        #expect(plan.edits.first { $0.path == HostPrep.grubDropIn }?.new?.contains("pci=assign-busses") == true)
        i.hasPVEPinningTool = true
        let pve = HostPrep.plan(i)
        #expect(!pve.edits.contains { $0.path.hasSuffix(".link") })
        #expect(pve.commands.first == ["pve-network-interface-pinning", "generate"])
    }

    @Test func diffIsUnified() {
        let diff = UnifiedDiff.make(path: "/etc/x", old: "a\nb\nc\n", new: "a\nB\nc\nd\n")
        #expect(diff == "--- a/etc/x\n+++ b/etc/x\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n")
        #expect(UnifiedDiff.make(path: "/etc/y", old: nil, new: "x\n") == "--- /dev/null\n+++ b/etc/y\n@@ -0,0 +1,1 @@\n+x\n")
        #expect(UnifiedDiff.make(path: "/etc/y", old: "x\n", new: "x\n").isEmpty)
    }

    @Test func commandLinesSplitLikeTheKernel() {
        let line = KernelCommandLine(#"BOOT_IMAGE=/vmlinuz root=/dev/vda ro quiet intel_iommu=on foo="a b""#)
        #expect(line.value("intel_iommu") == "on")
        #expect(line.value("quiet") == "")
        #expect(line.words.last == #"foo="a b""#)
        #expect(line.missing(["intel_iommu=on", "iommu=pt"]) == ["iommu=pt"])
    }
}

extension String {
    func replacingLine(_ prefix: String, with line: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix(prefix + "=") ? line : String($0) }.joined(separator: "\n")
    }
}
