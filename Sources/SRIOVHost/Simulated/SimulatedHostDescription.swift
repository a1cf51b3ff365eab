import SRIOVCore

/// The file `--simulate FILE` reads: the hardware of a host that is not there. JSON, for example
/// `examples/i350-t4-homelab.json`. What changes at run time lives in the state file instead.
public struct SimulatedHostDescription: Codable, Sendable {
    public var pfs: [PF]
    /// Proxmox VE on the simulated host: its node, guests and cluster mappings (nil: not Proxmox).
    public var proxmox: Proxmox?
    /// What `check` finds besides the devices (nil: a host prepared for SR-IOV passthrough).
    public var machine: Machine?
    /// Bridges, bonds, taps and veths, and what the bridges have learned (for `sync-bridge-fdb`).
    public var network: Network?

    public init(pfs: [PF], proxmox: Proxmox? = nil, machine: Machine? = nil, network: Network? = nil) {
        self.pfs = pfs
        self.proxmox = proxmox
        self.machine = machine
        self.network = network
    }

    /// The links besides the PFs (a PF is a link by its name; list it to make it a port) and the
    /// bridges' forwarding tables.
    public struct Network: Codable, Sendable {
        public var links: [Link]
        public var fdb: [FDB]?

        public init(links: [Link], fdb: [FDB]? = nil) {
            self.links = links
            self.fdb = fdb
        }

        public struct Link: Codable, Sendable {
            public var name: String
            /// "bridge", "bond", "vlan", "veth", "tun"; none for a hardware port (a PF).
            public var kind: String?
            /// The bridge or bond it is a port of.
            public var master: String?
            /// The link a VLAN sits on.
            public var parent: String?
            public var mac: String?
            /// How many MACs its own table takes before it refuses one (a NIC's filter); no limit when absent.
            public var ownTableSize: Int?
            /// MACs already in its own table (`bridge fdb add MAC dev LINK self`, by someone else).
            public var ownTable: [String]?

            public init(
                name: String, kind: String? = nil, master: String? = nil, parent: String? = nil, mac: String? = nil,
                ownTableSize: Int? = nil
            ) {
                self.name = name
                self.kind = kind
                self.master = master
                self.parent = parent
                self.mac = mac
                self.ownTableSize = ownTableSize
            }
        }

        /// One entry of a bridge's table: `mac` on port `dev` of bridge `master`.
        public struct FDB: Codable, Sendable {
            public var mac: String
            public var dev: String
            public var master: String
            public var vlan: Int?
            /// "learned" (the default), "static" or "permanent".
            public var state: String?

            public init(mac: String, dev: String, master: String, vlan: Int? = nil, state: String? = nil) {
                self.mac = mac
                self.dev = dev
                self.master = master
                self.vlan = vlan
                self.state = state
            }
        }
    }

    public struct Proxmox: Codable, Sendable {
        public var node: String
        public var guests: [Guest]
        public var mappings: [Mapping]?
        /// Guests managed by Proxmox HA (`/etc/pve/ha/resources.cfg`: `vm: VMID`).
        public var haManaged: [Int]?

        public init(node: String, guests: [Guest], mappings: [Mapping]? = nil) {
            self.node = node
            self.guests = guests
            self.mappings = mappings
        }
    }

    /// A VM: `hostpci` holds its config's lines by key (`"hostpci0": "host=0000:06:10.0,pcie=1"`).
    public struct Guest: Codable, Sendable {
        public var vmid: Int
        public var name: String?
        public var running: Bool?
        public var hostpci: [String: String]?
        /// Network devices by key (`net0`: `virtio=BC:24:11:00:00:01,bridge=vmbr0`).
        public var net: [String: String]?
        /// Other lines of its config by key: `machine`, `template`, `hookscript`, `startup`.
        public var options: [String: String]?
        /// How the simulated guest answers `qm shutdown`: stopped after this many seconds (at
        /// once when absent); -1 never (it ignores the ACPI request).
        public var shutdownSeconds: Int?

        public init(
            vmid: Int, name: String? = nil, running: Bool? = nil, hostpci: [String: String]? = nil, net: [String: String]? = nil
        ) {
            self.vmid = vmid
            self.name = name
            self.running = running
            self.hostpci = hostpci
            self.net = net
        }
    }

    /// A cluster PCI mapping: its id and `map` values as /etc/pve/mapping/pci.cfg writes them.
    public struct Mapping: Codable, Sendable, Equatable {
        public var id: String
        public var description: String?
        public var map: [String]

        public init(id: String, description: String? = nil, map: [String]) {
            self.id = id
            self.description = description
            self.map = map
        }
    }

    /// The machine's CPU, kernel and boot set-up, as `check` would find them.
    public struct Machine: Codable, Sendable {
        public var cpuVendor: String?
        public var cpuFlags: [String]?
        public var kernelRelease: String?
        public var cmdline: String?
        public var bootloader: String?
        public var loadedModules: [String]?
        public var iommuGroups: Int?
        public var kernelLog: [String]?
        /// Programs that fail on this host, with what they print on stderr (`update-initramfs`:
        /// `E: /boot is full`): for trying how sriovctl reports a failed step.
        public var failingPrograms: [String: String]?

        public init(
            cpuVendor: String? = nil, cpuFlags: [String]? = nil, kernelRelease: String? = nil, cmdline: String? = nil,
            bootloader: String? = nil, loadedModules: [String]? = nil, iommuGroups: Int? = nil, kernelLog: [String]? = nil,
            failingPrograms: [String: String]? = nil
        ) {
            self.cpuVendor = cpuVendor
            self.cpuFlags = cpuFlags
            self.kernelRelease = kernelRelease
            self.cmdline = cmdline
            self.bootloader = bootloader
            self.loadedModules = loadedModules
            self.iommuGroups = iommuGroups
            self.kernelLog = kernelLog
            self.failingPrograms = failingPrograms
        }
    }

    public struct PF: Codable, Sendable {
        /// The PF's interface name; nil for a PF without a netdev.
        public var name: String?
        public var pci: String
        /// The PF driver (igb, ixgbe, i40e, ice, mlx5_core).
        public var driver: String
        /// The driver the kernel binds to new VFs (igbvf, iavf, mlx5_core).
        public var vfDriver: String
        public var permanentMac: String
        public var totalVfs: Int
        /// `vendor:device` of the VFs, as lspci -n prints it.
        public var vfDevice: String
        /// `subsystem_vendor:subsystem_device` of the VFs (what a Proxmox mapping's `subsystem-id`
        /// must say); nil for VFs without subsystem ids.
        public var vfSubsystem: String?
        /// The PF's own device id (four hex digits), for lookups of the PF itself.
        public var pfDevice: String?
        /// First VF routing id and the step between VFs (SR-IOV capability's offset and stride).
        public var vfOffset: Int
        public var vfStride: Int
        public var mtu: Int?
        public var linkUp: Bool?
        /// First IOMMU group number given to this PF's VFs.
        public var iommuGroupBase: Int?
        /// VF settings the driver refuses with EOPNOTSUPP (`linkState`, `minTxRate`, `trust`, ...).
        public var unsupported: [String]?
        /// Whether the driver keeps per-VF counters (igb does not).
        public var perVfCounters: Bool?
        /// VFs that already exist when the simulation starts (as if created at boot), fresh and
        /// bound to `vfDriver`.
        public var initialVfs: Int?
        /// Simulated traffic: what the busiest VF moves; others move a share of it, some nothing.
        public var traffic: Traffic?

        public init(
            name: String?, pci: String, driver: String, vfDriver: String, permanentMac: String, totalVfs: Int,
            vfDevice: String, vfOffset: Int, vfStride: Int, mtu: Int? = nil, linkUp: Bool? = nil,
            iommuGroupBase: Int? = nil, unsupported: [String]? = nil, perVfCounters: Bool? = nil, initialVfs: Int? = nil,
            traffic: Traffic? = nil
        ) {
            self.name = name
            self.pci = pci
            self.driver = driver
            self.vfDriver = vfDriver
            self.permanentMac = permanentMac
            self.totalVfs = totalVfs
            self.vfDevice = vfDevice
            self.vfOffset = vfOffset
            self.vfStride = vfStride
            self.mtu = mtu
            self.linkUp = linkUp
            self.iommuGroupBase = iommuGroupBase
            self.unsupported = unsupported
            self.perVfCounters = perVfCounters
            self.initialVfs = initialVfs
            self.traffic = traffic
        }
    }

    /// Steady traffic per VF, in bytes per second, from the VF's side.
    public struct Traffic: Codable, Sendable {
        public var rxBytesPerSecond: Double
        public var txBytesPerSecond: Double
        /// Average packet size, for the packet counts.
        public var bytesPerPacket: Double

        public init(rxBytesPerSecond: Double, txBytesPerSecond: Double, bytesPerPacket: Double) {
            self.rxBytesPerSecond = rxBytesPerSecond
            self.txBytesPerSecond = txBytesPerSecond
            self.bytesPerPacket = bytesPerPacket
        }
    }
}

extension SimulatedHostDescription.PF {
    /// The PCI address of VF `index`: the PF's routing id plus offset and stride, as the kernel does.
    func vfAddress(_ index: Int, pf: PCIAddress) -> PCIAddress {
        let rid = Int(pf.bus) << 8 | Int(pf.slot) << 3 | Int(pf.function)
        let vf = rid + vfOffset + vfStride * index
        return PCIAddress(
            domain: pf.domain, bus: UInt8((vf >> 8) & 0xff), slot: UInt8((vf >> 3) & 0x1f),
            function: UInt8(vf & 0x7))
    }
}
