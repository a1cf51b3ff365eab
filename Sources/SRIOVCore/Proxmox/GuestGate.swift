/// The pre-start gate's one line: why a guest's VFs are not as configured, and what to do, for
/// Proxmox's task log (the hookscript's non-zero exit refuses the start).
public enum GuestGate {
    public static func refusal(vmid: Int, report: ApplyReport) -> String? {
        guard !report.succeeded else { return nil }
        let hard = report.mismatches.filter { !$0.unverifiable }
        let reason: String
        let fix: String
        if let missing = hard.first(where: { $0.field == "device" && $0.vf != nil }) {
            reason = "\(missing.pf) VF \(missing.vf!) does not exist"
            fix = "run `sriovctl apply` on the host (it makes the VFs), then start the VM"
        } else if let failure = report.failure {
            reason = "sriovctl could not set its VF: \(failure.error.split(separator: "\n").first ?? "")"
            fix = "see `sriovctl why \(vmid)` and `journalctl -t sriovctl`, fix the config or the host, then start the VM"
        } else if let m = hard.first {
            reason = "\(m.pf)\(m.vf.map { " VF \($0)" } ?? "") \(m.field) is \(m.found), the config says \(m.wanted)"
            fix = "see `sriovctl why \(vmid)`, then start the VM"
        } else {
            return nil
        }
        return "VM \(vmid) will not start: \(reason); \(fix)"
    }
}
