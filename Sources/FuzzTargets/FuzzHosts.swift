import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The hosts configs are planned against while fuzzing: the first two ports of the bundled i350
/// (examples/i350-t4-homelab.json) with its Proxmox guests, embedded so no file is read.
enum FuzzHosts {
    static let i350: SimulatedHostDescription = {
        let json = """
            {
             "pfs": [
              {
               "name": "enp6s0f0",
               "pci": "0000:06:00.0",
               "driver": "igb",
               "vfDriver": "igbvf",
               "permanentMac": "a0:36:9f:3c:5e:10",
               "totalVfs": 7,
               "vfDevice": "8086:1520",
               "vfOffset": 128,
               "vfStride": 4,
               "mtu": 1500,
               "linkUp": true,
               "iommuGroupBase": 20,
               "unsupported": [
                "linkState",
                "minTxRate",
                "rssQuery"
               ],
               "perVfCounters": false,
               "initialVfs": 4,
               "traffic": {
                "rxBytesPerSecond": 5000000,
                "txBytesPerSecond": 1250000,
                "bytesPerPacket": 700
               }
              },
              {
               "name": "enp6s0f1",
               "pci": "0000:06:00.1",
               "driver": "igb",
               "vfDriver": "igbvf",
               "permanentMac": "a0:36:9f:3c:5e:11",
               "totalVfs": 7,
               "vfDevice": "8086:1520",
               "vfOffset": 128,
               "vfStride": 4,
               "mtu": 1500,
               "linkUp": true,
               "iommuGroupBase": 28,
               "unsupported": [
                "linkState",
                "minTxRate",
                "rssQuery"
               ],
               "perVfCounters": false,
               "initialVfs": 0,
               "traffic": {
                "rxBytesPerSecond": 5000000,
                "txBytesPerSecond": 1250000,
                "bytesPerPacket": 700
               }
              }
             ],
             "proxmox": {
              "node": "pve",
              "guests": [
               {
                "vmid": 100,
                "name": "opnsense",
                "running": false,
                "hostpci": {
                 "hostpci0": "host=0000:06:10.0,pcie=1"
                }
               },
               {
                "vmid": 101,
                "name": "debian-nas",
                "running": false
               }
              ]
             },
             "machine": {
              "cpuVendor": "intel",
              "kernelRelease": "6.8.12-4-pve",
              "cmdline": "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on iommu=pt",
              "bootloader": "grub",
              "iommuGroups": 48,
              "kernelLog": [
               "DMAR: IOMMU enabled",
               "DMAR-IR: Enabled IRQ remapping in x2apic mode"
              ]
             }
            }
            """
        // The bundled example decodes: a failure here is a bug in this file, found at once.
        return try! JSONDecoder().decode(SimulatedHostDescription.self, from: Data(json.utf8))
    }()
}
