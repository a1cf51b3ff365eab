import Foundation
import SRIOVCore
@testable import SRIOVHost
import Testing

/// `host prepare` on a host tree in a temporary folder: the files it writes, the commands it
/// would run, the copies it keeps, and `--undo` putting everything back.
@Suite struct HostPreparerTests {
    @Test func prepareThenUndoRestoresEveryFile() throws {
        let tree = try TemporaryTree()
        let grub = "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n"
        let initramfs = "# List of modules that you want to include in your initramfs.\n"
        try tree.write("etc/default/grub", String(grub.dropLast()))
        try tree.write("etc/initramfs-tools/modules", String(initramfs.dropLast()))
        try tree.write("sys/firmware/acpi/tables/DMAR", "")
        try tree.write("proc/sys/kernel/osrelease", "6.8.12-4-pve")
        try tree.write("usr/sbin/update-grub", "")
        let fs = RootedFileSystem(root: tree.root.path)
        let runner = RecordingRunner()
        let reader = HostFactsReader(fs: fs, runner: runner)
        #expect(reader.vendor == .intel, "the DMAR table says Intel")
        #expect(reader.bootloader == .grub)
        let input = { HostPrepInput(vendor: reader.vendor, kernel: reader.kernel, bootloader: reader.bootloader, files: reader.prepFiles()) }
        let plan = HostPrep.plan(input())
        let preparer = HostPreparer(fs: fs, runner: runner)
        let outcome = preparer.apply(plan)
        #expect(!outcome.failed, "\(outcome.lines)")
        #expect(fs.readText(HostPrep.grubDropIn)?.contains("intel_iommu=on iommu=pt") == true)
        #expect(fs.readText(HostPrep.modulesLoad)?.contains("vfio_pci") == true)
        #expect(fs.readText(HostPrep.initramfsModules)?.contains("# sriovctl: begin") == true)
        #expect(fs.readText("/var/lib/sriovctl/backup/etc/initramfs-tools/modules") == String(initramfs.dropLast()), "the original is kept")
        #expect(runner.commands == [["update-grub"], ["update-initramfs", "-u", "-k", "all"]])
        #expect(HostPrep.plan(input()).isEmpty, "a second run changes nothing")

        let undo = preparer.undoPlan()
        #expect(Set(undo.edits.map(\.path)) == [HostPrep.grubDropIn, HostPrep.modulesLoad, HostPrep.initramfsModules])
        runner.commands = []
        #expect(!preparer.undo(undo).failed)
        #expect(fs.readText(HostPrep.grubDropIn) == nil && fs.readText(HostPrep.modulesLoad) == nil)
        #expect(fs.readText(HostPrep.initramfsModules) == String(initramfs.dropLast()))
        #expect(fs.readText("/etc/default/grub") == String(grub.dropLast()), "never touched")
        #expect(runner.commands == [["update-grub"], ["update-initramfs", "-u", "-k", "all"]])
        #expect(!fs.exists(HostPreparer.record))
        #expect(preparer.undoPlan().edits.isEmpty)
    }

    @Test func aFailingCommandIsReportedWithItsOutput() throws {
        let tree = try TemporaryTree()
        let runner = RecordingRunner()
        runner.answers["update-initramfs -u -k all"] = CommandResult(status: 1, errorOutput: "E: /boot is full")
        let fs = RootedFileSystem(root: tree.root.path)
        let plan = HostPrep.plan(HostPrepInput(vendor: .amd, kernel: KernelRelease("6.8"), bootloader: .unknown, files: [:]))
        let outcome = HostPreparer(fs: fs, runner: runner).apply(plan)
        #expect(outcome.failed)
        #expect(outcome.lines.contains { $0.contains("E: /boot is full") })
    }
}
