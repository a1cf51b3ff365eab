import SRIOVCore

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
            let data = try Data(contentsOf: URL(fileURLWithPath: descriptionPath))
            description = try JSONDecoder().decode(SimulatedHostDescription.self, from: data)
        } catch let error as DecodingError {
            throw HostError.unreadable(path: descriptionPath, reason: describe(error))
        } catch {
            throw HostError.unreadable(path: descriptionPath, reason: "the file cannot be read")
        }
        for pf in description.pfs {
            guard PCIAddress(pf.pci) != nil else {
                throw HostError.unreadable(path: descriptionPath, reason: "\(pf.pci) is not a PCI address like 0000:06:00.0")
            }
            guard MACAddress(pf.permanentMac) != nil else {
                throw HostError.unreadable(path: descriptionPath, reason: "\(pf.permanentMac) is not a MAC address")
            }
        }
        var state: SimulatedHostState?
        if let data = try? Data(contentsOf: URL(fileURLWithPath: statePath)) {
            state = try? JSONDecoder().decode(SimulatedHostState.self, from: data)
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
    case let .dataCorrupted(context): return "\(path(context)): not valid JSON (\(context.debugDescription))"
    @unknown default: return "not a host description"
    }
}
