import Netlink
import NetlinkTestSupport

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
        print("decode \(count) VFs\(stats ? " with stats" : ""): \(reply.count) bytes, median \(format(median * 1e6)) µs per reply "
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
