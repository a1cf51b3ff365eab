import ArgumentParser
import SRIOVEngine
import TestSupport
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
    /// And apply's: the boot unit's and the hookscript's invocations, and values that do not go together.
    static let applyWords = [
        "apply", "--boot", "--wait", "60", "--wait=0", "3601", "--guest", "100", "--guest=99", "--phase", "pre-start",
        "post-stop", "--phase=post-stop", "--force", "--json", "--drain", "--dry-run", "--timeout", "--config", "c.toml",
        "--root", "/r", "-5", "x",
    ]

    /// What ArgumentParser makes of `arguments`, in the quick path's terms; nil when it refuses
    /// them or makes another command of them.
    static func parsedByArgumentParser(_ arguments: [String]) -> QuickInvocation? {
        do {
            switch try SRIOVCtl.parseAsRoot(arguments) {
            case let status as Status: return .status(pfs: status.pfs, json: status.json, host: status.global.host)
            case let apply as ApplyCommand: return .apply(apply.arguments, host: apply.global.host)
            default: return nil
            }
        } catch {
            if SRIOVCtl.exitCode(for: error) == .success, SRIOVCtl.fullMessage(for: error) == SRIOVCtlVersion.current {
                return .version
            }
            return nil
        }
    }

    /// Every invocation of up to three words, longer ones built from them, and seeded random ones
    /// of up to eight words (the boot unit's has six).
    static func invocations(of words: [String], random: Int) -> [[String]] {
        var all: [[String]] = [[]]
        var last: [[String]] = [[]]
        for _ in 1...3 {
            last = last.flatMap { prefix in words.map { prefix + [$0] } }
            all += last
        }
        for (i, three) in last.enumerated() where i % 7 == 0 {
            all.append(three + [words[0], "--json"])
            all.append(["--root", "/r"] + three)
        }
        var generator = SplitMix(seed: 24)
        for _ in 0..<random {
            let count = Int(generator.next() % 8) + 1
            all.append((0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] })
        }
        return all
    }

    @Test(arguments: [("status", words), ("apply", applyWords)])
    func everyAcceptedInvocationMeansWhatArgumentParserMakesOfIt(command: String, words: [String]) {
        var accepted = 0
        for arguments in Self.invocations(of: words, random: 20_000) {
            guard let quick = QuickInvocation(arguments) else { continue }
            accepted += 1
            #expect(Self.parsedByArgumentParser(arguments) == quick, "\(arguments)")
        }
        // Not vacuous: the grammar takes a good share of these.
        #expect(accepted > 150, "\(command): \(accepted)")
    }

    @Test func theInvocationsScriptsRunAreQuick() {
        let host = HostArguments(root: "/r")
        #expect(QuickInvocation(["--version"]) == .version)
        #expect(QuickInvocation(["status"]) == .status(pfs: [], json: false, host: HostArguments()))
        #expect(QuickInvocation(["--root", "/r", "status", "--json"]) == .status(pfs: [], json: true, host: host))
        #expect(QuickInvocation(["status", "eth0", "--root=/r", "eth1"]) == .status(pfs: ["eth0", "eth1"], json: false, host: host))
        #expect(
            QuickInvocation(["apply", "--boot", "--wait", "60", "--config", "/etc/sriovctl/sriovctl.toml"])
                == .apply(ApplyArguments(boot: true, wait: 60), host: HostArguments(config: "/etc/sriovctl/sriovctl.toml")))
        #expect(
            QuickInvocation(["apply", "--guest", "100", "--phase", "post-stop"])
                == .apply(ApplyArguments(guest: 100, phase: .postStop), host: HostArguments()))
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
            ["apply", "--drain"], ["apply", "--wait", "3601"], ["apply", "--phase", "post-stop"], ["apply", "--guest", "99"],
            ["apply", "x"], ["apply", "--boot", "--help"], ["--boot", "apply"], ["apply", "--wait", "soon"],
        ] {
            #expect(QuickInvocation(arguments) == nil, "\(arguments)")
        }
    }
}
