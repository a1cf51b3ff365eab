import ArgumentParser
import SRIOVEngine
import Testing

@testable import sriovctl

/// The quick path (QuickInvocation) must mean what ArgumentParser means: every invocation it
/// accepts, ArgumentParser parses to the same command and values; what it declines goes to
/// ArgumentParser unchanged.
@Suite struct QuickInvocationTests {
    /// Words invocations are made of: the grammar's own, and the ones it must decline.
    static let words = [
        "status", "--json", "--root", "--root=/r", "/r", "/", "--config", "--config=c.toml", "c.toml", "--simulate",
        "s.json", "--simulate-state=s.state", "--simulate-state", "eth0", "0000:01:00.0", "--version", "-h", "--help",
        "--", "-", "", "--jso", "a=b", "-x", "plan", "help", "--root=", "---completion",
    ]

    /// What ArgumentParser makes of `arguments`, in the quick path's terms; nil when it refuses
    /// them or makes another command of them.
    static func parsedByArgumentParser(_ arguments: [String]) -> QuickInvocation? {
        do {
            guard let status = try SRIOVCtl.parseAsRoot(arguments) as? Status else { return nil }
            return .status(pfs: status.pfs, json: status.json, host: status.global.host)
        } catch {
            if SRIOVCtl.exitCode(for: error) == .success, SRIOVCtl.fullMessage(for: error) == SRIOVCtlVersion.current {
                return .version
            }
            return nil
        }
    }

    /// Every invocation of up to three words, and longer ones built from them.
    static var invocations: [[String]] {
        var all: [[String]] = [[]]
        var last: [[String]] = [[]]
        for _ in 1...3 {
            last = last.flatMap { prefix in words.map { prefix + [$0] } }
            all += last
        }
        for (i, three) in last.enumerated() where i % 7 == 0 {
            all.append(three + ["status", "--json"])
            all.append(["--root", "/r"] + three)
        }
        return all
    }

    @Test func everyAcceptedInvocationMeansWhatArgumentParserMakesOfIt() {
        var accepted = 0
        for arguments in Self.invocations {
            guard let quick = QuickInvocation(arguments) else { continue }
            accepted += 1
            #expect(Self.parsedByArgumentParser(arguments) == quick, "\(arguments)")
        }
        // Not vacuous: the grammar takes a good share of these.
        #expect(accepted > 500)
    }

    @Test func theInvocationsScriptsRunAreQuick() {
        let host = HostArguments(root: "/r")
        #expect(QuickInvocation(["--version"]) == .version)
        #expect(QuickInvocation(["status"]) == .status(pfs: [], json: false, host: HostArguments()))
        #expect(QuickInvocation(["--root", "/r", "status", "--json"]) == .status(pfs: [], json: true, host: host))
        #expect(QuickInvocation(["status", "eth0", "--root=/r", "eth1"]) == .status(pfs: ["eth0", "eth1"], json: false, host: host))
        #expect(
            QuickInvocation(["--simulate", "s.json", "--simulate-state", "x", "status", "--config", "c"])
                == .status(pfs: [], json: false, host: HostArguments(config: "c", simulate: "s.json", simulateState: "x")))
    }

    @Test func declinesWhatOnlyArgumentParserShouldAnswer() {
        for arguments in [
            ["status", "--help"], ["--help"], ["-h"], ["help", "status"], ["plan"], ["status", "--"], ["--version", "status"],
            ["--json", "status"], ["status", "--root"], ["status", "--root", "--json"], ["--root=", "status"],
            ["--root", "/a", "--root", "/b", "status"], ["--simulate", "s.json", "--root", "/r", "status"],
            ["status", "--json", "--json"], ["status", "-x"], ["---completion", "--", "sriovctl"], [],
        ] {
            #expect(QuickInvocation(arguments) == nil, "\(arguments)")
        }
    }
}
