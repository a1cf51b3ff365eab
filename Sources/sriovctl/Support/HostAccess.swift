import SRIOVCore
import SRIOVHost

#if canImport(Glibc)
import Glibc
#endif

/// Opens the host the global options name: the simulated one, a rooted tree, or the real kernel.
enum HostAccess {
    static func observer(_ options: GlobalOptions) throws -> any HostObserving {
        if let path = options.simulate {
            return try store(options, path).load()
        }
        if options.root != "/" {
            var isDirectory = stat()
            guard stat(options.root, &isDirectory) == 0, (isDirectory.st_mode & S_IFMT) == S_IFDIR else {
                throw CLIError.invalidInput("--root \(options.root): no such directory. Give the top of a captured host tree.")
            }
        }
        return LinuxHost(root: options.root)
    }

    /// Where apply keeps its last result: /run/sriovctl under the root, or beside a simulated host's state.
    static func applyRecords(_ options: GlobalOptions) -> ApplyRecordStore {
        if let path = options.simulate { return ApplyRecordStore(path: store(options, path).statePath + ".last-apply.json") }
        return ApplyRecordStore.forRoot(options.root)
    }

    static func store(_ options: GlobalOptions, _ path: String) -> SimulatedHostStore {
        var environment: [String: String] = [:]
        if let tmp = getenv("TMPDIR") { environment["TMPDIR"] = String(cString: tmp) }
        return SimulatedHostStore(descriptionPath: path, statePath: options.simulateState, environment: environment)
    }
}
