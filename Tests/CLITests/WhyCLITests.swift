import Foundation
import Testing

/// `sriovctl why VMID` on the simulated homelab host: each finding, its exit status, bad input.
@Suite struct WhyCLITests {
    /// The homelab description with `change` applied, as a file in the sandbox.
    static func host(_ box: CLITests.Sandbox, _ change: (inout [String: Any]) throws -> Void) throws {
        let example = CLITests.examples.appendingPathComponent("i350-t4-homelab.json")
        var description = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        try change(&description)
        let path = box.dir.appendingPathComponent("host.json")
        try JSONSerialization.data(withJSONObject: description).write(to: path)
        box.host = path.path
    }

    static func guest(_ d: inout [String: Any], _ index: Int, _ key: String, _ value: Any) throws {
        var proxmox = try #require(d["proxmox"] as? [String: Any])
        var guests = try #require(proxmox["guests"] as? [[String: Any]])
        guests[index][key] = value
        proxmox["guests"] = guests
        d["proxmox"] = proxmox
    }

    func findings(_ run: CLITests.Run) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        return try #require(object["findings"] as? [[String: Any]])
    }

    @Test func aRunningGuestWhoseVFWasTakenIsTold() throws {
        let box = try CLITests.Sandbox()
        try Self.host(box) { try Self.guest(&$0, 0, "running", true) }  // VM 100 runs; its VF 0 is on igbvf
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\nvm = 100\nmac = \"keep\"\n")
        let run = try box.run(["why", "100", "--config", config, "--json"])
        #expect(run.status == 1, "\(run.err)")
        let all = try findings(run)
        #expect(all.contains { ($0["what"] as? String)?.contains("the VF is on igbvf, not vfio-pci") == true }, "\(all)")
        #expect(all.contains { ($0["what"] as? String)?.contains("all-zero MAC") == true })
        let text = try box.run(["why", "100", "--config", config])
        #expect(text.out.contains("VM 100 (running)\n  hostpci0: enp6s0f0 VF 0 (0000:06:10.0)"), "\(text.out)")
        #expect(text.out.contains("[PROBLEM]") && text.out.contains("fix: restart the guest"))
    }

    @Test func aDownPFAndConfigDifferencesAreProblems() throws {
        let box = try CLITests.Sandbox()
        try Self.host(box) { d in
            var pfs = try #require(d["pfs"] as? [[String: Any]])
            pfs[0]["linkUp"] = false
            d["pfs"] = pfs
        }
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\nvm = 100\nvlan = 20\n")
        let all = try findings(try box.run(["why", "100", "--config", config, "--json"]))
        #expect(all.contains { ($0["what"] as? String)?.contains("its PF enp6s0f0 is down") == true }, "\(all)")
        #expect(all.contains { ($0["what"] as? String) == "vlan is 0, the config says 20" }, "\(all)")
    }

    @Test func aBridgedGuestIsToldAboutTheForwardingTableOnlyWithoutSync() throws {
        let box = try CLITests.Sandbox()
        let plain = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n")
        let run = try box.run(["why", "101", "--config", plain, "--json"])
        #expect(run.status == 0, "notes only: \(run.out)")
        #expect(try findings(run).contains { ($0["fix"] as? String)?.contains("sync-bridge-fdb = true on enp6s0f0") == true })
        let synced = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\nsync-bridge-fdb = true\n")
        #expect(try findings(try box.run(["why", "101", "--config", synced, "--json"])).isEmpty)
    }

    @Test func aStartProxmoxWouldRefuseIsSaidInItsWords() throws {
        let box = try CLITests.Sandbox()
        try Self.host(box) { try Self.guest(&$0, 0, "hostpci", ["hostpci0": "mapping=nope"]) }
        let run = try box.run(["why", "100", "--json"])
        #expect(run.status == 1)
        #expect(try findings(run).contains { ($0["what"] as? String)?.contains("PCI device mapping not found for 'nope'") == true })
    }

    @Test(arguments: [(["why", "999"], "VM 999 does not exist"), (["why", "99"], "a Proxmox VM id is 100-999999999")])
    func badInputExits2(_ args: [String], _ words: String) throws {
        let box = try CLITests.Sandbox()
        let run = try box.run(args)
        #expect(run.status == 2 && run.err.contains(words), "\(run.status) \(run.err)")
    }

    @Test func notProxmoxExits2() throws {
        let box = try CLITests.Sandbox()
        box.host = "e810-2port.json"
        let run = try box.run(["why", "100"])
        #expect(run.status == 2 && run.err.contains("needs Proxmox VE"), "\(run.err)")
    }
}
