import Netlink
import NetlinkTestSupport
import SRIOVCore

#if canImport(Glibc)
    import Glibc
#endif

/// Prints sriovctl's speed figures. Run it built for release:
///     swift run -c release sriovctl-bench
/// Figures, not pass/fail: the numbers go into notes and the README.
@main
struct Bench {
    static func main() throws {
        try decodeFigures(vfs: 256, stats: true)
        try decodeFigures(vfs: 256, stats: false)
        try decodeFigures(vfs: 7, stats: false)
        try plannerFigures(pfs: 16, vfs: 256)
    }

    /// Reads a config for `pfs` PFs with `vfs` VFs each (every VF with its own settings), resolves
    /// it on a host whose VFs all differ, and plans: the whole pure path of `plan`.
    static func plannerFigures(pfs: Int, vfs: Int) throws {
        var toml = ""
        var host: [PhysicalFunction] = []
        for p in 0..<pfs {
            let pci = PCIAddress(domain: 0, bus: UInt8(0x10 + p), slot: 0, function: 0)
            toml += "[[pf]]\npci = \"\(pci)\"\nnum-vfs = \(vfs)\n[pf.defaults]\ndriver = \"vfio-pci\"\n"
            for v in 0..<vfs {
                toml += "[[pf.vf]]\nindex = \(v)\nvlan = \(1 + v % 4000)\ntrust = \(v % 2 == 0)\n"
            }
            host.append(
                PhysicalFunction(
                    pci: pci, name: "ens\(p)f0", driver: "ice", permanentMAC: MACAddress(bytes: [0xb4, 0x96, 0x91, 0, UInt8(p), 0]),
                    linkUp: true, adminUp: true, mtu: 1500, totalVFs: 256, numVFs: vfs, autoprobe: true,
                    vfs: (0..<vfs).map { v in
                        VirtualFunction(
                            index: v, pci: PCIAddress(domain: 0, bus: UInt8(0x10 + p), slot: UInt8(1 + v / 8), function: UInt8(v % 8)),
                            iommuGroup: p * 1000 + v, driver: "iavf", settings: .freshlyCreated)
                    }))
        }
        let snapshot = HostSnapshot(pfs: host)
        var samples: [Double] = []
        var steps = 0
        for _ in 0..<7 {
            let start = now()
            let config = try ConfigReader.read(toml, path: "bench.toml")
            let desired = try DesiredHost.resolve(config, on: snapshot)
            let plan = Planner.plan(desired)
            samples.append(now() - start)
            steps = plan.steps.count
        }
        samples.sort()
        print(
            "plan \(pfs) PFs x \(vfs) VFs (config \(toml.utf8.count / 1024) KiB, \(steps) steps): median \(format(samples[3] * 1e3)) ms "
                + "for read + resolve + plan (min \(format(samples[0] * 1e3)), max \(format(samples[6] * 1e3)); 7 runs)")
    }

    /// Decodes one kernel-shaped RTM_NEWLINK reply for a PF with `vfs` VFs, many times.
    static func decodeFigures(vfs count: Int, stats: Bool) throws {
        let builder = KernelReplyBuilder()
        let vfs = (0..<count).map { KernelReplyBuilder.sampleVF(UInt32($0), stats: stats) }
        let reply = builder.newLink(index: 5, name: "ens1f0", vfs: vfs, flags: 0)
        var samples: [Double] = []
        for _ in 0..<15 {
            let rounds = 50
            let start = now()
            for _ in 0..<rounds {
                let links = try decodeLinkReply([reply], sequence: builder.sequence)
                precondition(links.first?.vfs?.count == count)
            }
            samples.append((now() - start) / Double(rounds))
        }
        samples.sort()
        let median = samples[samples.count / 2]
        print(
            "decode \(count) VFs\(stats ? " with stats" : ""): \(reply.count) bytes, median \(format(median * 1e6)) µs per reply "
                + "(min \(format(samples.first! * 1e6)), max \(format(samples.last! * 1e6)); 15 samples of 50)")
    }

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return String(rounded)
    }
}
