/// Proxmox VE's cluster-wide PCI resource mappings (/etc/pve/mapping/pci.cfg): a mapping id
/// names, per node, one device or a pool of devices a VM can use through `hostpciN: mapping=ID`.
public struct PCIMapping: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var node: String
        /// `vendor:device`, as the `id=` key writes it.
        public var id: String?
        public var iommuGroup: Int?
        /// The device, or the pool of devices (`;`-separated in the file).
        public var paths: [String]
        /// The `map` value as written, to hand back unchanged when another node's entry is kept.
        public var raw: String = ""
    }

    /// A `map` value for one device, as Proxmox writes it.
    public static func mapLine(vendorDevice: String?, iommuGroup: Int?, node: String, path: PCIAddress) -> String {
        ([vendorDevice.map { "id=\($0)" }, iommuGroup.map { "iommugroup=\($0)" }, "node=\(node)", "path=\(path)"] as [String?])
            .compactMap { $0 }.joined(separator: ",")
    }

    public var id: String
    public var description: String?
    public var entries: [Entry]

    /// The devices this mapping gives on `node`.
    public func paths(on node: String) -> [String] {
        entries.filter { $0.node == node }.flatMap(\.paths)
    }

    /// Parses the file: a section per mapping (its id at the start of a line), then tab- or
    /// space-indented `key value` lines; `map` lines hold `key=value` pairs separated by commas.
    public static func parse(_ text: String) -> [PCIMapping] {
        var result: [PCIMapping] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.trimmingSpaces().isEmpty || line.hasPrefix("#") { continue }
            if let first = line.first, first != " " && first != "\t" {
                result.append(PCIMapping(id: line.trimmingSpaces(), description: nil, entries: []))
                continue
            }
            guard !result.isEmpty else { continue }
            let body = line.trimmingSpaces()
            let parts = body.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "description":
                result[result.count - 1].description = parts[1]
            case "map":
                var fields: [String: String] = [:]
                for pair in parts[1].split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
                }
                guard let node = fields["node"], let path = fields["path"] else { continue }
                result[result.count - 1].entries.append(
                    Entry(
                        node: node, id: fields["id"], iommuGroup: fields["iommugroup"].flatMap { Int($0) },
                        paths: path.split(separator: ";").map(String.init), raw: parts[1]))
            default:
                continue
            }
        }
        return result
    }
}
