import ArgumentParser
import Netlink
import SRIOVHost

#if canImport(Glibc)
import Glibc
#endif

/// Tools for developers and bug reports; not part of the stable interface.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools: capture what the kernel says, for fixtures and bug reports.",
        shouldDisplay: false,
        subcommands: [CaptureNetlink.self])

    struct CaptureNetlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture-netlink",
            abstract: "Write the raw bytes of one RTM_GETLINK dump (with VF info) to a file.")

        @Argument(help: "Where to write the capture.") var output: String
        @Flag(help: "Ask for VF stats too.") var stats = false

        func run() throws {
            let socket = try RouteSocket()
            let (sequence, datagrams) = try socket.captureDump(withStats: stats)
            let bytes = NetlinkCapture(sequence: sequence, datagrams: datagrams).encoded()
            guard let file = fopen(output, "wb") else {
                throw CLIError.invalidInput("cannot open \(output) for writing")
            }
            defer { fclose(file) }
            guard fwrite(bytes, 1, bytes.count, file) == bytes.count else {
                throw CLIError.hostFailed("cannot write \(output)")
            }
            print("captured \(datagrams.count) datagrams, \(bytes.count) bytes, sequence \(sequence)")
        }
    }
}
