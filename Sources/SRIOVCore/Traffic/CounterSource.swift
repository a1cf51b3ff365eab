/// Where a VF's traffic figures come from.
public enum CounterSource: String, Sendable, Hashable {
    /// The PF's per-VF counters (`IFLA_VF_STATS`): they see a VF passed through to a guest.
    case vf
    /// The VF's own network interface, when it is bound to a host driver (igbvf, iavf, mlx5_core).
    case netdev
}

/// Whether a PF driver keeps per-VF counters. The kernel sends `IFLA_VF_STATS` for every VF, and
/// fills zeros when the driver has no `ndo_get_vf_stats`: an idle VF and a driver without counters
/// look the same, so the answer comes from what each driver is known to do.
public enum PerVFCounterSupport: Sendable, Equatable {
    case kept
    case notKept
    case unknown

    /// Drivers without a profile that implement ndo_get_vf_stats: Mellanox ConnectX-3, Cavium LiquidIO.
    static let keeping: Set<String> = ["mlx4_core", "liquidio"]

    /// From the driver's profile (its kernel source: igb keeps none, and the lab shows all zeros
    /// under traffic; i40e, ice, mlx5 keep them); a driver whose answer depends on the kernel
    /// (ixgbe gained ixgbe_ndo_get_vf_stats only in recent kernels) is unknown until its counters move.
    public init(driver: String?) {
        guard let driver else {
            self = .unknown
            return
        }
        if let known = DriverProfile.of(driver: driver).perVFCounters {
            self = known.value ? .kept : .notKept
        } else if Self.keeping.contains(driver) {
            self = .kept
        } else {
            self = .unknown
        }
    }
}

/// A VF's counters with where they came from, or why there are none.
public struct ChosenCounters: Hashable, Sendable {
    public var source: CounterSource?
    public var counters: VFCounters?
    /// Why there are no figures (`source` nil), or what to keep in mind about them.
    public var note: String?

    public init(source: CounterSource?, counters: VFCounters?, note: String?) {
        self.source = source
        self.counters = counters
        self.note = note
    }

    /// The honest figures for one VF: per-VF counters where the driver keeps them, else the VF's
    /// own netdev's, else none with the reason: never the kernel's zeros for a driver that keeps nothing.
    public static func choose(pf: PhysicalFunction, vf: VirtualFunction) -> ChosenCounters {
        let support = PerVFCounterSupport(driver: pf.driver)
        let driver = pf.driver ?? "its driver"
        if let counters = vf.counters {
            switch support {
            case .kept:
                return ChosenCounters(source: .vf, counters: counters, note: nil)
            case .unknown where !counters.isAllZero:
                return ChosenCounters(source: .vf, counters: counters, note: nil)
            default:
                break
            }
        }
        if let own = vf.netdevCounters {
            return ChosenCounters(source: .netdev, counters: own, note: nil)
        }
        let note: String
        switch support {
        case .notKept:
            note = "\(driver) has no per-VF counters"
        case .unknown where vf.counters != nil:
            note = "per-VF counters are all zero: \(driver) may not keep them"
        case _ where pf.name == nil:
            note = "the PF has no network interface to ask"
        default:
            note = "\(driver) reports no per-VF counters"
        }
        let bound = vf.driver.map { $0 == "vfio-pci" ? "; watch it inside the guest" : "" } ?? ""
        return ChosenCounters(source: nil, counters: nil, note: note + bound)
    }
}
