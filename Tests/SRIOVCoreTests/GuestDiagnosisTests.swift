import SRIOVCore
import Testing

/// `why`'s findings that need counters or a driver's untrusted-VF limits, on a snapshot made here.
@Suite struct GuestDiagnosisTests {
    let pfPCI = PCIAddress(bus: 6, slot: 0, function: 0)
    let vfPCI = PCIAddress(bus: 6, slot: 16, function: 0)

    func input(driver: String, trust: Bool, counters: VFCounters?) -> GuestDiagnosis.Input {
        let vf = VirtualFunction(
            index: 0, pci: vfPCI, driver: "vfio-pci",
            settings: VFSettings(mac: MACAddress("02:00:00:00:00:01"), vlan: 0, spoofCheck: true, trust: trust), counters: counters)
        let pf = PhysicalFunction(
            pci: pfPCI, name: "p0", driver: driver, linkUp: true, adminUp: true, totalVFs: 7, numVFs: 1, vfDeviceID: "8086:1520", vfs: [vf])
        return GuestDiagnosis.Input(
            guest: ProxmoxGuest(vmid: 100, running: true, config: "hostpci0: host=\(vfPCI)\n"), snapshot: HostSnapshot(pfs: [pf]),
            desired: nil, mappings: [], node: "pve",
            devices: PCIDeviceList([PCIDeviceInfo(address: vfPCI, vendor: "8086", device: "1520")]), bridges: nil)
    }

    @Test func anUntrustedVFOnADriverThatLimitsItIsANote() {
        let untrusted = GuestDiagnosis.diagnose(input(driver: "i40e", trust: false, counters: nil))
        #expect(untrusted.devices == ["hostpci0: p0 VF 0 (0000:06:10.0)"])
        #expect(untrusted.findings.map(\.severity) == [.note], "\(untrusted.findings)")
        #expect(untrusted.findings.first?.what.contains("18 MAC filters") == true)
        #expect(GuestDiagnosis.diagnose(input(driver: "i40e", trust: true, counters: nil)).findings.isEmpty)
        #expect(GuestDiagnosis.diagnose(input(driver: "mlx5_core", trust: false, counters: nil)).findings.isEmpty, "no known limit")
    }

    @Test func dropsAreANoteWithTheCounts() {
        let found = GuestDiagnosis.diagnose(input(driver: "ixgbe", trust: true, counters: VFCounters(rxDropped: 12, txDropped: 3))).findings
        #expect(found.count == 1 && found[0].what == "the VF has dropped 12 received and 3 sent packets", "\(found)")
        #expect(GuestDiagnosis.diagnose(input(driver: "ixgbe", trust: true, counters: VFCounters(rxDropped: 0))).findings.isEmpty)
    }
}
