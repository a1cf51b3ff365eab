import SRIOVCore
import SystemPackage

/// Reads the config file from disk and hands its text to the pure reader.
public enum ConfigFile {
    /// A config is a small text file: more than this is not one.
    public static let maximumBytes = 1 << 20

    /// The config at `path` (a path on this machine), checked. A missing, unreadable, oversized or
    /// special file is a `ConfigError` too: it is bad input, and nothing on the host changes.
    public static func load(_ path: String) throws(ConfigError) -> SRIOVConfig {
        func problem(_ message: String) -> ConfigError {
            ConfigError([ConfigDiagnostic(ConfigLocation(file: path.isEmpty ? "--config" : path, keyPath: "", position: nil), message)])
        }
        guard !path.isEmpty else { throw problem("the config path is empty; name a file, or leave --config out for /etc/sriovctl/sriovctl.toml") }
        guard !path.contains(where: { $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false }) else {
            throw problem("the path has control characters; name the file plainly")
        }
        let bytes: [UInt8]
        do {
            bytes = try OSFile.read(path, limit: maximumBytes)
        } catch {
            switch error {
            case .noSuchFileOrDirectory:
                throw problem(
                    "the config file does not exist. `sriovctl init` writes one from the host as it is (every key: `man sriovctl.toml`), or name another with --config"
                )
            case .isDirectory: throw problem("this is a folder, not a config file; name the .toml file in it")
            case .invalidArgument: throw problem("this is not a regular file (a FIFO, socket or device); name the .toml file itself")
            case .fileTooLarge: throw problem("the file is larger than 1 MiB; a config is a few kilobytes: is this the right file?")
            case .permissionDenied, .notPermitted: throw problem("the config file cannot be read (permission denied): run as root")
            case .tooManySymbolicLinkLevels: throw problem("the path goes round in a loop of symbolic links")
            default: throw problem("the config file cannot be read: \(error.named)")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = SourcePosition.firstInvalidUTF8(in: bytes)
            throw ConfigError([
                ConfigDiagnostic(
                    ConfigLocation(file: path, keyPath: "", position: bad.map(\.position)),
                    "byte \(bad.map { "0x" + String($0.byte, radix: 16) } ?? "?") is not UTF-8: the config must be UTF-8 text (an editor's \"save as UTF-8\" fixes it)"
                )
            ])
        }
        return try ConfigReader.read(text, path: path)
    }
}
