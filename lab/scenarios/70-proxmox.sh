# Proxmox VE (with a STAND-IN qm): `vm = 100` gives a VF to a VM through `qm set`, status shows
# the owner and whether it runs, and a VF of a running VM is never pulled.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
mkdir -p /etc/pve/qemu-server /etc/pve/mapping /var/run/qemu-server /etc/sriovctl
echo lab > /etc/hostname
printf 'boot: order=scsi0\nhostpci0: 0000:81:00.0\nmemory: 2048\n' > /etc/pve/qemu-server/100.conf
printf 'memory: 1024\n' > /etc/pve/qemu-server/101.conf
: > /tmp/qm-calls.log
: > /tmp/pvesh-calls.log
cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 2

[[pf.vf]]
index = 0
driver = "vfio-pci"
vm = 100
pcie = true

[[pf.vf]]
index = 1
driver = "vfio-pci"
mapping = "fw"
vm = 101
CONFIG
record plan1 sriovctl plan --json
record apply1 sriovctl apply
cp /tmp/qm-calls.log qm-calls-1.txt
cp /tmp/pvesh-calls.log pvesh-calls-1.txt
cp /etc/pve/qemu-server/100.conf vm100-after.conf
cp /etc/pve/qemu-server/101.conf vm101-after.conf
cp /etc/pve/mapping/pci.cfg mapping-1.cfg
sriovctl status --json > status-assigned.json
record apply2 sriovctl apply
cp /tmp/qm-calls.log qm-calls-2.txt
# The hookscript: installed in the snippets storage and attached to VM 100; at pre-start it
# puts back a MAC that was changed behind sriovctl's back.
record hook-old-flag sriovctl hookscript install --bridge-fdb
record hook-install sriovctl hookscript install
cp /etc/pve/qemu-server/100.conf vm100-hooked.conf
ip link set $PF vf 0 mac 02:66:66:66:66:66
sriovctl status --json > status-tampered.json
record hook-run /var/lib/vz/snippets/sriovctl-hook.sh 100 pre-start
sriovctl status --json > status-after-hook.json
bridge fdb show dev $PF > fdb-after-hook.txt
record hook-stop /var/lib/vz/snippets/sriovctl-hook.sh 100 post-stop
# Re-created VFs come back in new IOMMU groups: the mapping follows them.
sed -i 's/num-vfs = 2/num-vfs = 3/' /etc/sriovctl/sriovctl.toml
record apply-recreate sriovctl apply
cp /tmp/pvesh-calls.log pvesh-calls-2.txt
cp /etc/pve/mapping/pci.cfg mapping-2.cfg
sriovctl status --json > status-recreated.json
# The one-off form.
record assign sriovctl assign $PF:1 --vm 100
cp /etc/pve/qemu-server/100.conf vm100-assigned.conf
sleep 600 &
echo $! > /var/run/qemu-server/100.pid
sriovctl status --json > status-running.json
# top and serve name the same guests as status.
sriovctl top --once --json --interval 0.2 > top-owners.json 2> top-owners.err
sed -i 's/num-vfs = 3/num-vfs = 0/' /etc/sriovctl/sriovctl.toml
sed -i '/^\[\[pf.vf\]\]/,$d' /etc/sriovctl/sriovctl.toml
sed -i '/^hostpci2:/d' /etc/pve/qemu-server/100.conf
record apply3 sriovctl apply
cat $PF_SYS/sriov_numvfs > numvfs-after-refusal.txt
kill %1 2>/dev/null
rm -rf /etc/pve /var/run/qemu-server
