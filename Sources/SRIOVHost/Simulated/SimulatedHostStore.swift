import SRIOVCore
import SystemPackage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Loads a simulated host from its description file and its state file, and saves the state back.
public struct SimulatedHostStore: Sendable {
    public let descriptionPath: String
    public let statePath: String

    /// The state lives beside nothing the user owns: in `directory` (default: $TMPDIR or /tmp),
    /// named after the description file, so each example keeps its own state.
    public init(descriptionPath: String, statePath: String? = nil, environment: [String: String] = [:]) {
        self.descriptionPath = descriptionPath
        if let statePath {
            self.statePath = statePath
        } else {
            let dir = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            let base = descriptionPath.split(separator: "/").last.map(String.init) ?? "host"
            self.statePath = "\(dir)/sriovctl-simulated-\(base).state"
        }
    }

    public func load() throws -> SimulatedHost {
        let description: SimulatedHostDescription
        do {
            let bytes = try OSFile.read(descriptionPath, limit: 4 << 20)
            description = try JSONDecoder().decode(SimulatedHostDescription.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw HostError.unreadable(path: descriptionPath, reason: describe(error))
        } catch let error as Errno {
            throw HostError.unreadable(
                path: descriptionPath,
                reason: error == .fileTooLarge
                    ? "larger than 4 MiB: not a host description"
                    : error == .invalidArgument ? "not a regular file" : error.named)
        } catch {
            throw HostError.unreadable(path: descriptionPath, reason: "the file cannot be read")
        }
        let problems = description.problems()
        guard problems.isEmpty else {
            let shown = problems.prefix(10).joined(separator: "; ") + (problems.count > 10 ? "; and \(problems.count - 10) more" : "")
            throw HostError.unreadable(path: descriptionPath, reason: shown)
        }
        var state: SimulatedHostState?
        do {
            let bytes = try OSFile.read(statePath, limit: Self.maximumStateBytes)
            // sriovctl writes UTF-8 JSON; JSONDecoder would also take UTF-16 or UTF-32.
            guard !bytes.contains(0), String(validatingCString: bytes.map { CChar(bitPattern: $0) } + [0]) != nil,
                bytes.first != 0xEF, bytes.first != 0xFE, bytes.first != 0xFF
            else {
                throw HostError.corruptState(path: statePath, reason: "it is not UTF-8 JSON, as sriovctl writes its state")
            }
            do {
                state = try JSONDecoder().decode(SimulatedHostState.self, from: Data(bytes))
            } catch let error as DecodingError {
                throw HostError.corruptState(path: statePath, reason: "it is not a state sriovctl wrote (\(describe(error).echoed(limit: 200)))")
            } catch {
                throw HostError.corruptState(path: statePath, reason: "it is not a state sriovctl wrote (\(String(describing: error).echoed()))")
            }
            if let problem = state?.problems(for: description).first {
                throw HostError.corruptState(path: statePath, reason: "it is not a state sriovctl wrote: \(problem)")
            }
        } catch Errno.noSuchFileOrDirectory {
            state = nil  // a first run: the host as described
        } catch let error as Errno {
            throw HostError.corruptState(path: statePath, reason: error == .fileTooLarge ? "larger than 16 MiB" : error.named)
        }
        var host = SimulatedHost(description: description, state: state, treeRoot: treeRoot)
        host.store = self
        return host
    }

    /// Writes the state atomically (a temporary file renamed over the old one).
    public func save(_ host: SimulatedHost) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try encoder.encode(host.state).write(to: URL(fileURLWithPath: statePath), options: .atomic)
        } catch {
            throw HostError.unreadable(path: statePath, reason: "cannot write the simulated host's state")
        }
    }

    /// The simulated host's own folder for files (units, hookscripts, /etc edits): beside the state.
    public var treeRoot: String { statePath + ".root" }
    static let maximumStateBytes = 16 << 20

    /// Forgets every change: the next load starts from the description alone.
    public func reset() {
        try? FileManager.default.removeItem(atPath: statePath)
        try? FileManager.default.removeItem(atPath: treeRoot)
    }
}

private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return p.isEmpty ? "the top level" : String(p.drop(while: { $0 == "." }))
    }
    switch error {
    case let .keyNotFound(key, context): return "\(path(context)): missing key \"\(key.stringValue)\""
    case let .typeMismatch(type, context): return "\(path(context)): expected \(type)"
    case let .valueNotFound(type, context): return "\(path(context)): expected \(type), found null"
    case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
    @unknown default: return "not a host description"
    }
}
