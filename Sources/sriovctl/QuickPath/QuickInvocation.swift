import SRIOVEngine

/// The invocations run most often (`--version`, and `status` from scripts and monitoring),
/// recognized from a closed grammar without ArgumentParser, whose reflection over the command
/// tree costs more CPU than the command itself (docs/development.md, "Start-up"). Anything the
/// grammar does not know exactly (help, another command, an unknown or repeated option, an empty
/// value, `--`) is declined and goes to ArgumentParser, so its messages stay the only ones.
/// QuickInvocationTests parses every invocation the grammar accepts with ArgumentParser too and
/// requires the same values.
enum QuickInvocation: Equatable {
    case version
    case status(pfs: [String], json: Bool, host: HostArguments)

    /// The invocation `arguments` (without the program name) makes, or nil to leave it to ArgumentParser.
    init?(_ arguments: [String]) {
        if arguments == ["--version"] {
            self = .version
            return
        }
        var host = HostArguments()
        var given: [String] = []
        var command: String?
        var pfs: [String] = []
        var json = false
        var words = arguments.makeIterator()
        while let word = words.next() {
            guard word.hasPrefix("-") else {
                if command == nil {
                    guard word == "status" else { return nil }
                    command = word
                } else {
                    pfs.append(word)
                }
                continue
            }
            if command != nil && word == "--json" && !json {
                json = true
                continue
            }
            let (name, inline) = Self.split(word)
            guard !given.contains(name), let value = inline ?? words.next(), !value.isEmpty, !value.hasPrefix("-"),
                host.set(name, to: value)
            else { return nil }
            given.append(name)
        }
        guard command != nil, host.conflict == nil else { return nil }
        self = .status(pfs: pfs, json: json, host: host)
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
        }
    }
}
