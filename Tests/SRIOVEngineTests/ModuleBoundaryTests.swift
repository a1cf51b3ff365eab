import Foundation
import Testing

/// The layers of DESIGN.md, read from the sources' own import lines: the engine reaches the OS
/// only through SRIOVHost, and the command line only through the engine.
@Suite struct ModuleBoundaryTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every module each Swift file of `target` imports, by file name.
    static func imports(of target: String) throws -> [String: Set<String>] {
        let folder = sources.appendingPathComponent(target)
        var result: [String: Set<String>] = [:]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let modules = text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
                guard words.count >= 2, words[0] == "import" else { return nil }
                return String(words[1])
            }
            result[String(file.path.dropFirst(folder.path.count + 1))] = Set(modules)
        }
        return result
    }

    @Test func theCoreImportsNoAdapterAndNoOS() throws {
        let files = try Self.imports(of: "SRIOVCore")
        #expect(files.count > 50)
        for (file, modules) in files {
            #expect(modules.isSubset(of: ["Synchronization"]), "SRIOVCore/\(file) imports \(modules.sorted())")
        }
    }

    @Test func theEngineImportsNeitherNetlinkNorTheCLibrary() throws {
        let files = try Self.imports(of: "SRIOVEngine")
        #expect(files.count > 20)
        for (file, modules) in files {
            let forbidden = modules.intersection(["Netlink", "Glibc", "Musl", "Foundation", "SystemPackage"])
            // Foundation only where FoundationEssentials is missing (it re-exports the C library).
            let guarded = forbidden == ["Foundation"] && modules.contains("FoundationEssentials")
            #expect(forbidden.isEmpty || guarded, "SRIOVEngine/\(file) imports \(forbidden.sorted())")
        }
    }

    /// Full Foundation brings FoundationInternationalization and ICU into the static binary
    /// (111 MB against 62 MB unstripped, 24 MB stripped) and thousands of protocol conformances
    /// the runtime scans at start-up: the shipped binary's modules take FoundationEssentials,
    /// and Foundation only where FoundationEssentials is missing.
    @Test(arguments: ["SRIOVCore", "Netlink", "SRIOVHost", "SRIOVEngine", "MetricsServer", "sriovctl"])
    func theBinaryTakesFoundationEssentialsNotFoundation(_ target: String) throws {
        for (file, modules) in try Self.imports(of: target) where modules.contains("Foundation") {
            #expect(modules.contains("FoundationEssentials"), "\(target)/\(file) imports Foundation without preferring FoundationEssentials")
        }
    }

    @Test func theCommandLineImportsNoHostAndNoCLibraryOutsideItsEntryPoint() throws {
        let files = try Self.imports(of: "sriovctl")
        #expect(files["Entrypoint.swift"] != nil)
        for (file, modules) in files {
            #expect(
                modules.isDisjoint(with: ["SRIOVHost", "Netlink", "SystemPackage", "Foundation"]), "sriovctl/\(file) imports \(modules.sorted())")
            if file != "Entrypoint.swift" {
                #expect(modules.isDisjoint(with: ["Glibc", "Musl"]), "sriovctl/\(file) imports the C library")
            }
        }
    }
}
