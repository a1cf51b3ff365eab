/// The Proxmox VE guest hookscript: at pre-start it re-asserts the settings of the VFs the guest
/// gets, so a FreeBSD/pfSense guest always boots with its configured MAC, VLAN and trust, even
/// after something changed them behind sriovctl's back. With `sync-bridge-fdb`, it also puts the
/// guest's network-device MACs in the PF's forwarding table at pre-start and takes them out at post-stop.
///
/// A guest has one hookscript (`hookscript:` in its config). When a guest already had its own,
/// sriovctl chains it: this script runs the guest's own one first, with the same arguments, and
/// keeps its exit status (a failing pre-start still stops the start, as it did); `hookscript
/// remove` gives the guest its own one back. When the sriovctl binary or its config is gone (the
/// package removed), the script lets the guest start and says so in Proxmox's task log.
public enum Hookscript {
    public static let fileName = "sriovctl-hook.sh"

    /// `chained`: each guest's own hookscript, as a path on this host, by VMID.
    public static func text(binary: String, config: String, chained: [Int: String] = [:]) -> String {
        let cases = chained.sorted { $0.key < $1.key }.map { "    \($0.key)) own='\($0.value)' ;;" }.joined(separator: "\n")
        return """
            #!/bin/sh
            # Proxmox VE guest hookscript, installed by `sriovctl hookscript install`; `sriovctl hookscript
            # remove` detaches it (and gives guests their own hookscript back).
            # Called as: HOOK VMID PHASE. At pre-start it re-asserts the MAC, VLAN, trust and spoof
            # check of the VFs \(config) gives to this VM; at pre-start and post-stop it keeps the
            # forwarding tables of PFs with sync-bridge-fdb in step with this VM's network devices.
            vmid="$1"
            phase="$2"
            own=''
            case "$vmid" in
            \(cases)
                *) ;;
            esac
            status=0
            # The guest's own hookscript first, as Proxmox would have run it.
            if [ -n "$own" ]; then
                "$own" "$@" || status=$?
                if [ "$status" -ne 0 ] && [ "$phase" = pre-start ]; then exit "$status"; fi
            fi
            case "$phase" in pre-start | post-stop) ;; *) exit "$status" ;; esac
            if [ ! -x \(binary) ] || [ ! -f \(config) ]; then
                echo "sriovctl hookscript: \(binary) or \(config) is missing (sriovctl removed?): VM $vmid's VF settings were not re-asserted; \\
            detach this script with: qm set $vmid --delete hookscript" >&2
                exit "$status"
            fi
            \(binary) apply --guest "$vmid" --phase "$phase" --config \(config) || exit $?
            exit "$status"

            """
    }
}

/// What `hookscript install` attached, kept in `/var/lib/sriovctl/hookscript.json`, so that
/// `hookscript remove` detaches exactly that and gives each guest its own hookscript back.
public struct HookscriptRecord: Codable, Hashable, Sendable {
    public struct Chained: Codable, Hashable, Sendable {
        /// The guest's own hookscript volume (`local:snippets/reset-gpu.pl`), put back on remove.
        public var volume: String
        /// Its path on this host, run by sriovctl's script.
        public var path: String

        public init(volume: String, path: String) {
            self.volume = volume
            self.path = path
        }
    }

    /// sriovctl's script as a volume (`local:snippets/sriovctl-hook.sh`) and as a path.
    public var volume: String
    public var path: String
    /// Guests whose own hookscript sriovctl's script runs, by VMID.
    public var chained: [String: Chained]

    public init(volume: String, path: String, chained: [String: Chained] = [:]) {
        self.volume = volume
        self.path = path
        self.chained = chained
    }

    public static let path = "/var/lib/sriovctl/hookscript.json"

    /// A hookscript volume Proxmox accepts and a script may name: `STORAGE:snippets/FILE`.
    public static func isVolume(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, ProxmoxCommands.isPlainName(String(parts[0])), parts[1].hasPrefix("snippets/") else { return false }
        let file = parts[1].dropFirst("snippets/".count)
        return !file.isEmpty && file != "." && file != ".." && file.count <= 255
            && file.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.+@".contains($0)) }
    }

    /// Checks a record read back from disk: volumes and paths a script may name, VMIDs Proxmox
    /// accepts. Nil when it is sound, else what is wrong.
    public func problem() -> String? {
        guard Self.isVolume(volume), BootUnits.isPlainPath(path) else { return "its own script is not a snippets volume and plain path" }
        for (vmid, own) in chained {
            guard let n = Int(vmid), (100...999_999_999).contains(n), String(n) == vmid else { return "\(vmid.echoed()) is not a VMID" }
            guard Self.isVolume(own.volume), BootUnits.isPlainPath(own.path) else {
                return "VM \(vmid)'s own hookscript is not a snippets volume and plain path"
            }
        }
        return nil
    }
}
