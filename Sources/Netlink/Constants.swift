// Numeric values from the kernel's uapi headers (linux/netlink.h, linux/rtnetlink.h,
// linux/if_link.h). They are ABI: they never change once released.

/// `nlmsg_type` values this package sends or understands.
public enum MessageType {
    public static let noop: UInt16 = 1  // NLMSG_NOOP
    public static let error: UInt16 = 2  // NLMSG_ERROR
    public static let done: UInt16 = 3  // NLMSG_DONE
    public static let newLink: UInt16 = 16  // RTM_NEWLINK
    public static let getLink: UInt16 = 18  // RTM_GETLINK
    public static let setLink: UInt16 = 19  // RTM_SETLINK
    public static let newNeighbour: UInt16 = 28  // RTM_NEWNEIGH
    public static let deleteNeighbour: UInt16 = 29  // RTM_DELNEIGH
    public static let getNeighbour: UInt16 = 30  // RTM_GETNEIGH
}

/// `nlmsg_flags` bits.
public enum MessageFlags {
    public static let request: UInt16 = 0x01  // NLM_F_REQUEST
    public static let multi: UInt16 = 0x02  // NLM_F_MULTI
    public static let ack: UInt16 = 0x04  // NLM_F_ACK
    public static let dump: UInt16 = 0x300  // NLM_F_ROOT | NLM_F_MATCH
    /// On an NLMSG_ERROR: the original request is not echoed back.
    public static let capped: UInt16 = 0x100  // NLM_F_CAPPED
    /// On an NLMSG_ERROR: extended-ack attributes follow.
    public static let ackTLVs: UInt16 = 0x200  // NLM_F_ACK_TLVS
    /// On a new-object request: replace an existing one.
    public static let replace: UInt16 = 0x100  // NLM_F_REPLACE
    /// On a new-object request: create it if it does not exist.
    public static let create: UInt16 = 0x400  // NLM_F_CREATE
}

/// `IFLA_*` link attributes.
public enum LinkAttribute {
    public static let address: UInt16 = 1  // IFLA_ADDRESS
    public static let broadcast: UInt16 = 2  // IFLA_BROADCAST
    public static let ifname: UInt16 = 3  // IFLA_IFNAME
    public static let mtu: UInt16 = 4  // IFLA_MTU
    public static let link: UInt16 = 5  // IFLA_LINK: the parent of a VLAN or macvlan
    public static let master: UInt16 = 10  // IFLA_MASTER: the bridge or bond this link is a port of
    public static let linkInfo: UInt16 = 18  // IFLA_LINKINFO (nested)
    public static let operstate: UInt16 = 16  // IFLA_OPERSTATE
    public static let stats64: UInt16 = 23  // IFLA_STATS64
    public static let numVF: UInt16 = 21  // IFLA_NUM_VF
    public static let vfInfoList: UInt16 = 22  // IFLA_VFINFO_LIST
    public static let extMask: UInt16 = 29  // IFLA_EXT_MASK
    public static let permAddress: UInt16 = 54  // IFLA_PERM_ADDRESS
}

/// `IFLA_INFO_*` attributes inside `IFLA_LINKINFO`.
public enum LinkInfoAttribute {
    public static let kind: UInt16 = 1  // IFLA_INFO_KIND: "bridge", "bond", "vlan", "veth", "tun"...
}

/// `NDA_*` neighbour attributes (a bridge forwarding-table entry is a neighbour of family AF_BRIDGE).
public enum NeighbourAttribute {
    public static let lladdr: UInt16 = 2  // NDA_LLADDR
    public static let vlan: UInt16 = 5  // NDA_VLAN (u16)
    public static let master: UInt16 = 9  // NDA_MASTER (u32): the bridge an entry belongs to
}

/// `ndm_flags` (NTF_*) and `ndm_state` (NUD_*) values, and the family of forwarding-table entries.
public enum NeighbourBits {
    public static let familyBridge: UInt8 = 7  // AF_BRIDGE
    public static let flagSelf: UInt8 = 0x02  // NTF_SELF: the device's own table (a NIC's filter)
    public static let flagMaster: UInt8 = 0x04  // NTF_MASTER: the bridge's table
    public static let stateReachable: UInt16 = 0x02  // NUD_REACHABLE: learned, fresh
    public static let stateStale: UInt16 = 0x04  // NUD_STALE: learned, ageing
    public static let stateNoARP: UInt16 = 0x40  // NUD_NOARP: static
    public static let statePermanent: UInt16 = 0x80  // NUD_PERMANENT: local, or a device's own address
}

/// `RTNLGRP_*` multicast groups of NETLINK_ROUTE.
public enum RouteGroup {
    public static let neighbour: UInt32 = 3  // RTNLGRP_NEIGH: forwarding-table entries added and removed
}

/// `IFLA_VF_*` attributes inside one `IFLA_VF_INFO`.
public enum VFAttribute {
    public static let info: UInt16 = 1  // IFLA_VF_INFO (in IFLA_VFINFO_LIST)
    public static let mac: UInt16 = 1  // IFLA_VF_MAC
    public static let vlan: UInt16 = 2  // IFLA_VF_VLAN
    public static let txRate: UInt16 = 3  // IFLA_VF_TX_RATE
    public static let spoofCheck: UInt16 = 4  // IFLA_VF_SPOOFCHK
    public static let linkState: UInt16 = 5  // IFLA_VF_LINK_STATE
    public static let rate: UInt16 = 6  // IFLA_VF_RATE
    public static let rssQueryEnabled: UInt16 = 7  // IFLA_VF_RSS_QUERY_EN
    public static let stats: UInt16 = 8  // IFLA_VF_STATS
    public static let trust: UInt16 = 9  // IFLA_VF_TRUST
    public static let vlanList: UInt16 = 12  // IFLA_VF_VLAN_LIST
    public static let broadcast: UInt16 = 13  // IFLA_VF_BROADCAST
    public static let vlanInfo: UInt16 = 1  // IFLA_VF_VLAN_INFO (in IFLA_VF_VLAN_LIST)
}

/// `IFLA_VF_STATS_*` attributes.
public enum VFStatsAttribute {
    public static let rxPackets: UInt16 = 0
    public static let txPackets: UInt16 = 1
    public static let rxBytes: UInt16 = 2
    public static let txBytes: UInt16 = 3
    public static let broadcast: UInt16 = 4
    public static let multicast: UInt16 = 5
    public static let pad: UInt16 = 6
    public static let rxDropped: UInt16 = 7
    public static let txDropped: UInt16 = 8
}

/// `RTEXT_FILTER_*` bits for `IFLA_EXT_MASK`.
public enum ExtFilter {
    public static let vf: UInt32 = 1 << 0  // RTEXT_FILTER_VF
    public static let skipStats: UInt32 = 1 << 3  // RTEXT_FILTER_SKIP_STATS
}

/// `NLMSGERR_ATTR_*` extended-ack attributes.
public enum ExtAckAttribute {
    public static let message: UInt16 = 1  // NLMSGERR_ATTR_MSG
    public static let offset: UInt16 = 2  // NLMSGERR_ATTR_OFFS
}

/// Attribute type bits that are not part of the type number.
package enum AttributeTypeBits {
    package static let nested: UInt16 = 0x8000  // NLA_F_NESTED
    package static let netByteOrder: UInt16 = 0x4000  // NLA_F_NET_BYTEORDER
    package static let mask: UInt16 = 0x3fff
}

/// Sizes of the fixed headers.
package enum HeaderSize {
    package static let message = 16  // struct nlmsghdr
    package static let attribute = 4  // struct nlattr
    package static let ifinfo = 16  // struct ifinfomsg
    package static let ndmsg = 12  // struct ndmsg
}

/// Rounds up to the 4-byte alignment netlink uses for messages and attributes.
@inline(__always) package func align4(_ n: Int) -> Int { (n + 3) & ~3 }
