extension Doctor {
    /// One PF with `sync-bridge-fdb`, as `check` found it.
    public struct ForwardingFact: Hashable, Sendable {
        public var pf: String
        /// The plan to bring its table in step; nil when the network could not be read.
        public var sync: ForwardingSync?
        /// Why the network could not be read.
        public var problem: String?

        public init(pf: String, sync: ForwardingSync?, problem: String? = nil) {
            self.pf = pf
            self.sync = sync
            self.problem = problem
        }
    }

    /// A line per PF with `sync-bridge-fdb`: on a bridge or not, and whether its table is in step.
    public static func bridgeFDB(_ facts: [ForwardingFact]) -> [CheckResult] {
        facts.map { f in
            let id = "bridge-fdb-\(f.pf)"
            let title = "\(f.pf) forwarding table (sync-bridge-fdb)"
            guard let sync = f.sync else {
                return CheckResult(
                    id, title, .warn, "the bridges could not be read: \(f.problem ?? "unknown error")", fix: "run `sriovctl check` as root")
            }
            if sync.bridges.isEmpty {
                return CheckResult(
                    id, title, .warn,
                    "\(f.pf) is not a port of a bridge (directly, through a bond or through a VLAN on it): there is nothing to sync",
                    fix: "add \(f.pf) to the bridge's ports (bridge-ports in /etc/network/interfaces), or remove sync-bridge-fdb")
            }
            let bridges = sync.bridges.joined(separator: ", ")
            if sync.overflow > 0 {
                return CheckResult(
                    id, title, .warn,
                    "\(sync.overflow) MACs behind \(bridges) are past the \(ForwardingSync.maximumEntries) sriovctl keeps in \(f.pf)'s table: VF guests cannot reach them",
                    fix: "give those guests VFs, or split them over bridges on other ports")
            }
            if !sync.add.isEmpty {
                let first = sync.add.prefix(3).map { "\($0.mac) (\($0.location))" }.joined(separator: ", ")
                return CheckResult(
                    id, title, .warn,
                    "\(sync.add.count) MAC\(sync.add.count == 1 ? "" : "s") behind \(bridges) \(sync.add.count == 1 ? "is" : "are") not in \(f.pf)'s own table, so VF guests cannot reach \(sync.add.count == 1 ? "it" : "them"): \(first)",
                    fix: "`sriovctl apply`; keep `sriovctl watch` running (`sriovctl boot enable` installs it) so new guests are added as they appear"
                )
            }
            return CheckResult(id, title, .ok, "every MAC behind \(bridges) is in \(f.pf)'s own table")
        }
    }
}
