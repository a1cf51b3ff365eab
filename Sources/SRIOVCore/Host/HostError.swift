/// Why the host refused or failed an operation, with what a person should do about it.
public enum HostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call on a path or interface failed.
    case system(operation: String, target: String, errno: Int32)
    /// The VF count can only go from non-zero to another non-zero value through 0 (EBUSY).
    case vfCountBusy(pf: String, current: Int, requested: Int)
    /// More VFs than the device offers (ERANGE).
    case vfCountOutOfRange(pf: String, requested: Int, total: Int)
    /// The PF's driver does not implement a VF setting (EOPNOTSUPP).
    case notSupported(pf: String, driver: String, setting: String)
    /// The PF's driver refused a VF setting with an error its source names (EINVAL, EPERM, ...).
    case driverRefused(pf: String, driver: String, setting: String, errno: String, why: String)
    /// The driver enabled fewer VFs than asked, without an error (bnxt_en while the PF is down).
    case fewerVFs(pf: String, requested: Int, enabled: Int, why: String)
    /// A device named on the command line or in a file is not on this host.
    case noSuchDevice(String)
    /// A file describing or capturing a host could not be read.
    case unreadable(path: String, reason: String)
    /// A simulated host's state file that sriovctl cannot use: never silently reset.
    case corruptState(path: String, reason: String)

    public var description: String {
        switch self {
        case let .system(operation, target, errno):
            "\(operation) \(target) failed with errno \(errno)"
        case let .vfCountBusy(pf, current, requested):
            "\(pf): cannot change from \(current) to \(requested) VFs directly (EBUSY); the kernel needs 0 first"
        case let .vfCountOutOfRange(pf, requested, total):
            "\(pf): \(requested) VFs requested but the device offers at most \(total) (ERANGE)"
        case let .notSupported(pf, driver, setting):
            "\(pf): the \(driver) driver does not support setting \(setting) on its VFs (EOPNOTSUPP)"
        case let .driverRefused(pf, driver, setting, errno, why):
            "\(pf): the \(driver) driver refused \(setting) on its VFs (\(errno)): \(why)"
        case let .fewerVFs(pf, requested, enabled, why):
            "\(pf): \(requested) VFs asked, the driver enabled \(enabled) without an error\(why.isEmpty ? "" : ": \(why)")"
        case let .noSuchDevice(name):
            "no such device: \(name)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        case let .corruptState(path, reason):
            "the simulated host's state \(path) cannot be used: \(reason). Nothing was changed; delete it (and \(path).root) to start the simulation over"
        }
    }
}
