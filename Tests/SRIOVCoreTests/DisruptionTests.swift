import SRIOVCore
import Testing

/// What each kind of plan step disturbs, and that VFs the plan itself makes disturb nothing.
@Suite struct DisruptionTests {
    let pf = PCIAddress(bus: 6, slot: 0, function: 0)
    func step(_ action: Plan.Action) -> Plan.Step { Plan.Step(pf: pf, pfName: "p0", action: action, reason: "r") }
    let igb = DriverProfile.of(driver: "igb", vfDevice: "8086:1520")
    let ice = DriverProfile.of(driver: "ice")

    @Test func eachStepKindHasItsDisruption() {
        let mac = VFSettingsChange(index: 0, from: VFSettings(), to: VFSettings(mac: MACAddress("02:00:00:00:00:01")))
        let vlan = VFSettingsChange(index: 0, from: VFSettings(), to: VFSettings(vlan: 5))
        #expect(step(.setNumVFs(from: 4, to: 0)).disruption(igb) == .vfsRecreated)
        #expect(step(.setNumVFs(from: 0, to: 4)).disruption(igb) == .none)
        #expect(step(.bindDriver(index: 0, from: "igbvf", to: .vfioPCI)).disruption(igb) == .vfRebound)
        #expect(step(.reprobe(index: 0, driver: "igbvf")).disruption(igb) == .hostDriverRestart)
        #expect(step(.setMTU(from: 1500, to: 9000)).disruption(igb) == .vfLinkFlap)
        #expect(step(.setVFs([mac])).disruption(igb) == .none, "igb keeps the VF running; its driver sees the MAC later")
        #expect(step(.setVFs([mac])).disruption(ice) == .vfLinkFlap, "ice resets the VF")
        #expect(step(.setVFs([vlan])).disruption(ice) == .none)
        #expect(step(.assignToVM(index: 0, vm: 100, slot: 0, pcie: true, oldSlot: nil)).disruption(igb) == .guestConfigAtNextStart)
        #expect(step(.setLinkUp).disruption(igb) == .none)
    }

    @Test func stepsOnVFsThisPlanMadeDisturbNothing() {
        let plan = Plan(steps: [
            step(.bindDriver(index: 1, from: "igbvf", to: .vfioPCI)),
            step(.setNumVFs(from: 2, to: 0)), step(.setNumVFs(from: 0, to: 3)),
            step(.bindDriver(index: 1, from: nil, to: .vfioPCI)),
        ])
        #expect(plan.disruptions { _ in igb } == [.vfRebound, .vfsRecreated, .none, .none])
    }

    @Test func theClassesAreOrderedFromLeastToMost() {
        #expect(Disruption.none < .guestConfigAtNextStart && .vfLinkFlap < .vfRebound && .vfRebound < .vfsRecreated)
    }
}

@Suite struct StartupOrderTests {
    @Test(arguments: [
        ("order=1,up=0", StartupOrder(order: 1, up: 0)), ("2", StartupOrder(order: 2)),
        ("order=3,up=30,down=60", StartupOrder(order: 3, up: 30, down: 60)),
        ("up=5", StartupOrder(up: 5)),
    ])
    func proxmoxsStartupOptionIsRead(_ text: String, _ want: StartupOrder) {
        #expect(StartupOrder(text) == want)
        #expect(ProxmoxGuest(vmid: 100, running: false, config: "startup: \(text)\n").startup == want)
    }

    @Test(arguments: ["order=x", "order=1,order=2", "speed=3", "order=-1", "", "order=+5", "order=", ","])
    func aValueProxmoxRefusesIsNotAnOrder(_ text: String) {
        #expect(StartupOrder(text) == nil)
    }
}

@Suite struct DrainOrderTests {
    func guest(_ vmid: Int, order: Int?, pid: Int? = nil, running: Bool = true) -> ProxmoxGuest {
        ProxmoxGuest(vmid: vmid, running: running, config: order.map { "startup: order=\($0)\n" } ?? "", pid: pid)
    }
    func holder(_ text: String) -> VFHolder { VFHolder(pf: "p0", index: 0, pci: PCIAddress(bus: 6, slot: 16, function: 0), holder: text) }

    @Test func guestsStartByOrderThenVMIDAndThoseWithoutLast() {
        let order = DrainOrder.startOrder([guest(104, order: nil), guest(103, order: 2), guest(101, order: nil), guest(102, order: 1)])
        #expect(order.map(\.vmid) == [102, 103, 101, 104])
    }

    @Test func aGuestsOwnQEMUHoldingTheVFIOGroupIsThatGuest() {
        let guests = [guest(100, order: 1, pid: 4242), guest(101, order: nil, running: false)]
        let (drained, others) = DrainOrder.guests(
            holding: [
                holder("process 4242 (qemu-system-x86) has /dev/vfio/20 open"), holder("VM 100 is running with it (hostpci0)"),
                holder("process 77 (vfio-user) has /dev/vfio/21 open"), holder("VM 101 is running with it (hostpci0)"),
            ], among: guests)
        #expect(drained.map(\.vmid) == [100])
        #expect(others.map(\.holder) == ["process 77 (vfio-user) has /dev/vfio/21 open", "VM 101 is running with it (hostpci0)"])
    }
}
