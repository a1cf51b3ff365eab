import SRIOVCore

/// Reads the config file from disk and hands its text to the pure reader.
public enum ConfigFile {
    /// The config at `path` (a path on this machine), checked. A missing or unreadable file is a
    /// `ConfigError` too: it is bad input, and nothing on the host changes.
    public static func load(_ path: String) throws(ConfigError) -> SRIOVConfig {
        let fs = RootedFileSystem(root: "/")
        guard let bytes = fs.readBytes(path) else {
            let reason = fs.exists(path) ? "cannot be read (permissions?)" : "does not exist"
            throw ConfigError([
                ConfigDiagnostic(
                    ConfigLocation(file: path, keyPath: "", position: nil),
                    "the config file \(reason). Write one (see examples/sriovctl.toml, or `sriovctl plan --help`), or name another with --config")
            ])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError([ConfigDiagnostic(ConfigLocation(file: path, keyPath: "", position: nil), "the file is not UTF-8 text")])
        }
        return try ConfigReader.read(text, path: path)
    }
}
