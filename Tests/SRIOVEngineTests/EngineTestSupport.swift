import Foundation
import SRIOVEngine
import SRIOVHost
import TestSupport

extension TemporaryTree {
    /// The tree as a host: `--root`.
    var selection: HostSelection { HostSelection(root: root.path) }

    /// The programs recorded under this root, one argv each, oldest first.
    func recordedPrograms() throws -> [[String]] {
        guard let text = read("run/sriovctl/commands.log") else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }
}

/// A simulated host from a description written by the test, with its state in a temporary folder.
final class SimulatedSandbox {
    let dir: URL
    let descriptionPath: String

    init(_ description: SimulatedHostDescription) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-engine-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        descriptionPath = dir.appendingPathComponent("host.json").path
        try JSONEncoder().encode(description).write(to: URL(fileURLWithPath: descriptionPath))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var statePath: String { dir.appendingPathComponent("host.state").path }
    var selection: HostSelection { HostSelection(simulate: descriptionPath, simulateState: statePath) }
    func host() throws -> SimulatedHost { try SimulatedHostStore(descriptionPath: descriptionPath, statePath: statePath).load() }
}

extension SimulatedHostDescription.PF {
    /// An i350 port: igb, 7 VFs.
    static func igb(_ name: String, pci: String, mac: String, vfs: Int = 0) -> Self {
        .init(
            name: name, pci: pci, driver: "igb", vfDriver: "igbvf", permanentMac: mac, totalVfs: 7, vfDevice: "8086:1520",
            vfOffset: 128, vfStride: 4, iommuGroupBase: 20, initialVfs: vfs)
    }
}
