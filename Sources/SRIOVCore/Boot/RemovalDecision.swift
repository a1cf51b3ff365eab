/// What removing the Debian package may do to the host (`prerm remove` asks `sriovctl debug
/// package-removal`): never leave VFs that guests need without anything that makes them at boot.
///
/// - `boot enable --take-over` retired another manager: it is put back, so the VFs come back the
///   old way at the next boot.
/// - Otherwise, while `sriovctl.service` is enabled and the config makes VFs, sriovctl is the only
///   thing that makes them: removal is refused with the commands to run first (or to remove
///   anyway), and nothing is changed.
/// - Otherwise removal goes on: hookscripts detached, units stopped and disabled.
public enum RemovalDecision: Equatable, Sendable {
    case proceed(restoreTakeOver: Bool)
    case refuse(String)

    /// The facts the decision needs, read from the host and the config.
    public struct Facts: Equatable, Sendable {
        /// `sriovctl.service` is enabled (it runs at the next boot).
        public var bootUnitEnabled: Bool
        /// Entries in `take-over.json` that `boot disable --restore` can put back.
        public var retiredManagers: Int
        /// The VFs the config makes at boot, per PF as the file names it (`enp1s0: 4`).
        public var madeVFs: [MadeVFs]
        /// The guests the config gives VFs to (`vm =`), and the mappings it fills.
        public var guests: [Int]
        public var mappings: [String]
        /// `--anyway` (SRIOVCTL_REMOVE_ANYWAY=1 in the package's prerm).
        public var anyway: Bool

        public init(
            bootUnitEnabled: Bool, retiredManagers: Int, madeVFs: [MadeVFs], guests: [Int] = [],
            mappings: [String] = [], anyway: Bool = false
        ) {
            self.bootUnitEnabled = bootUnitEnabled
            self.retiredManagers = retiredManagers
            self.madeVFs = madeVFs
            self.guests = guests
            self.mappings = mappings
            self.anyway = anyway
        }
    }

    /// How many VFs the config makes on one PF, named as the file names it.
    public struct MadeVFs: Equatable, Sendable {
        public var pf: String
        public var count: Int
        public init(pf: String, count: Int) {
            self.pf = pf
            self.count = count
        }
    }

    public static func decide(_ facts: Facts) -> RemovalDecision {
        if facts.retiredManagers > 0 { return .proceed(restoreTakeOver: true) }
        let made = facts.madeVFs.filter { $0.count > 0 }
        guard facts.bootUnitEnabled, !made.isEmpty, !facts.anyway else { return .proceed(restoreTakeOver: false) }
        let vfs = made.map { "\($0.count) VF\($0.count == 1 ? "" : "s") of \($0.pf)" }.joined(separator: ", ")
        var users: [String] = []
        if !facts.guests.isEmpty {
            users.append((facts.guests.count == 1 ? "VM " : "VMs ") + facts.guests.map(String.init).joined(separator: ", "))
        }
        if !facts.mappings.isEmpty {
            users.append((facts.mappings.count == 1 ? "mapping " : "mappings ") + facts.mappings.joined(separator: ", "))
        }
        let harm =
            users.isEmpty
            ? "after the next reboot they would not exist"
            : "after the next reboot they would not exist, and what uses them (\(users.joined(separator: "; "))) could not start"
        return .refuse(
            """
            the package was not removed: sriovctl.service makes \(vfs) at every boot, and nothing else does; \(harm).
            Choose one, then remove the package again:
              sriovctl boot disable                            stop making them at boot (after setting up another way)
              SRIOVCTL_REMOVE_ANYWAY=1 apt-get remove sriovctl   remove it anyway; the VFs stay until the next reboot
            (Had `boot enable --take-over` retired a unit of yours, removal would have put it back.)
            """)
    }
}
