import Netlink

#if canImport(Glibc)
    import Glibc
#endif

/// What the engine asks of this process and this machine's file system outside a host: the
/// working directory, its environment, whether a folder is there, and the netlink requests sent so far.
public enum ProcessFacts {
    /// The working directory; "/" when it cannot be read.
    public static func workingDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(cString: buffer)
    }

    /// Whether `path` on this machine is a directory (links followed).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether anything is at `path` on this machine, a link itself included (not followed).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The environment variable `name`; nil when unset.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// This machine's host name.
    public static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Netlink requests this process has sent (the benchmark's `SRIOVCTL_NETLINK_STATS`).
    public static var netlinkRequestsSent: Int { RouteSocket.requestsSentByProcess }
}

extension ProcessFacts {
    /// Seconds since this process started (the kernel's start time in /proc/self/stat against
    /// /proc/uptime; 10 ms steps), nil when either cannot be read.
    public static func secondsSinceStart() -> Double? {
        guard let stat = try? OSFile.read("/proc/self/stat", limit: 4096), let up = try? OSFile.read("/proc/uptime", limit: 256) else {
            return nil
        }
        // The fields after the command name, which is in parentheses and may hold spaces.
        let text = String(decoding: stat, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // starttime is field 22 of the line; fields here start at field 3.
        guard fields.count > 19, let ticks = Double(fields[19]),
            let uptime = String(decoding: up, as: UTF8.self).split(separator: " ").first.flatMap({ Double($0) })
        else { return nil }
        let hertz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return hertz > 0 ? max(0, uptime - ticks / hertz) : nil
    }
}
