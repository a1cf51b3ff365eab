import Foundation
import SRIOVHost
import Testing

/// Proxmox VE on the bundled simulated i350 host: guests, `assign`, `status`'s VM column, the
/// in-use guard for a running guest, `apply` with `vm =`, hookscripts, and `check` on it.
@Suite struct SimulatedProxmoxTests {
    @Test func assignThenStatusShowsTheGuest() throws {
        let box = try CLITests.Sandbox()
        let assign = try box.run(["assign", "enp6s0f0:1", "--vm", "101"])
        #expect(assign.status == 0, "\(assign.err)")
        #expect(assign.out.contains("VM 101 hostpci0 = 0000:06:10.4 (enp6s0f0 VF 1)"))
        let status = try box.run(["status", "enp6s0f0", "--json"])
        let vfs = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
                .flatMap { ($0["pfs"] as? [[String: Any]])?.first?["vfs"] as? [[String: Any]] })
        #expect(vfs.map { $0["vm"] as? Int } == [100, 101, nil, nil], "VM 100 from the description, VM 101 just assigned")
        let text = try box.run(["status", "enp6s0f0"])
        #expect(text.out.split(separator: "\n").contains { $0.contains("0000:06:10.4") && $0.hasSuffix("101") }, "\(text.out)")
        // Once more: nothing to do. Another VM: refused without --force, and nothing changes.
        #expect(try box.run(["assign", "enp6s0f0:1", "--vm", "101"]).out.contains("already has 0000:06:10.4 as hostpci0"))
        let before = box.stateBytes()
        let taken = try box.run(["assign", "enp6s0f0:1", "--vm", "100"])
        #expect(taken.status == 1 && taken.err.contains("already given to VM 101"), "\(taken.err)")
        #expect(box.stateBytes() == before)
        let missing = try box.run(["assign", "enp6s0f0:1", "--vm", "555"])
        #expect(missing.status == 2 && missing.err.contains("VM 555 does not exist"))
    }

    @Test func applyGivesVFsToGuestsAndVerifiesThem() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config(
            """
            [[pf]]
            name = "enp6s0f0"
            num-vfs = 4
            [[pf.vf]]
            index = 2
            vm = 101
            slot = 3
            pcie = true
            [[pf.vf]]
            index = 3
            vm = 101
            mapping = "nas-pool"

            """)
        let plan = try box.run(["plan", "--config", config])
        #expect(plan.out.contains("VM 101"), "\(plan.out)")
        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(apply.out.contains("Verified: the host matches the config."), "guests read again after qm set: \(apply.out)")
        #expect(try box.run(["plan", "--config", config, "--detailed-exitcode"]).status == 0, "a second plan has nothing to do")
        let status = try box.run(["status", "enp6s0f0"])
        #expect(status.out.split(separator: "\n").contains { $0.contains("0000:06:11.0") && $0.hasSuffix("101") }, "\(status.out)")
    }

    @Test func aRunningGuestsVFIsNotRebound() throws {
        let box = try CLITests.Sandbox()
        let store = SimulatedHostStore(
            descriptionPath: CLITests.examples.appendingPathComponent("i350-t4-homelab.json").path,
            statePath: box.state)
        var host = try store.load()
        host.setGuest(100, running: true)  // VM 100 has VF 0 as hostpci0
        try store.save(host)
        let before = box.stateBytes()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\ndriver = \"vfio-pci\"\n")
        let refused = try box.run(["apply", "--config", config])
        #expect(refused.status == 1)
        #expect(refused.err.contains("enp6s0f0 VF 0 (0000:06:10.0) is in use: VM 100 is running with it (hostpci0)"), "\(refused.err)")
        #expect(box.stateBytes() == before)
    }

    @Test func checkJudgesTheSimulatedHost() throws {
        let box = try CLITests.Sandbox()
        let check = try box.run(["check", "--config", CLITests.examples.appendingPathComponent("sriovctl.toml").path])
        #expect(check.out.contains("enp6s0f0 (igb, 4/7 VFs)"), "\(check.out)")
        #expect(check.out.contains("Kernel command line: /proc/cmdline: BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve"))
        #expect(check.out.contains("sriovctl.service is not installed"))
        let boot = try box.run([
            "boot", "enable", "--binary", "/usr/sbin/sriovctl", "--config",
            CLITests.examples.appendingPathComponent("sriovctl.toml").path,
        ])
        #expect(boot.status == 0, "\(boot.out)\(boot.err)")
        let again = try box.run(["check", "--config", CLITests.examples.appendingPathComponent("sriovctl.toml").path])
        #expect(again.out.contains("[OK  ] Boot unit"), "the simulated systemctl enabled it: \(again.out)")
    }

    @Test func hookscriptInstallWritesTheScriptAndAttachesIt() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\nvm = 100\n")
        let install = try box.run(["hookscript", "install", "--binary", "/usr/sbin/sriovctl", "--config", config])
        #expect(install.status == 0, "\(install.out)\(install.err)")
        #expect(install.out.contains("ran qm set 100 --hookscript local:snippets/sriovctl-hook.sh"))
        let script = try String(contentsOfFile: box.state + ".root/var/lib/vz/snippets/sriovctl-hook.sh", encoding: .utf8)
        #expect(script.contains("/usr/sbin/sriovctl apply --guest \"$vmid\" --phase \"$phase\" --config \(config) || exit $?"))
        // The script as Proxmox runs it, with a stand-in binary that prints its arguments.
        let echo = box.dir.appendingPathComponent("echo-args").path
        try "#!/bin/sh\necho \"$@\"\n".write(toFile: echo, atomically: true, encoding: .utf8)
        chmod(echo, 0o755)
        // Run through sh, not exec'd: a file just written can be "busy" (ETXTBSY) to exec while
        // another test's child, forked meanwhile, still holds it open (this failed under load).
        let runnable = script.replacingOccurrences(of: "/usr/sbin/sriovctl", with: "/bin/sh \(echo)")
        for (phase, expected) in [
            ("pre-start", "apply --guest 100 --phase pre-start --config \(config)\n"),
            ("post-stop", "apply --guest 100 --phase post-stop --config \(config)\n"), ("post-start", ""), ("pre-stop", ""),
            ("pre-start;id", ""),
        ] {
            let run = try SystemCommandRunner().run(["/bin/sh", "-c", runnable, "hook", "100", phase])
            #expect(run.output == expected, "phase \(phase)")
        }
        let store = SimulatedHostStore(
            descriptionPath: CLITests.examples.appendingPathComponent("i350-t4-homelab.json").path,
            statePath: box.state)
        #expect(try store.load().state.guests?.first { $0.vmid == 100 }?.config["hookscript"] == "local:snippets/sriovctl-hook.sh")
    }
}

/// Tab completion of a PF argument offers the PFs of the host the command line names.
@Suite struct CompletionTests {
    @Test func aPFArgumentCompletesToTheHostsPFs() throws {
        let box = try CLITests.Sandbox()
        let description = CLITests.examples.appendingPathComponent("i350-t4-homelab.json").path
        // What bash's completion function runs for `sriovctl --simulate FILE status enp6s0f<Tab>`.
        let words = ["sriovctl", "--simulate", description, "--simulate-state", box.state, "status", "enp6s0f"]
        let result = try SystemCommandRunner().run(
            [CLITests.binary.path, "---completion", "status", "--", "positional@0", "6", "7"] + words)
        #expect(result.output.split(separator: "\n") == ["enp6s0f0", "enp6s0f1", "enp6s0f2", "enp6s0f3"], "\(result.errorOutput)")
        let pci = try SystemCommandRunner().run(
            [CLITests.binary.path, "---completion", "status", "--", "positional@0", "6", "12"] + words.dropLast() + ["0000:06:00.1"])
        #expect(pci.output.split(separator: "\n") == ["0000:06:00.1"])
    }
}

/// The simulated node of Tests/Fixtures/proxmox/pool-host.json, where Proxmox's rules decide:
/// pools, templates, lines left alone, edits that keep options, [PENDING], chained hookscripts.
@Suite struct ProxmoxFidelityCLITests {
    func sandbox() throws -> CLITests.Sandbox {
        let box = try CLITests.Sandbox()
        box.host = "../Tests/Fixtures/proxmox/pool-host.json"
        return box
    }

    func state(_ box: CLITests.Sandbox) throws -> SimulatedHostState {
        try SimulatedHostStore(
            descriptionPath: CLITests.examples.appendingPathComponent(box.host).path, statePath: box.state
        ).load().state
    }

    @Test func statusShowsWhoHoldsEachPoolMember() throws {
        let box = try sandbox()
        let status = try box.run(["status", "--json"])
        #expect(status.status == 0, "\(status.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any])
        let vfs = try #require(((json["pfs"] as? [[String: Any]])?.first)?["vfs"] as? [[String: Any]])
        #expect(vfs[0]["vm"] as? Int == 100 && vfs[0]["vmRunning"] as? Bool == true)
        #expect(vfs[1]["vm"] as? Int == 101 && vfs[1]["pool"] as? String == "fw", "the first free member, given to running VM 101")
        #expect(vfs[2]["vm"] is NSNull && vfs[2]["poolCandidates"] as? [Int] == [101, 102])
        #expect(vfs[3]["vm"] as? Int == 901, "the clone, not the template")
        #expect((json["conflicts"] as? [String]) == [], "a template and its clone are no conflict: \(json["conflicts"] ?? "")")
        let text = try box.run(["status"])
        #expect(text.out.contains("pool fw: 101,102"), "\(text.out)")
    }

    @Test func vmOnALineThatHasItChangesNothingAndPCIeIsAnEditThatWaitsForTheNextStart() throws {
        let box = try sandbox()
        let same = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[pf.defaults]\nmac = \"keep\"\n[[pf.vf]]\nindex = 0\nvm = 100\n")
        let plan = try box.run(["plan", "--config", same, "--json"])
        #expect(!plan.out.contains("assign-to-vm") && !plan.out.contains("edit-vm-device"), "\(plan.out)")
        let config = try box.config(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[pf.defaults]\nmac = \"keep\"\n[[pf.vf]]\nindex = 0\nvm = 100\npcie = false\n")
        let edit = try box.run(["plan", "--config", config])
        #expect(edit.out.contains("~ VM 100 hostpci0 pcie 1 -> 0 (VF 0)"), "\(edit.out)")
        #expect(edit.out.contains("VM 100 is running: Proxmox applies the change at its next start"), "\(edit.out)")
        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let guest = try #require(try state(box).guests?.first { $0.vmid == 100 })
        #expect(guest.config["hostpci0"] == "host=0000:06:10.0,pcie=1,rombar=0", "the running config is untouched")
        #expect(guest.pending?["hostpci0"] == "host=0000:06:10.0,rombar=0", "rombar=0 kept, pcie gone, in [PENDING]")
        #expect(try box.run(["plan", "--config", config, "--detailed-exitcode"]).status == 0, "the pending value counts")
    }

    @Test func aGUIMappingIsLeftAsItIs() throws {
        let box = try sandbox()
        let config = try box.config(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[pf.defaults]\nmac = \"keep\"\n[[pf.vf]]\nindexes = \"1-2\"\nmapping = \"fw\"\n")
        let plan = try box.run(["plan", "--config", config, "--detailed-exitcode"])
        #expect(plan.status == 0, "its entries say what sriovctl would write: \(plan.out)")
        #expect(!plan.out.contains("mapping"), "\(plan.out)")
    }

    @Test func hookscriptsChainTheGuestsOwnAndRemoveGivesItBack() throws {
        let box = try sandbox()
        let config = try box.config(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[pf.defaults]\nmac = \"keep\"\n[[pf.vf]]\nindex = 0\nvm = 100\n[[pf.vf]]\nindex = 1\nvm = 101\nmapping = \"fw\"\n"
        )
        let install = try box.run(["hookscript", "install", "--binary", "/usr/sbin/sriovctl", "--config", config])
        #expect(install.status == 0, "\(install.out)\(install.err)")
        #expect(install.out.contains("VM 101 keeps its own hookscript local:snippets/reset-gpu.pl"), "\(install.out)")
        let root = box.state + ".root"
        let script = try String(contentsOfFile: root + "/var/lib/vz/snippets/sriovctl-hook.sh", encoding: .utf8)
        #expect(script.contains("101) own='/var/lib/vz/snippets/reset-gpu.pl' ;;"), "\(script)")
        var guests = try state(box).guests ?? []
        #expect(guests.first { $0.vmid == 101 }?.config["hookscript"] == "local:snippets/sriovctl-hook.sh")
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/sriovctl/hookscript.json"))
        let one = try box.run(["hookscript", "remove", "--vm", "101"])
        #expect(one.status == 0, "\(one.out)\(one.err)")
        guests = try state(box).guests ?? []
        #expect(guests.first { $0.vmid == 101 }?.config["hookscript"] == "local:snippets/reset-gpu.pl", "its own is back")
        #expect(guests.first { $0.vmid == 100 }?.config["hookscript"] == "local:snippets/sriovctl-hook.sh", "the others keep sriovctl's")
        let all = try box.run(["hookscript", "remove"])
        #expect(all.status == 0, "\(all.out)\(all.err)")
        guests = try state(box).guests ?? []
        #expect(guests.first { $0.vmid == 100 }?.config["hookscript"] == nil)
        #expect(!FileManager.default.fileExists(atPath: root + "/var/lib/vz/snippets/sriovctl-hook.sh"))
        #expect(!FileManager.default.fileExists(atPath: root + "/var/lib/sriovctl/hookscript.json"))
    }

    @Test func aCorruptHookscriptRecordIsRefusedByName() throws {
        let box = try sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[pf.defaults]\nmac = \"keep\"\n[[pf.vf]]\nindex = 0\nvm = 100\n")
        #expect(try box.run(["hookscript", "install", "--binary", "/usr/sbin/sriovctl", "--config", config]).status == 0)
        let record = box.state + ".root/var/lib/sriovctl/hookscript.json"
        try
            #"{"volume":"local:snippets/sriovctl-hook.sh","path":"/var/lib/vz/snippets/sriovctl-hook.sh","chained":{"100":{"volume":"local:snippets/x","path":"/tmp/$(reboot)"}}}"#
            .write(toFile: record, atomically: true, encoding: .utf8)
        let before = box.stateBytes()
        let remove = try box.run(["hookscript", "remove"])
        #expect(remove.status != 0)
        #expect(remove.err.contains("/var/lib/sriovctl/hookscript.json is corrupt"), "\(remove.err)")
        #expect(box.stateBytes() == before, "nothing changed")
    }
}

extension ProxmoxFidelityCLITests {
    /// The simulated pvesh checks map values as Proxmox's API does: a mapping sriovctl writes
    /// passes, one without id= (as the old code wrote for VFs without a device id) would not.
    @Test func theSimulatedPveshRefusesMapEntriesProxmoxRefuses() throws {
        var host = SimulatedHost(
            description: try JSONDecoder().decode(
                SimulatedHostDescription.self,
                from: Data(contentsOf: CLITests.examples.appendingPathComponent("../Tests/Fixtures/proxmox/pool-host.json"))))
        let refused = try? host.perform(.run(["pvesh", "create", "/cluster/mapping/pci", "--id", "nic", "--map", "node=pve,path=0000:06:10.0"]))
        #expect(refused == nil)
        #expect(!(host.state.mappings ?? []).contains { $0.id == "nic" })
        let accepted = try? host.perform(
            .run(["pvesh", "create", "/cluster/mapping/pci", "--id", "nic", "--map", "id=8086:1520,iommugroup=20,node=pve,path=0000:06:10.0"]))
        #expect(accepted != nil)
    }
}

extension ProxmoxFidelityCLITests {
    /// `assign --slot` never replaces another device in that slot without `--force` (issue 26).
    @Test func assignIntoAHeldSlotNeedsForce() throws {
        let box = try CLITests.Sandbox()
        let before = try box.run(["status"])
        #expect(before.status == 0)
        let state = box.stateBytes()
        let refused = try box.run(["assign", "enp6s0f0:1", "--vm", "100", "--slot", "0"])
        #expect(refused.status == 1, "\(refused.out)\(refused.err)")
        #expect(refused.err.contains("VM 100 hostpci0 already holds another device (0000:06:10.0)"), "\(refused.err)")
        #expect(box.stateBytes() == state, "nothing changed")
        let forced = try box.run(["assign", "enp6s0f0:1", "--vm", "100", "--slot", "0", "--force"])
        #expect(forced.status == 0, "\(forced.err)")
    }
}
