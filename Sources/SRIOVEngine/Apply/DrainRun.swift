import Logging
import SRIOVCore
import SRIOVHost

/// `apply --drain`: the running guests a plan disturbs, shut down cleanly through Proxmox in the
/// reverse of their start order before the VFs change, and started again in their order after
/// (each `up=` delay waited). A guest that does not stop in time aborts the drain before any VF
/// changes: those already stopped are started again. HA-managed guests are refused, never fought.
struct DrainRun {
    let guests: [ProxmoxGuest]
    let options: ApplyRequest.Drain
    private(set) var stopped: [ProxmoxGuest] = []
    private(set) var done: [String] = []

    static func prepare(context: PlanningContext, host: any Host, options: ApplyRequest.Drain) throws -> DrainRun {
        let (guests, others) = DrainOrder.guests(holding: context.inUse, among: host.proxmox.guests())
        if !others.isEmpty {
            throw EngineError.hostFailed(
                "--drain stops Proxmox guests only, and these VFs are held by something else; nothing was changed:\n"
                    + others.map { "  \($0)" }.joined(separator: "\n") + "\nStop what holds them first.")
        }
        let ha = host.proxmox.haManaged().intersection(guests.map(\.vmid)).sorted()
        if !ha.isEmpty {
            let list = ha.map { "VM \($0)" }.joined(separator: ", ")
            throw EngineError.hostFailed(
                "\(list) \(ha.count == 1 ? "is" : "are") managed by Proxmox HA, which would start \(ha.count == 1 ? "it" : "them") again: sriovctl does not fight HA; nothing was changed. "
                    + "Stop through HA first (\(ha.map { "`ha-manager set vm:\($0) --state stopped`" }.joined(separator: ", "))), apply, then set them back to started."
            )
        }
        return DrainRun(guests: guests, options: options)
    }

    private static func label(_ g: ProxmoxGuest) -> String { "VM \(g.vmid)\(g.name.map { " (\($0))" } ?? "")" }

    /// The whole sequence, for `--dry-run`.
    func sequence(changes: Int) -> [String] {
        guests.reversed().map { "shut down \(Self.label($0)): qm shutdown \($0.vmid) --timeout \(options.timeout)" }
            + ["apply \(changes) change\(changes == 1 ? "" : "s")"]
            + guests.map { g in
                "start \(Self.label(g)): qm start \(g.vmid)" + (g.startup?.up.map { ", then wait \($0) s (up=)" } ?? "")
            }
    }

    /// Shuts every guest down, last-started first; on a timeout, starts again those stopped and throws.
    mutating func stop(on host: inout any Host, logger: Logger) throws {
        for guest in guests.reversed() {
            logger.notice("drain: shutting down \(Self.label(guest)) (up to \(options.timeout) s)")
            do {
                try run(["qm", "shutdown", "\(guest.vmid)", "--timeout", "\(options.timeout)"], on: &host)
                stopped.append(guest)
                done.append("shut down \(Self.label(guest))")
            } catch {
                if options.forceStop {
                    logger.warning("drain: \(Self.label(guest)) did not shut down in \(options.timeout) s; --force-stop: stopping it")
                    try run(["qm", "stop", "\(guest.vmid)"], on: &host)
                    stopped.append(guest)
                    done.append("stopped \(Self.label(guest)) (--force-stop)")
                    continue
                }
                let restarted = !stopped.isEmpty
                start(on: &host, logger: logger)
                try? host.save()
                throw EngineError.hostFailed(
                    "\(Self.label(guest)) did not shut down within \(options.timeout) s (\(error)); "
                        + (restarted ? "the guests already stopped were started again; " : "")
                        + "no VF was changed. Shut it down yourself, give it longer (--timeout), or pass --force-stop.")
            }
        }
    }

    /// Starts the stopped guests in their start order, waiting each one's `up=` delay.
    mutating func start(on host: inout any Host, logger: Logger) {
        for guest in DrainOrder.startOrder(stopped) {
            logger.notice("drain: starting \(Self.label(guest))")
            do {
                try run(["qm", "start", "\(guest.vmid)"], on: &host)
                done.append("started \(Self.label(guest))")
            } catch {
                logger.error("drain: could not start \(Self.label(guest)): \(error); start it yourself (`qm start \(guest.vmid)`)")
                done.append("could not start \(Self.label(guest)): \(error)")
            }
            if let up = guest.startup?.up, up > 0, case .machine = host.kind {
                pause(seconds: Double(min(up, 600)))
            }
        }
        stopped = []
    }

    private func run(_ argv: [String], on host: inout any Host) throws {
        _ = try host.perform(.run(argv))
    }
}
