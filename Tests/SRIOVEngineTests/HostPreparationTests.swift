import Foundation
import SRIOVCore
import SRIOVEngine
import SRIOVHost
import TestSupport
import Testing

/// `host prepare` on a host tree in a temporary folder: the files it writes, the programs it
/// would run (recorded, never run), the copies it keeps, and `--undo` putting everything back.
@Suite struct HostPreparationTests {
    @Test func prepareThenUndoRestoresEveryFileWithItsMode() throws {
        let tree = try TemporaryTree()
        let grub = "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n"
        let initramfs = "# List of modules that you want to include in your initramfs.\n"
        try tree.write("etc/default/grub", grub)
        try tree.write("etc/initramfs-tools/modules", initramfs)
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: tree.root.appendingPathComponent("etc/initramfs-tools/modules").path)
        try tree.write("sys/firmware/acpi/tables/DMAR", "")
        try tree.write("proc/sys/kernel/osrelease", "6.8.12-4-pve")
        try tree.write("usr/sbin/update-grub", "")
        let plan = try HostPreparation.plan(on: tree.selection, assignBusses: false)
        let outcome = try HostPreparation.apply(plan, on: tree.selection)
        #expect(!outcome.failed, "\(outcome.lines)")
        #expect(tree.read("etc/default/grub.d/sriovctl.cfg")?.contains("intel_iommu=on iommu=pt") == true, "the DMAR table says Intel")
        #expect(tree.read("etc/modules-load.d/sriovctl.conf")?.contains("vfio_pci") == true)
        #expect(tree.read("etc/initramfs-tools/modules")?.contains("# sriovctl: begin") == true)
        let mode =
            try FileManager.default.attributesOfItem(atPath: tree.root.appendingPathComponent("etc/initramfs-tools/modules").path)[.posixPermissions]
            as? Int
        #expect(mode == 0o600, "an edited file keeps its mode")
        #expect(tree.read("var/lib/sriovctl/backup/etc/initramfs-tools/modules") == initramfs, "the original is kept")
        #expect(try tree.recordedPrograms() == [["update-grub"], ["update-initramfs", "-u", "-k", "all"]])
        #expect(outcome.lines.contains { $0.hasPrefix("would run: update-grub") })
        #expect(try HostPreparation.plan(on: tree.selection, assignBusses: false).isEmpty, "a second run changes nothing")

        let undo = try HostPreparation.undoPlan(on: tree.selection)
        #expect(Set(undo.edits.map(\.path)) == [HostPrep.grubDropIn, HostPrep.modulesLoad, HostPrep.initramfsModules])
        #expect(!(try HostPreparation.undo(undo, on: tree.selection)).failed)
        #expect(tree.read("etc/default/grub.d/sriovctl.cfg") == nil && tree.read("etc/modules-load.d/sriovctl.conf") == nil)
        #expect(tree.read("etc/initramfs-tools/modules") == initramfs)
        #expect(tree.read("etc/default/grub") == grub, "never touched")
        #expect(try tree.recordedPrograms().suffix(2) == [["update-grub"], ["update-initramfs", "-u", "-k", "all"]])
        #expect(tree.read("var/lib/sriovctl/host-prepare.json") == nil)
        #expect(try HostPreparation.undoPlan(on: tree.selection).edits.isEmpty)
    }

    /// `--undo` trusts only a record sriovctl could have written, and never deletes a file that
    /// existed before when its original copy cannot be read (issue 26).
    @Test func undoRefusesARecordNamingOtherFiles() throws {
        let tree = try TemporaryTree()
        try tree.write("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        try tree.write(
            "var/lib/sriovctl/host-prepare.json", #"{"entries":[{"path":"/etc/passwd","existed":false}]}"#)
        #expect(throws: (any Error).self) { try HostPreparation.undoPlan(on: tree.selection) }
        do {
            _ = try HostPreparation.undoPlan(on: tree.selection)
        } catch {
            #expect("\(error)".contains("names /etc/passwd"), "\(error)")
        }
        try tree.write(
            "var/lib/sriovctl/host-prepare.json",
            #"{"entries":[{"path":"/etc/initramfs-tools/modules","existed":true,"backup":"/etc/shadow"}]}"#)
        #expect(throws: (any Error).self) { try HostPreparation.undoPlan(on: tree.selection) }
        #expect(tree.read("etc/passwd") == "root:x:0:0::/root:/bin/sh\n")
    }

    @Test func aCorruptRecordIsAnErrorNamingIt() throws {
        let tree = try TemporaryTree()
        try tree.write("var/lib/sriovctl/host-prepare.json", "{ not json")
        do {
            _ = try HostPreparation.undoPlan(on: tree.selection)
            Issue.record("a corrupt record gave a plan")
        } catch {
            #expect("\(error)".contains("/var/lib/sriovctl/host-prepare.json cannot be read"), "\(error)")
        }
    }

    @Test func aFileWhoseOriginalCopyIsGoneIsKept() throws {
        let tree = try TemporaryTree()
        let modules = "vfio\n# sriovctl: begin\nvfio_pci\n# sriovctl: end\n"
        try tree.write("etc/initramfs-tools/modules", modules)
        try tree.write(
            "var/lib/sriovctl/host-prepare.json",
            #"{"entries":[{"path":"/etc/initramfs-tools/modules","existed":true,"backup":"/var/lib/sriovctl/backup/etc/initramfs-tools/modules"}]}"#)
        let undo = try HostPreparation.undoPlan(on: tree.selection)
        #expect(undo.edits.isEmpty, "never deleted: \(undo.edits.map(\.path))")
        #expect(undo.notes.contains { $0.contains("/etc/initramfs-tools/modules: its original copy") })
        _ = try HostPreparation.undo(undo, on: tree.selection)
        #expect(tree.read("etc/initramfs-tools/modules") == modules)
        #expect(tree.read("var/lib/sriovctl/host-prepare.json") != nil, "the record still says what to undo")
    }

    @Test func aFailingProgramIsReportedWithItsOutput() throws {
        var description = SimulatedHostDescription(pfs: [.igb("enp6s0f0", pci: "0000:06:00.0", mac: "a0:36:9f:3c:5e:10")])
        description.machine = .init(cpuVendor: "amd", bootloader: "unknown", failingPrograms: ["update-initramfs": "E: /boot is full"])
        let box = try SimulatedSandbox(description)
        let plan = try HostPreparation.plan(on: box.selection, assignBusses: false)
        #expect(plan.commands.contains(["update-initramfs", "-u", "-k", "all"]))
        let outcome = try HostPreparation.apply(plan, on: box.selection)
        #expect(outcome.failed)
        #expect(outcome.lines.contains { $0.contains("E: /boot is full") }, "\(outcome.lines)")
        #expect(try box.host().files.readText(HostPrep.modulesLoad)?.contains("vfio_pci") == true, "the files were written before it")
    }
}
