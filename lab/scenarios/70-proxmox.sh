# Proxmox VE (with STAND-IN qm and pvesh that edit /etc/pve as Proxmox does): `vm = 100` gives a
# VF to a VM through `qm set`, a pool mapping is made that Proxmox's own checks accept, status
# shows who holds each VF (pools from the reservations file), a line that already gives a VF is
# left alone, a change to a running VM waits in [PENDING], a guest's own hookscript is chained and
# given back, and a VF of a running VM is never pulled.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
mkdir -p /etc/pve/qemu-server /etc/pve/mapping /var/run/qemu-server /etc/sriovctl /var/lib/vz/snippets
echo lab > /etc/hostname
printf 'boot: order=scsi0\nhostpci0: 0000:81:00.0\nmachine: q35\nmemory: 2048\n' > /etc/pve/qemu-server/100.conf
printf 'memory: 1024\nhookscript: local:snippets/own-hook.sh\n' > /etc/pve/qemu-server/101.conf
printf 'memory: 1024\nhostpci0: mapping=fw\n' > /etc/pve/qemu-server/102.conf
printf '#!/bin/sh\necho "own $*" >> /tmp/own-hook.log\n' > /var/lib/vz/snippets/own-hook.sh
chmod 755 /var/lib/vz/snippets/own-hook.sh
: > /tmp/qm-calls.log
: > /tmp/pvesh-calls.log
: > /tmp/own-hook.log
# What Proxmox's PVE::Mapping::PCI::assert_valid compares, read from sysfs: the witness.
vf_sysfs() {
  for v in $PF_SYS/virtfn*; do
    d=$(readlink -f $v)
    echo "$(basename $d) $(cat $d/vendor) $(cat $d/device) $(cat $d/subsystem_vendor 2>/dev/null || echo -) $(cat $d/subsystem_device 2>/dev/null || echo -) $(basename $(readlink $d/iommu_group))"
  done
}
write_config() {  # NUMVFS PCIE-LINE
  cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = $1

[[pf.vf]]
index = 0
driver = "vfio-pci"
vm = 100
$2

[[pf.vf]]
indexes = "1-2"
driver = "vfio-pci"
mapping = "fw"
vm = 101
CONFIG
}
write_config 3 "pcie = true"
record plan1 sriovctl plan --json
record apply1 sriovctl apply
cp /tmp/qm-calls.log qm-calls-1.txt
cp /tmp/pvesh-calls.log pvesh-calls-1.txt
cp /etc/pve/qemu-server/100.conf vm100-after.conf
cp /etc/pve/qemu-server/101.conf vm101-after.conf
cp /etc/pve/mapping/pci.cfg mapping-1.cfg
vf_sysfs > vf-sysfs-1.txt
sriovctl status --json > status-assigned.json
record apply2 sriovctl apply
cp /tmp/qm-calls.log qm-calls-2.txt
# The line VM 100 now has says pcie=1: `vm = 100` without a pcie key plans nothing for it.
write_config 3 ""
record plan-no-pcie-key sriovctl plan --json
write_config 3 "pcie = true"
# Proxmox's own checks of map entries (the stand-in pvesh): one without id= is refused.
record pvesh-bad pvesh create /cluster/mapping/pci --id bad --map node=lab,path=0000:01:10.0
cp /etc/pve/mapping/pci.cfg mapping-after-bad.cfg
# Pools: VM 102 started first and got the first member, VM 101 the second, as qemu-server's
# choose_hostpci_devices gives them and records them in pci-id-reservations.
sleep 600 & echo $! > /var/run/qemu-server/102.pid
sleep 600 & echo $! > /var/run/qemu-server/101.pid
mkdir -p /run/qemu-server
printf '0000:01:10.2 102 pid:%s\n0000:01:10.4 101 pid:%s\n' "$(cat /var/run/qemu-server/102.pid)" "$(cat /var/run/qemu-server/101.pid)" > /run/qemu-server/pci-id-reservations
sriovctl status --json > status-pool-running.json
sriovctl status > status-pool-running.txt
kill "$(cat /var/run/qemu-server/102.pid)" 2>/dev/null
rm -f /var/run/qemu-server/102.pid
sriovctl status --json > status-pool-stopped.json
kill "$(cat /var/run/qemu-server/101.pid)" 2>/dev/null
rm -f /var/run/qemu-server/101.pid /run/qemu-server/pci-id-reservations
# The hookscript: installed in the snippets storage and attached to VMs 100 and 101; VM 101's own
# hookscript is chained. At pre-start it puts back a MAC changed behind sriovctl's back.
record hook-old-flag sriovctl hookscript install --bridge-fdb
record hook-install sriovctl hookscript install
cp /etc/pve/qemu-server/100.conf vm100-hooked.conf
cp /etc/pve/qemu-server/101.conf vm101-hooked.conf
ip link set $PF vf 0 mac 02:66:66:66:66:66
sriovctl status --json > status-tampered.json
record hook-run /var/lib/vz/snippets/sriovctl-hook.sh 100 pre-start
sriovctl status --json > status-after-hook.json
bridge fdb show dev $PF > fdb-after-hook.txt
record hook-stop /var/lib/vz/snippets/sriovctl-hook.sh 100 post-stop
record hook-run-101 /var/lib/vz/snippets/sriovctl-hook.sh 101 pre-start
cp /tmp/own-hook.log own-hook-1.log
# Without sriovctl (the package removed) the script lets the guest start.
sed "s#$(command -v sriovctl)#/nonexistent/sriovctl#g" /var/lib/vz/snippets/sriovctl-hook.sh > /tmp/hook-without.sh
record hook-without sh /tmp/hook-without.sh 101 pre-start
record hook-remove-101 sriovctl hookscript remove --vm 101
cp /etc/pve/qemu-server/101.conf vm101-unhooked.conf
cp /etc/pve/qemu-server/100.conf vm100-still-hooked.conf
# Re-created VFs come back in new IOMMU groups: the mapping follows them.
write_config 4 "pcie = true"
record apply-recreate sriovctl apply
cp /tmp/pvesh-calls.log pvesh-calls-2.txt
cp /etc/pve/mapping/pci.cfg mapping-2.cfg
vf_sysfs > vf-sysfs-2.txt
sriovctl status --json > status-recreated.json
# The one-off form.
record assign sriovctl assign $PF:3 --vm 100
cp /etc/pve/qemu-server/100.conf vm100-assigned.conf
sleep 600 &
vm100=$!
echo $vm100 > /var/run/qemu-server/100.pid
sriovctl status --json > status-running.json
# A change to a running VM's line is an edit that keeps its other options, waits in [PENDING],
# and is verified there.
write_config 4 "pcie = false"
record plan-pcie-off sriovctl plan
record apply-pcie-off sriovctl apply
cp /etc/pve/qemu-server/100.conf vm100-pending.conf
record plan-after-pending sriovctl plan --detailed-exitcode
# top and serve name the same guests as status.
sriovctl top --once --json --interval 0.2 > top-owners.json 2> top-owners.err
sed -i 's/num-vfs = 4/num-vfs = 0/' /etc/sriovctl/sriovctl.toml
sed -i '/^\[\[pf.vf\]\]/,$d' /etc/sriovctl/sriovctl.toml
sed -i '/^hostpci2:/d' /etc/pve/qemu-server/100.conf
record apply3 sriovctl apply
cat $PF_SYS/sriov_numvfs > numvfs-after-refusal.txt
kill $vm100 2>/dev/null
# apply --drain: VM 100 runs with VF 0 (its stand-in QEMU holds the VF's VFIO group); a new VF
# count re-creates the VFs. plan names the guest, apply without --drain refuses, --drain shuts it
# down through qm, re-creates the VFs and starts it again; a guest that ignores the shutdown
# aborts the drain with the VFs untouched.
rm -f /var/run/qemu-server/*.pid
printf 'machine: q35\nmemory: 2048\nstartup: order=1\n' > /etc/pve/qemu-server/100.conf
cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 2
[[pf.vf]]
index = 0
driver = "vfio-pci"
vm = 100
slot = 0
CONFIG
record drain-setup sriovctl apply
qm start 100
sed -i 's/num-vfs = 2/num-vfs = 3/' /etc/sriovctl/sriovctl.toml
: > /tmp/qm-calls.log
record drain-plan sriovctl plan --json
record drain-refused sriovctl apply
record drain sriovctl apply --drain --timeout 20
cat $PF_SYS/sriov_numvfs > drain-numvfs.txt
pid=$(cat /var/run/qemu-server/100.pid 2>/dev/null); [ -n "$pid" ] && [ -d /proc/$pid ] && echo running > drain-vm100.txt
ls -l /proc/$pid/fd 2>/dev/null | grep -c /dev/vfio > drain-vm100-vfio.txt
cp /tmp/qm-calls.log drain-qm-calls.txt
echo 100 > /tmp/qm-ignores-shutdown
sed -i 's/num-vfs = 3/num-vfs = 2/' /etc/sriovctl/sriovctl.toml
record drain-stuck sriovctl apply --drain --timeout 5
cat $PF_SYS/sriov_numvfs > drain-stuck-numvfs.txt
pid=$(cat /var/run/qemu-server/100.pid 2>/dev/null); [ -n "$pid" ] && [ -d /proc/$pid ] && echo running > drain-stuck-vm100.txt
kill "$pid" 2>/dev/null
rm -f /tmp/qm-ignores-shutdown
rm -rf /etc/pve /var/run/qemu-server /run/qemu-server /var/lib/vz/snippets /var/lib/sriovctl/hookscript.json
