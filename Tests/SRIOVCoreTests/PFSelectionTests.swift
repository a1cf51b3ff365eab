import SRIOVCore
import Testing

@Suite struct PFSelectionTests {
    let host = HostSnapshot(pfs: [
        PhysicalFunction(
            pci: PCIAddress("0000:06:00.1")!, name: "enp6s0f1", permanentMAC: MACAddress("a0:36:9f:00:00:02"),
            totalVFs: 7, numVFs: 0),
        PhysicalFunction(
            pci: PCIAddress("0000:06:00.0")!, name: "enp6s0f0", permanentMAC: MACAddress("a0:36:9f:00:00:01"),
            totalVFs: 7, numVFs: 2),
        PhysicalFunction(pci: PCIAddress("0000:81:00.0")!, name: nil, totalVFs: 64, numVFs: 0),
    ])

    @Test func snapshotIsInPCIOrder() {
        #expect(host.pfs.map(\.pci.description) == ["0000:06:00.0", "0000:06:00.1", "0000:81:00.0"])
    }

    @Test(arguments: [
        ("enp6s0f1", "0000:06:00.1"), ("0000:06:00.0", "0000:06:00.0"), ("81:00.0", "0000:81:00.0"),
        ("a0:36:9f:00:00:02", "0000:06:00.1"),
    ])
    func selectsBy(selector: String, pci: String) throws {
        let selected = try host.select([PFSelector(selector)])
        #expect(selected.map(\.pci.description) == [pci])
    }

    @Test func noSelectorsMeansAll() throws {
        #expect(try host.select([]).count == 3)
    }

    @Test func unknownNamesAreListedWithWhatExists() {
        #expect(throws: UnknownPFError.self) { try host.select([PFSelector("enp6s0f0"), PFSelector("eth9")]) }
        do {
            _ = try host.select([PFSelector("eth9")])
        } catch {
            let text = "\(error)"
            #expect(text.contains("eth9"))
            #expect(text.contains("enp6s0f0 (0000:06:00.0)"))
            #expect(text.contains("0000:81:00.0"))
            #expect(!text.contains("eth9,"))
        }
    }
}
