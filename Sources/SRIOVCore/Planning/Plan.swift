/// What `apply` would do, in order. Each step names its PF and says why it is needed.
public struct Plan: Hashable, Sendable {
    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    public var isEmpty: Bool { steps.isEmpty }

    public struct Step: Hashable, Sendable {
        public var pf: PCIAddress
        public var pfName: String
        public var action: Action
        public var reason: String
        /// Also run when an earlier step failed (putting `sriov_drivers_autoprobe` back after
        /// VFs were made without a driver): the host is never left changed by a temporary step.
        public var restoresAfterFailure: Bool

        public init(pf: PCIAddress, pfName: String, action: Action, reason: String, restoresAfterFailure: Bool = false) {
            self.pf = pf
            self.pfName = pfName
            self.action = action
            self.reason = reason
            self.restoresAfterFailure = restoresAfterFailure
        }
    }

    public enum Action: Hashable, Sendable {
        /// `ip link set PF up`: VFs pass no traffic while their PF is down.
        case setLinkUp
        case setMTU(from: Int?, to: Int)
        /// `sriov_drivers_autoprobe`.
        case setAutoprobe(from: Bool?, to: Bool)
        /// `sriov_numvfs`. The kernel refuses a change between two non-zero counts, so such a
        /// change is planned as two steps through 0.
        case setNumVFs(from: Int, to: Int)
        /// Settings of several VFs of the PF, sent together (one RTM_SETLINK).
        case setVFs([VFSettingsChange])
        /// Bind a VF to a driver (`driver_override`, unbind, `drivers_probe`), or unbind it.
        case bindDriver(index: Int, from: String?, to: DriverChoice)
        /// Unbind and probe again, so a host driver takes a MAC set through the PF.
        case reprobe(index: Int, driver: String)
        /// Proxmox VE: `qm set VM --hostpciN host=VF[,pcie=1]` or `mapping=ID` (and `--delete` the old slot).
        /// `edit` is set when the line exists and only options change: its other options are kept.
        case assignToVM(index: Int, vm: Int, slot: Int, pcie: Bool, oldSlot: Int?, mapping: String? = nil, edit: GuestLineEdit? = nil)
        /// Proxmox VE: this node's entries of a cluster PCI mapping, from the VFs' live addresses and
        /// IOMMU groups read when the step runs (`pvesh create|set /cluster/mapping/pci`).
        case syncMapping(id: String, node: String, members: [MappingMember], otherNodes: [String], exists: Bool)
        /// `sync-bridge-fdb`: MACs behind the bridge over the PF added to (and MACs sriovctl added
        /// before removed from) the PF's own forwarding table, over rtnetlink.
        case syncForwardingTable(ForwardingSync)
    }
}

/// The settings to change on one VF: only the fields that change are set in `to`.
public struct VFSettingsChange: Hashable, Sendable {
    public var index: Int
    public var from: VFSettings
    public var to: VFSettings

    public init(index: Int, from: VFSettings, to: VFSettings) {
        self.index = index
        self.from = from
        self.to = to
    }

    /// The fields this change sets.
    public var fields: [VFField] { VFField.allCases.filter { $0.isSet(in: to) } }

    /// The change split into what the kernel sets in one call each (a VLAN with its QoS and
    /// protocol, a rate pair, each other setting alone): for naming exactly what a driver refused.
    public var kernelCalls: [(name: String, settings: VFSettings)] {
        var done: Set<VFField> = []
        var calls: [(String, VFSettings)] = []
        for field in fields where !done.contains(field) {
            var part = VFSettings()
            let members = field.group.filter { $0.isSet(in: to) }
            for member in members {
                member.copy(from: to, into: &part)
                done.insert(member)
            }
            calls.append((members.map(\.configKey).joined(separator: "/"), part))
        }
        return calls
    }
}

extension Plan.Action {
    /// The VF indexes whose device this action unbinds or destroys; nil means every existing VF.
    public var disruptedVFs: [Int]? {
        switch self {
        case let .setNumVFs(from, _) where from > 0: nil
        case let .bindDriver(index, _, _), let .reprobe(index, _): [index]
        default: []
        }
    }
}

/// One VF of a mapping pool, named by its PF and index (its address is read when the step runs).
/// A hostpci line sriovctl changes rather than writes anew: the options it keeps as written
/// (`rombar=0`, `x-vga=1`, `romfile=...`), what `pcie` was, and whether the guest runs (the
/// change then waits in `[PENDING]` for its next start).
public struct GuestLineEdit: Hashable, Sendable {
    public var kept: [String]
    public var pcieBefore: Bool
    public var guestRunning: Bool

    public init(kept: [String], pcieBefore: Bool, guestRunning: Bool) {
        self.kept = kept
        self.pcieBefore = pcieBefore
        self.guestRunning = guestRunning
    }
}

public struct MappingMember: Hashable, Sendable {
    public var pf: PCIAddress
    public var index: Int
    /// Parts of the entry now naming this VF that sriovctl does not own (`description=...`),
    /// written back unchanged.
    public var keep: [String]

    public init(pf: PCIAddress, index: Int, keep: [String] = []) {
        self.pf = pf
        self.index = index
        self.keep = keep
    }
}
