/// Proxmox VE's cluster-wide PCI resource mappings (/etc/pve/mapping/pci.cfg): a mapping id
/// names, per node, one device or a pool of devices a VM can use through `hostpciN: mapping=ID`.
/// Read as pve-common's `PVE::SectionConfig::parse_config` with pve-guest-common's
/// `PVE::Mapping::PCI` schema reads it (`src/PVE/Mapping/PCI.pm`).
public struct PCIMapping: Hashable, Sendable {
    /// One `map` line: a device (or a multi-function group, `;`-separated) on one node. A node
    /// with several entries has a pool: a starting guest gets the first free one.
    public struct Entry: Hashable, Sendable {
        public var node: String
        /// `vendor:device`, as the `id=` key writes it.
        public var id: String?
        /// `subsystem-id=` (subsystem vendor:device).
        public var subsystemID: String?
        public var iommuGroup: Int?
        /// The device (`;`-separated in the file for several functions given together).
        public var paths: [String]
        /// The `map` value as written, to hand back unchanged when it is kept.
        public var raw: String = ""
        /// Keys of the entry other than node, path, id, subsystem-id, iommugroup (`description`),
        /// as written, kept by a refresh.
        public var otherParts: [String] = []

        public init(
            node: String, id: String?, subsystemID: String? = nil, iommuGroup: Int?, paths: [String], raw: String = "",
            otherParts: [String] = []
        ) {
            self.node = node
            self.id = id
            self.subsystemID = subsystemID
            self.iommuGroup = iommuGroup
            self.paths = paths
            self.raw = raw
            self.otherParts = otherParts
        }
    }

    public var id: String
    public var description: String?
    /// `mdev 1`: the devices provide mediated devices.
    public var mdev: Bool = false
    public var entries: [Entry]

    public init(id: String, description: String? = nil, mdev: Bool = false, entries: [Entry]) {
        self.id = id
        self.description = description
        self.mdev = mdev
        self.entries = entries
    }

    /// A `map` value for one device, as Proxmox's GUI writes it (`id`, `iommugroup`, `node`,
    /// `path`, `subsystem-id`), with `extra` parts of an entry being refreshed kept at the end.
    public static func mapLine(
        vendorDevice: String?, subsystemID: String? = nil, iommuGroup: Int?, node: String, path: PCIAddress, extra: [String] = []
    ) -> String {
        ([
            vendorDevice.map { "id=\($0)" }, iommuGroup.map { "iommugroup=\($0)" }, "node=\(node)", "path=\(path)",
            subsystemID.map { "subsystem-id=\($0)" },
        ] as [String?]).compactMap { $0 }.joined(separator: ",") + extra.map { ",\($0)" }.joined()
    }

    /// The `map` value for a VF as it is now: what Proxmox's `assert_valid` will compare. Ids
    /// come from sysfs (or a host tree): only `hhhh:hhhh` goes into the line, so no value read
    /// there can add a key to it.
    public static func mapLine(for vf: VirtualFunction, of pf: PhysicalFunction, node: String, keep: [String] = []) -> String {
        mapLine(
            vendorDevice: mappedID(pf.vfDeviceID), subsystemID: mappedID(vf.subsystemID), iommuGroup: vf.iommuGroup, node: node,
            path: vf.pci, extra: keep)
    }

    /// An id as a `map` line holds it: `hhhh:hhhh`, lower-case, or none.
    static func mappedID(_ text: String?) -> String? { text.flatMap { isVendorDevice(Substring($0)) ? $0.lowercased() : nil } }

    /// Whether this entry says what `mapLine(for:of:node:)` would write for the VF (order and
    /// parts sriovctl does not own aside).
    public func entry(_ entry: Entry, describes vf: VirtualFunction, of pf: PhysicalFunction) -> Bool {
        entry.paths == [vf.pci.description] && entry.id == Self.mappedID(pf.vfDeviceID) && entry.subsystemID == Self.mappedID(vf.subsystemID)
            && entry.iommuGroup == vf.iommuGroup
    }

    /// Whether this node's entries are exactly one per VF, each saying what sriovctl would write.
    public func describes(_ vfs: [(pf: PhysicalFunction, vf: VirtualFunction)], on node: String) -> Bool {
        let ours = entries(on: node)
        return ours.count == vfs.count
            && vfs.allSatisfy { member in ours.contains { entry($0, describes: member.vf, of: member.pf) } }
    }

    /// The devices this mapping gives on `node`.
    public func paths(on node: String) -> [String] {
        entries.filter { $0.node == node }.flatMap(\.paths)
    }

    /// This node's entries: one per alternative a starting guest may get.
    public func entries(on node: String) -> [Entry] { entries.filter { $0.node == node } }

    /// `$map_fmt`: node, id and path are required; a `map` line Proxmox refuses is skipped.
    public static let mapFormat = PropertyFormat([
        "node": .init(.string, optional: false, pattern: { ProxmoxCommands.isNodeName(String($0)) }),
        "id": .init(.string, optional: false, pattern: isVendorDevice),
        "subsystem-id": .init(.string, pattern: isVendorDevice),
        "path": .init(.string, optional: false, pattern: isPathList),
        "iommugroup": .init(.integer(nil)),
        "description": .init(.string, maxLength: 4096),
    ])

    /// `^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}$`.
    @Sendable public static func isVendorDevice(_ text: Substring) -> Bool {
        let halves = text.split(separator: ":", omittingEmptySubsequences: false)
        return halves.count == 2 && halves.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
    }

    /// `(?:$PCI_RE;)*$PCI_RE` with a domain required: `[a-f0-9]{4,}:[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?`.
    @Sendable static func isPathList(_ text: Substring) -> Bool {
        text.split(separator: ";", omittingEmptySubsequences: false).allSatisfy {
            $0.split(separator: ":").count == 3 && HostPCIReference.isHostID($0)
        }
    }

    /// Parses the file as Proxmox does: a section starts with its id alone on a line (a valid
    /// config id, else the section is skipped), its properties follow on indented lines up to an
    /// empty line; `map` lines that fail `$map_fmt` are skipped, as is a section left without one.
    /// `warnings` gets what Proxmox would log.
    public static func parse(_ text: String, warnings: inout [String]) -> [PCIMapping] {
        var result: [PCIMapping] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var number = 0
        func next() -> Substring? {
            while let line = lines.popFirst() {
                number += 1
                if line.drop(while: \.isPerlSpace).first == "#" { continue }
                return line
            }
            return nil
        }
        while !lines.isEmpty {
            guard let header = next(), !header.isEmpty else { continue }
            var id = header
            while let last = id.last, last.isPerlSpace { id = id.dropLast() }
            guard let first = id.first, !first.isPerlSpace, !id.contains(where: \.isPerlSpace) else {
                warnings.append("file mapping/pci.cfg line \(number) - ignore config line: \(String(header).echoed())")
                continue
            }
            var skip = !ProxmoxCommands.isConfigID(String(id))
            if skip { warnings.append("file mapping/pci.cfg line \(number) (skip section '\(String(id).echoed())'): invalid configuration ID") }
            var mapping = PCIMapping(id: String(id), entries: [])
            var seen: Set<Substring> = []
            while let line = next(), !line.isEmpty {
                if skip { continue }
                guard let (key, value) = property(line) else {
                    warnings.append("file mapping/pci.cfg line \(number) (section '\(id)') - ignore config line: \(String(line).echoed())")
                    continue
                }
                if key != "map", !seen.insert(key).inserted {
                    warnings.append("file mapping/pci.cfg line \(number) (section '\(id)') - unable to parse value of '\(key)': duplicate attribute")
                    continue
                }
                switch key {
                case "description": mapping.description = value.map(String.init)
                case "mdev", "live-migration-capable":
                    guard let v = value.flatMap({ PropertyFormat.boolean(String($0)) }) else {
                        warnings.append("file mapping/pci.cfg line \(number) (section '\(id)') - unable to parse value of '\(key)'")
                        continue
                    }
                    if key == "mdev" { mapping.mdev = v == "1" }
                case "map":
                    switch mapFormat.parse(value ?? "") {
                    case let .success(map):
                        mapping.entries.append(
                            Entry(
                                node: map["node"]!, id: map["id"], subsystemID: map["subsystem-id"],
                                iommuGroup: map["iommugroup"].flatMap { Int($0) }, paths: map["path"]!.split(separator: ";").map(String.init),
                                raw: String(value ?? ""),
                                otherParts: map.parts.filter { !["node", "id", "subsystem-id", "path", "iommugroup"].contains($0.key) }.map(\.text)))
                    case let .failure(error):
                        warnings.append(
                            "file mapping/pci.cfg line \(number) (section '\(id)') - unable to parse value of 'map': \(error.message.echoed(limit: 200))"
                        )
                    }
                default:
                    warnings.append(
                        "file mapping/pci.cfg line \(number) (section '\(id)') - unable to parse value of '\(String(key).echoed())': unknown property"
                    )
                }
            }
            if skip { continue }
            if mapping.entries.isEmpty {
                warnings.append("file mapping/pci.cfg (skip section '\(id)'): missing value for required option 'map'")
                skip = true
                continue
            }
            result.removeAll { $0.id == mapping.id }
            result.append(mapping)
        }
        return result
    }

    public static func parse(_ text: String) -> [PCIMapping] {
        var ignored: [String] = []
        return parse(text, warnings: &ignored)
    }

    /// `^\s+(\S+)(\s+(.*\S))?\s*$`.
    static func property(_ line: Substring) -> (Substring, Substring?)? {
        guard let first = line.first, first.isPerlSpace else { return nil }
        var rest = line.drop(while: \.isPerlSpace)
        while let last = rest.last, last.isPerlSpace { rest = rest.dropLast() }
        guard !rest.isEmpty else { return nil }
        let key = rest.prefix { !$0.isPerlSpace }
        let value = rest.dropFirst(key.count).drop(while: \.isPerlSpace)
        return (key, value.isEmpty ? nil : value)
    }
}
