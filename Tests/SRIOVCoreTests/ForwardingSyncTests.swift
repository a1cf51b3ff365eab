import SRIOVCore
import Testing

/// Which MACs a PF's own forwarding table must hold for VF guests to reach what is behind the
/// bridge over it, and which sriovctl may remove.
@Suite struct ForwardingSyncTests {
    static func mac(_ text: String) -> MACAddress { MACAddress(text)! }

    /// enp6s0f0 (1) under vmbr0 (2); tap100i0 (3), a veth (4) and the bridge's own address.
    static let pf = mac("a0:36:9f:00:00:01")
    static let vfMAC = mac("02:00:00:00:aa:01")
    static let network = BridgeNetwork(
        links: [
            BridgeNetwork.Link(index: 1, name: "enp6s0f0", master: 2, mac: pf),
            BridgeNetwork.Link(index: 2, name: "vmbr0", kind: "bridge", mac: MACAddress("a0:36:9f:00:00:01")),
            BridgeNetwork.Link(index: 3, name: "tap100i0", kind: "tun", master: 2),
            BridgeNetwork.Link(index: 4, name: "veth1", kind: "veth", master: 2),
            BridgeNetwork.Link(index: 5, name: "enp6s0f1"),
        ],
        entries: [
            .init(device: 3, mac: mac("bc:24:11:00:00:01"), bridge: 2, state: .learned),
            .init(device: 3, mac: mac("fe:24:11:00:00:01"), bridge: 2, state: .permanent),  // the tap's own address
            .init(device: 4, mac: mac("02:00:00:00:00:99"), bridge: 2, vlan: 10, state: .learned),
            .init(device: 4, mac: mac("02:00:00:00:00:99"), bridge: 2, vlan: 20, state: .learned),
            .init(device: 4, mac: mac("02:00:00:00:00:77"), bridge: 2, state: .static),
            .init(device: 4, mac: mac("33:33:00:00:00:01"), bridge: 2, state: .learned),  // multicast
            .init(device: 2, mac: mac("a0:36:9f:00:00:01"), bridge: 2, state: .permanent),  // the bridge = the PF's MAC
            .init(device: 1, mac: vfMAC, bridge: 2, state: .learned),  // the VF guest, learned on the uplink
            .init(device: 1, mac: mac("00:11:22:33:44:55"), bridge: 2, state: .learned),  // a box on the wire
            .init(device: 1, mac: mac("02:00:00:00:00:55"), state: .permanent),  // the PF's own table, not sriovctl's
        ])

    static func plan(
        _ network: BridgeNetwork = network, enabled: Bool = true, guests: [ForwardingSync.GuestDevice] = [], recorded: Set<MACAddress> = []
    ) -> ForwardingSync {
        ForwardingSync.plan(
            pf: "enp6s0f0", pfMAC: pf, vfMACs: [vfMAC], enabled: enabled, network: network, guests: guests, recorded: recorded)
    }

    @Test func macsBehindTheBridgeOnOtherPortsAreAdded() {
        let sync = Self.plan()
        #expect(sync.bridges == ["vmbr0"])
        #expect(sync.add.map(\.mac.description) == ["02:00:00:00:00:77", "02:00:00:00:00:99", "bc:24:11:00:00:01"], "in MAC order")
        let located = Dictionary(uniqueKeysWithValues: sync.add.map { ($0.mac.description, $0.location) })
        #expect(located["bc:24:11:00:00:01"] == "on tap100i0 of vmbr0")
        #expect(located["02:00:00:00:00:99"] == "on veth1 of vmbr0 (VLAN 10)", "one entry for a MAC on two VLANs")
        #expect(sync.remove.isEmpty)
    }

    @Test func whatTheNICKnowsOrIsOnTheWireIsNotAdded() {
        let added = Set(Self.plan().add.map(\.mac))
        #expect(!added.contains(Self.vfMAC), "a VF's MAC in the PF's table would steer the VF's traffic to the PF")
        #expect(!added.contains(Self.pf))
        #expect(!added.contains(Self.mac("00:11:22:33:44:55")), "learned on the uplink: it is on the wire")
        #expect(!added.contains(Self.mac("fe:24:11:00:00:01")), "a port's own address is not a guest")
        #expect(!added.contains(Self.mac("33:33:00:00:00:01")))
    }

    @Test func theBridgesOwnAddressIsAddedWhenItIsNotThePFs() {
        var network = Self.network
        network.entries.append(.init(device: 2, mac: Self.mac("02:aa:bb:cc:dd:ee"), bridge: 2, state: .permanent))
        #expect(Self.plan(network).add.contains { $0.mac == Self.mac("02:aa:bb:cc:dd:ee") && $0.location == "vmbr0's own address" })
    }

    @Test func entriesAlreadyThereAreNeitherAddedNorTakenOver() {
        var network = Self.network
        network.entries.append(.init(device: 1, mac: Self.mac("bc:24:11:00:00:01"), state: .permanent))
        let sync = Self.plan(network)
        #expect(!sync.add.contains { $0.mac == Self.mac("bc:24:11:00:00:01") })
        #expect(sync.alreadyThere == 1)
        // Turning the key off removes only what sriovctl recorded adding: not that one, nor 02:..:55.
        let off = Self.plan(network, enabled: false, recorded: [Self.mac("02:00:00:00:00:99")])
        #expect(off.add.isEmpty)
        #expect(off.remove.isEmpty, "02:..:99 is recorded but not in the table: nothing to remove")
    }

    @Test func onlyRecordedEntriesThatLeftTheBridgeAreRemoved() {
        var network = Self.network
        let gone = Self.mac("02:00:00:00:00:42")
        network.entries += [.init(device: 1, mac: gone, state: .permanent), .init(device: 1, mac: Self.mac("bc:24:11:00:00:01"), state: .permanent)]
        let sync = Self.plan(network, recorded: [gone, Self.mac("bc:24:11:00:00:01")])
        #expect(sync.remove == [gone])
        #expect(!sync.add.contains { $0.mac == Self.mac("bc:24:11:00:00:01") }, "still wanted, still there")
        let off = Self.plan(network, enabled: false, recorded: [gone, Self.mac("bc:24:11:00:00:01")])
        #expect(Set(off.remove) == [gone, Self.mac("bc:24:11:00:00:01")])
        #expect(!off.remove.contains(Self.mac("02:00:00:00:00:55")), "never an entry sriovctl did not add")
    }

    @Test func aPFInABondUnderTheBridgeSyncs() {
        let network = BridgeNetwork(
            links: [
                .init(index: 1, name: "enp6s0f0", master: 3), .init(index: 2, name: "enp6s0f1", master: 3),
                .init(index: 3, name: "bond0", kind: "bond", master: 4), .init(index: 4, name: "vmbr0", kind: "bridge"),
                .init(index: 5, name: "tap101i0", kind: "tun", master: 4),
            ],
            entries: [
                .init(device: 5, mac: Self.mac("bc:24:11:00:01:01"), bridge: 4, state: .learned),
                .init(device: 3, mac: Self.mac("00:11:22:33:44:55"), bridge: 4, state: .learned),
            ])
        let sync = Self.plan(network)
        #expect(sync.bridges == ["vmbr0"])
        #expect(sync.add.map(\.mac) == [Self.mac("bc:24:11:00:01:01")], "learned on the bond: the wire")
    }

    @Test func aVLANOnThePFUnderABridgeSyncs() {
        // Proxmox without VLAN awareness: vmbr0v20 has enp6s0f0.20 as its port.
        let network = BridgeNetwork(
            links: [
                .init(index: 1, name: "enp6s0f0"), .init(index: 2, name: "enp6s0f0.20", kind: "vlan", master: 3, parent: 1),
                .init(index: 3, name: "vmbr0v20", kind: "bridge"), .init(index: 4, name: "tap102i0", kind: "tun", master: 3),
            ],
            entries: [.init(device: 4, mac: Self.mac("bc:24:11:00:02:01"), bridge: 3, state: .learned)])
        let sync = Self.plan(network)
        #expect(sync.bridges == ["vmbr0v20"])
        #expect(sync.add.map(\.mac) == [Self.mac("bc:24:11:00:02:01")])
    }

    @Test func aPFOnNoBridgeHasNothingToSync() {
        let network = BridgeNetwork(
            links: [.init(index: 1, name: "enp6s0f0"), .init(index: 2, name: "vmbr1", kind: "bridge")],
            entries: [.init(device: 2, mac: Self.mac("02:aa:00:00:00:01"), bridge: 2, state: .permanent)])
        let sync = Self.plan(network)
        #expect(sync.bridges.isEmpty)
        #expect(sync.isEmpty)
    }

    @Test func guestDevicesOnTheBridgeAreAddedBeforeTheirFirstFrame() {
        let guests: [ForwardingSync.GuestDevice] = [
            .init(vmid: 105, nic: GuestNIC(slot: 0, mac: Self.mac("bc:24:11:00:05:00"), bridge: "vmbr0")),
            .init(vmid: 106, nic: GuestNIC(slot: 1, mac: Self.mac("bc:24:11:00:06:01"), bridge: "vmbr9")),
        ]
        let sync = Self.plan(guests: guests)
        #expect(sync.add.contains { $0.mac == Self.mac("bc:24:11:00:05:00") && $0.location == "VM 105 net0 on vmbr0" })
        #expect(!sync.add.contains { $0.mac == Self.mac("bc:24:11:00:06:01") }, "another bridge")
    }

    /// Thousands of guests behind a bridge: at most `maximumEntries` go in the table, the rest
    /// are counted, and the plan's line names a few and counts the rest.
    @Test func aHugeBridgeIsCappedAndItsLineStaysShort() {
        let count = ForwardingSync.maximumEntries + 10
        var entries: [BridgeNetwork.Entry] = []
        for i in 0..<count {
            let bytes: [UInt8] = [0x06, 0, UInt8((i >> 16) & 0xff), UInt8((i >> 8) & 0xff), UInt8(i & 0xff), 1]
            entries.append(BridgeNetwork.Entry(device: 3, mac: MACAddress(bytes: bytes)!, bridge: 2, state: .learned))
        }
        let network = BridgeNetwork(links: Self.network.links, entries: entries)
        let sync = Self.plan(network)
        #expect(sync.add.count == ForwardingSync.maximumEntries)
        #expect(sync.overflow == 10)
        let line = PlanText.describe(.syncForwardingTable(sync))
        #expect(line.count < 600, "\(line.count) characters")
        let more = ForwardingSync.maximumEntries - 8
        #expect(line.contains("and \(more) more"))
        #expect(line.contains("10 more MACs are not added"))
    }

    @Test func theRecordKeepsWhatWasAddedAndIsThere() {
        let a = Self.mac("02:00:00:00:00:01")
        let b = Self.mac("02:00:00:00:00:02")
        let c = Self.mac("02:00:00:00:00:03")
        #expect(ForwardingSync.recordAfter(recorded: [a, c], added: [b], nowInTable: [a, b]) == [a, b])
    }

    @Test func netLinesOfTheCurrentConfigAreParsed() {
        let text = """
            net0: virtio=BC:24:11:2A:3B:4C,bridge=vmbr0,firewall=1,tag=20
            net1: model=e1000,macaddr=bc:24:11:00:00:02,bridge=vmbr1
            net2: virtio=BC:24:11:00:00:03
            net3: virtio=01:00:5e:00:00:01,bridge=vmbr0
            net40: virtio=BC:24:11:00:00:04,bridge=vmbr0
            hookscript: local:snippets/sriovctl-hook.sh
            [snap1]
            net4: virtio=BC:24:11:00:00:05,bridge=vmbr0
            """
        #expect(
            GuestNIC.parse(vmConfig: text) == [
                GuestNIC(slot: 0, mac: Self.mac("bc:24:11:2a:3b:4c"), bridge: "vmbr0"),
                GuestNIC(slot: 1, mac: Self.mac("bc:24:11:00:00:02"), bridge: "vmbr1"),
            ])
        #expect(ProxmoxGuest.hookscript(vmConfig: text) == "local:snippets/sriovctl-hook.sh")
    }
}
