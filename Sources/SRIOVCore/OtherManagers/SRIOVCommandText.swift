/// What a command line (a unit's ExecStart, an interfaces `post-up`, a udev RUN) sets on VFs:
/// writes to `sriov_numvfs` and `ip link set DEV vf N ...`. Read, never run.
enum SRIOVCommandText {
    nonisolated(unsafe) static let numVFsWrite = try! Regex(#"(\d+)["']?\s*>+\s*["']?(\S*sriov_numvfs)"#)
    nonisolated(unsafe) static let vfSetting = try! Regex(
        #"ip\s+link\s+set\s+(?:dev\s+)?([^\s;&|'"]+)\s+vf\s+(\d+)((?:\s+(?:mac|vlan|qos|proto|spoofchk|trust|state|rate|min_tx_rate|max_tx_rate|query_rss)\s+[^\s;&|'"]+)+)"#
    )

    /// Each setting in words; empty when the text sets nothing on VFs.
    static func settings(in text: String) -> [String] {
        var found: [String] = []
        for match in text.matches(of: numVFsWrite) {
            let count = match.output[1].substring.map(String.init) ?? "?"
            let path = match.output[2].substring.map(String.init) ?? ""
            found.append("\(count) VFs on \(device(inPath: path))")
        }
        for match in text.matches(of: vfSetting) {
            let dev = match.output[1].substring.map(String.init) ?? "?"
            let vf = match.output[2].substring.map(String.init) ?? "?"
            let words = (match.output[3].substring.map(String.init) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            var pairs: [String] = []
            var i = 0
            while i + 1 < words.count {
                pairs.append("\(name(of: words[i])) \(words[i + 1])")
                i += 2
            }
            found.append("VF \(vf)'s \(pairs.joined(separator: ", ")) on \(dev)")
        }
        if found.isEmpty && text.contains("sriov_numvfs") { found.append("writes sriov_numvfs") }
        return found.map { $0.echoed(limit: 120) }
    }

    /// The interface or PCI address a sysfs path names (absolute or relative to /sys).
    static func device(inPath path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        if let net = parts.firstIndex(of: "net"), net + 1 < parts.count { return parts[net + 1] }
        if let devices = parts.firstIndex(of: "devices"), devices + 1 < parts.count { return parts[devices + 1] }
        return path
    }

    static func name(of word: String) -> String {
        switch word {
        case "mac": "MAC"
        case "vlan": "VLAN"
        case "qos": "QoS"
        case "spoofchk": "spoof check"
        case "state": "link state"
        default: word
        }
    }
}
