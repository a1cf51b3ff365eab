import SRIOVCore

#if canImport(Glibc)
    import Glibc
#endif

extension LinuxHost {
    /// Who uses these VFs. Removing or rebinding a VF whose VFIO group a process holds open makes
    /// the kernel wait forever for it; a running VM or a netdev carrying traffic would lose it.
    public func holders(of vfs: [VirtualFunction], on pf: PhysicalFunction) -> [VFHolder] {
        guard !vfs.isEmpty else { return [] }
        var result: [VFHolder] = []
        // VFIO: the group file (/dev/vfio/N) and, with iommufd, the device file (/dev/vfio/devices/vfioN).
        var files: [String: VirtualFunction] = [:]
        for vf in vfs {
            if let group = vf.iommuGroup { files["/dev/vfio/\(group)"] = vf }
            for cdev in fs.list("/sys/bus/pci/devices/\(vf.pci)/vfio-dev") { files["/dev/vfio/devices/\(cdev)"] = vf }
        }
        for pid in fs.list("/proc") where pid.allSatisfy(\.isNumber) {
            for fd in fs.list("/proc/\(pid)/fd") {
                guard let target = fs.linkTarget("/proc/\(pid)/fd/\(fd)"), let vf = files[target] else { continue }
                let command = fs.readText("/proc/\(pid)/comm") ?? "?"
                let holder = VFHolder(
                    pf: pf.displayName, index: vf.index, pci: vf.pci,
                    holder: "process \(pid) (\(command)) has \(target) open")
                if !result.contains(holder) { result.append(holder) }
            }
        }
        // Host netdevs: enslaved to a bridge or bond, or up with an address.
        let addresses = interfaceAddresses()
        for vf in vfs {
            guard let netdev = vf.netdev else { continue }
            let dir = "/sys/bus/pci/devices/\(vf.pci)/net/\(netdev)"
            if let master = fs.linkTargetName("\(dir)/master") {
                result.append(
                    VFHolder(
                        pf: pf.displayName, index: vf.index, pci: vf.pci,
                        holder: "its netdev \(netdev) is part of \(master)"))
            } else if let list = addresses[netdev], !list.isEmpty {
                result.append(
                    VFHolder(
                        pf: pf.displayName, index: vf.index, pci: vf.pci,
                        holder: "its netdev \(netdev) is up with \(list.joined(separator: ", "))"))
            }
        }
        // Proxmox VE guests that are running with the VF.
        result += runningGuests(using: vfs, pf: pf)
        return result
    }

    private func runningGuests(using vfs: [VirtualFunction], pf: PhysicalFunction) -> [VFHolder] {
        let proxmox = ProxmoxReader(fs: fs)
        guard proxmox.isProxmox else { return [] }
        return ProxmoxGuest.runningHolders(of: vfs, on: pf, guests: proxmox.guests())
    }

    /// Non-link-local addresses per interface (getifaddrs); empty under --root.
    private func interfaceAddresses() -> [String: [String]] {
        guard fs.root == "/" else { return [:] }
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0 else { return [:] }
        defer { freeifaddrs(head) }
        var result: [String: [String]] = [:]
        var cursor = head
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, entry.pointee.ifa_flags & UInt32(IFF_UP) != 0 else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(cString: host)
            if text.hasPrefix("fe80") { continue }
            result[String(cString: entry.pointee.ifa_name), default: []].append(text)
        }
        return result
    }
}
