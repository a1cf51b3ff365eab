import SRIOVCore
import SRIOVEngine

/// The invocations run most often, recognized from a closed grammar without ArgumentParser,
/// whose reflection over the command tree costs more CPU than the command itself and, on a cold
/// start at boot, pages in much of the binary (docs/development.md, "Start-up"): `--version`,
/// `status` (scripts, monitoring) and `apply` as the boot unit and the Proxmox hookscript run it
/// (`apply --boot --wait N --config F`, `apply --guest VMID --phase P`). Anything the grammar
/// does not know exactly (help, another command, an unknown or repeated option, an empty value,
/// `--`, values that do not go together) is declined and goes to ArgumentParser, so its
/// messages stay the only ones. QuickInvocationTests parses every invocation the grammar
/// accepts with ArgumentParser too and requires the same values.
enum QuickInvocation: Equatable {
    case version
    case status(pfs: [String], json: Bool, host: HostArguments)
    case apply(ApplyArguments, host: HostArguments)

    /// The commands the grammar knows, with their flags and options.
    private enum Command: String {
        case status, apply

        var flags: [String] { self == .status ? ["--json"] : ["--json", "--force", "--boot"] }
        var options: [String] { self == .status ? [] : ["--wait", "--guest", "--phase"] }
        var takesWords: Bool { self == .status }
    }

    /// The invocation `arguments` (without the program name) makes, or nil to leave it to ArgumentParser.
    init?(_ arguments: [String]) {
        if arguments == ["--version"] {
            self = .version
            return
        }
        var host = HostArguments()
        var command: Command?
        var given: [String] = []  // flags and options seen: each at most once
        var values: [String: String] = [:]
        var words: [String] = []
        var input = arguments.makeIterator()
        while let word = input.next() {
            guard word.hasPrefix("-") else {
                if let command {
                    guard command.takesWords else { return nil }
                    words.append(word)
                } else {
                    guard let named = Command(rawValue: word) else { return nil }
                    command = named
                }
                continue
            }
            let (name, inline) = Self.split(word)
            guard !given.contains(name) else { return nil }
            given.append(name)
            if let command, command.flags.contains(word) { continue }
            guard let value = inline ?? input.next(), !value.isEmpty, !value.hasPrefix("-") else { return nil }
            if let command, command.options.contains(name) {
                values[name] = value
            } else if !host.set(name, to: value) {
                return nil
            }
        }
        guard host.conflict == nil else { return nil }
        switch command {
        case .status: self = .status(pfs: words, json: given.contains("--json"), host: host)
        case .apply:
            var apply = ApplyArguments(json: given.contains("--json"), force: given.contains("--force"), boot: given.contains("--boot"))
            if let wait = values["--wait"] {
                guard let seconds = Int(wait) else { return nil }
                apply.wait = seconds
            }
            if let guest = values["--guest"] {
                guard let vmid = Int(guest) else { return nil }
                apply.guest = vmid
            }
            if let phase = values["--phase"] {
                guard let named = GuestPhase(rawValue: phase) else { return nil }
                apply.phase = named
            }
            guard apply.problem == nil else { return nil }
            self = .apply(apply, host: host)
        case nil: return nil
        }
    }

    /// `--name=value` as its name and value; any other word as itself, without a value.
    private static func split(_ word: String) -> (name: String, value: String?) {
        guard let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// Runs it as ArgumentParser's command would; failures are thrown as the command's are.
    func run() throws {
        switch self {
        case .version: print(SRIOVCtlVersion.current)
        case .status(let pfs, let json, let host): try Status.show(pfs, json: json, on: host.selection)
        case .apply(let apply, let host): try apply.run(on: host.selection)
        }
    }
}
