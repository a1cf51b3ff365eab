/// The MAC sriovctl gives a VF whose config says `mac = "auto"` (the default).
///
/// Locally administered unicast, derived from the PF's permanent MAC and the VF index only, so it
/// is the same on every run and every boot: `02:p2:p3:p4:p5:ii`, where p2..p5 are the PF's last
/// four bytes (the vendor-assigned, per-port part) and ii the index; indexes above 255 also set
/// bits 2-7 of the first byte. It can never equal a vendor-assigned MAC (the U/L bit differs).
/// Two ports of one card differ in p5, so their VFs differ; uniqueness across the host is still
/// checked before anything is applied.
public enum AutoMAC {
    public static func derive(permanent: MACAddress, index: Int) -> MACAddress {
        let p = permanent.bytes
        let high = UInt8(truncatingIfNeeded: (index >> 8) & 0x3f)
        return MACAddress(bytes: [0x02 | (high << 2), p[2], p[3], p[4], p[5], UInt8(truncatingIfNeeded: index)])!
    }

    /// The largest index the scheme distinguishes.
    public static let maximumIndex = 64 * 256 - 1
}
