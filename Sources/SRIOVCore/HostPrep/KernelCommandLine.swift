/// A kernel command line as words, the way the kernel splits it (spaces, with double quotes
/// keeping a value together).
public struct KernelCommandLine: Hashable, Sendable {
    public var words: [String]

    public init(_ text: String) {
        var words: [String] = []
        var current = ""
        var quoted = false
        for c in text {
            if c == "\"" {
                quoted.toggle()
                current.append(c)
                continue
            }
            if (c == " " || c == "\t" || c == "\n") && !quoted {
                if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { words.append(current) }
        self.words = words
    }

    /// The value of `key=value` (last one wins, as in the kernel), `""` for a bare `key`, nil if absent.
    public func value(_ key: String) -> String? {
        for word in words.reversed() {
            if word == key { return "" }
            if word.hasPrefix(key + "=") { return String(word.dropFirst(key.count + 1)) }
        }
        return nil
    }

    public func contains(_ parameter: String) -> Bool {
        guard let eq = parameter.firstIndex(of: "=") else { return value(parameter) != nil }
        return value(String(parameter[..<eq])) == String(parameter[parameter.index(after: eq)...])
    }

    /// The parameters of `wanted` that this line does not already have with that value.
    public func missing(_ wanted: [String]) -> [String] { wanted.filter { !contains($0) } }

    public var text: String { words.joined(separator: " ") }
}

/// The IOMMU parameters a host needs, by CPU vendor.
public enum IOMMUParameters {
    /// Intel needs `intel_iommu=on` on kernels that do not turn it on by default (Proxmox turned
    /// it on by default from its 6.8 kernel; asking for it is harmless everywhere). AMD's IOMMU is
    /// on by default: `amd_iommu=on` is not a real parameter. `iommu=pt` keeps host devices out
    /// of translation, which is faster and what the guides recommend.
    public static func wanted(vendor: CPUVendor) -> [String] {
        switch vendor {
        case .intel: ["intel_iommu=on", "iommu=pt"]
        case .amd, .other: ["iommu=pt"]
        }
    }
}

public enum CPUVendor: String, Sendable, Hashable {
    case intel, amd, other

    /// From /proc/cpuinfo's `vendor_id`.
    public init(vendorID: String?) {
        switch vendorID {
        case "GenuineIntel": self = .intel
        case "AuthenticAMD", "HygonGenuine": self = .amd
        default: self = .other
        }
    }
}

/// A kernel release like `6.12.95+deb12-amd64`, compared by its first two numbers.
public struct KernelRelease: Hashable, Sendable, Comparable {
    public let major: Int
    public let minor: Int

    public init?(_ release: String) {
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        major = numbers[0]
        minor = numbers[1]
    }

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static func < (a: KernelRelease, b: KernelRelease) -> Bool { (a.major, a.minor) < (b.major, b.minor) }

    /// vfio_virqfd was folded into vfio in 6.2; naming it on later kernels fails to load.
    public var vfioModules: [String] {
        self < KernelRelease(major: 6, minor: 2)
            ? ["vfio", "vfio_iommu_type1", "vfio_pci", "vfio_virqfd"]
            : ["vfio", "vfio_iommu_type1", "vfio_pci"]
    }
}
