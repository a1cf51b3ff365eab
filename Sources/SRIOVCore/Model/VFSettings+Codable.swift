/// VF settings as JSON: the simulated host's state file. MACs are strings; absent keys are nil.
extension VFSettings: Codable {
    enum CodingKeys: String, CodingKey {
        case mac, vlan, qos, vlanProtocol, spoofCheck, trust, linkState, minTxRate, maxTxRate, rssQuery
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let macText = try c.decodeIfPresent(String.self, forKey: .mac)
        let mac = macText.flatMap(MACAddress.init)
        if let macText, mac == nil {
            throw DecodingError.dataCorruptedError(forKey: .mac, in: c, debugDescription: "\(macText.echoed(limit: 40)) is not a MAC address")
        }
        self.init(
            mac: mac,
            vlan: try c.decodeIfPresent(Int.self, forKey: .vlan),
            qos: try c.decodeIfPresent(Int.self, forKey: .qos),
            vlanProtocol: try c.decodeIfPresent(VLANProtocol.self, forKey: .vlanProtocol),
            spoofCheck: try c.decodeIfPresent(Bool.self, forKey: .spoofCheck),
            trust: try c.decodeIfPresent(Bool.self, forKey: .trust),
            linkState: try c.decodeIfPresent(LinkState.self, forKey: .linkState),
            minTxRate: try c.decodeIfPresent(Int.self, forKey: .minTxRate),
            maxTxRate: try c.decodeIfPresent(Int.self, forKey: .maxTxRate),
            rssQuery: try c.decodeIfPresent(Bool.self, forKey: .rssQuery))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(mac?.description, forKey: .mac)
        try c.encodeIfPresent(vlan, forKey: .vlan)
        try c.encodeIfPresent(qos, forKey: .qos)
        try c.encodeIfPresent(vlanProtocol, forKey: .vlanProtocol)
        try c.encodeIfPresent(spoofCheck, forKey: .spoofCheck)
        try c.encodeIfPresent(trust, forKey: .trust)
        try c.encodeIfPresent(linkState, forKey: .linkState)
        try c.encodeIfPresent(minTxRate, forKey: .minTxRate)
        try c.encodeIfPresent(maxTxRate, forKey: .maxTxRate)
        try c.encodeIfPresent(rssQuery, forKey: .rssQuery)
    }
}
