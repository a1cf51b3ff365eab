import Netlink
import SRIOVCore

/// The host as Linux holds it: sysfs for devices and drivers, rtnetlink for VF settings.
/// With a root other than `/`, sysfs is read from that tree and link facts from a captured dump
/// at `ROOT/run/sriovctl/netlink-dump.bin` when it exists.
public struct LinuxHost: HostObserving {
    public let fs: RootedFileSystem
    let links: (any LinkSource)?
    /// Runs programs on the real machine (`qm`, `pvesh`, `modprobe`, `systemctl`, ...).
    var runner: any CommandRunning = SystemCommandRunner()
    /// Under a root no program runs: each is recorded here instead.
    let recorder: CommandRecorder?

    /// Where a captured tree keeps its netlink dump, relative to its root.
    public static let capturedDumpPath = "/run/sriovctl/netlink-dump.bin"
    /// And its forwarding-table dump (`bridge fdb show`'s request).
    public static let capturedForwardingDumpPath = "/run/sriovctl/fdb-dump.bin"

    public init(root: String = "/") {
        fs = RootedFileSystem(root: root)
        recorder = fs.isRooted ? CommandRecorder(fs: fs) : nil
        if fs.root == "/" {
            links = KernelLinkSource()
        } else if fs.exists(Self.capturedDumpPath) {
            links = CapturedLinkSource(fs: fs, path: Self.capturedDumpPath)
        } else {
            links = nil
        }
    }

    /// A host on `fs` with its link facts from `links`. Programs are recorded under a root, unless
    /// a `runner` is given: then they go to it (tests hand it a stand-in).
    public init(fs: RootedFileSystem, links: (any LinkSource)?, runner: (any CommandRunning)? = nil) {
        self.fs = fs
        self.links = links
        if let runner {
            self.runner = runner
            recorder = nil
        } else {
            recorder = fs.isRooted ? CommandRecorder(fs: fs) : nil
        }
    }

    public func snapshot(withCounters: Bool) throws -> HostSnapshot {
        let found = PCIDiscovery(fs: fs).physicalFunctions()
        // One dump for every PF (and, with counters, every VF netdev), and none at all on a host
        // without SR-IOV devices.
        let byName: [String: LinkInfo]
        if found.contains(where: { $0.netdev != nil || withCounters }), let links {
            byName = Dictionary(
                try links.links(withStats: withCounters).compactMap { l in l.name.map { ($0, l) } },
                uniquingKeysWith: { a, _ in a })
        } else {
            byName = [:]
        }
        let snapshot = HostSnapshot(pfs: found.map { merge($0, byName, withCounters: withCounters) })
        try fs.escapes.check()
        return snapshot
    }

    private func merge(_ pf: SysfsPF, _ byName: [String: LinkInfo], withCounters: Bool) -> PhysicalFunction {
        let link = pf.netdev.flatMap { byName[$0] }
        let vfInfo = Dictionary((link?.vfs ?? []).map { (Int($0.vf), $0) }, uniquingKeysWith: { a, _ in a })
        let vfs = pf.vfs.map { vf -> VirtualFunction in
            var vf = vf
            if let info = vfInfo[vf.index] {
                vf.settings = VFSettings(info)
                if withCounters { vf.counters = info.stats.map(VFCounters.init) }
            }
            if withCounters, let netdev = vf.netdev, let stats = byName[netdev]?.stats {
                vf.netdevCounters = VFCounters(stats)
            }
            return vf
        }
        return PhysicalFunction(
            pci: pf.pci, name: pf.netdev, driver: pf.driver,
            mac: link?.address.flatMap(MACAddress.init(bytes:)) ?? pf.mac,
            permanentMAC: link?.permanentAddress.flatMap(MACAddress.init(bytes:)),
            linkUp: link?.operstate.map { $0 == LinkInfo.operUp } ?? pf.operstate.map { $0 == "up" },
            adminUp: link.map { $0.flags & LinkInfo.flagUp != 0 } ?? pf.flags.map { $0 & 1 != 0 },
            mtu: link?.mtu.map(Int.init) ?? pf.mtu,
            totalVFs: pf.totalVFs, numVFs: pf.numVFs, autoprobe: pf.autoprobe, vfDeviceID: pf.vfDeviceID,
            vfs: vfs)
    }
}

extension VFCounters {
    /// What the PF counts for one VF (`IFLA_VF_STATS`).
    init(_ s: VFStats) {
        self.init(
            rxPackets: s.rxPackets, txPackets: s.txPackets, rxBytes: s.rxBytes, txBytes: s.txBytes,
            broadcast: s.broadcast, multicast: s.multicast, rxDropped: s.rxDropped, txDropped: s.txDropped)
    }

    /// What a VF's own netdev counts (`IFLA_STATS64`); it does not count broadcasts apart.
    init(_ s: LinkStats) {
        self.init(
            rxPackets: s.rxPackets, txPackets: s.txPackets, rxBytes: s.rxBytes, txBytes: s.txBytes,
            broadcast: nil, multicast: s.multicast, rxDropped: s.rxDropped, txDropped: s.txDropped)
    }
}
