# Proxmox VE (with a STAND-IN qm): `vm = 100` gives a VF to a VM through `qm set`, status shows
# the owner and whether it runs, and a VF of a running VM is never pulled.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
mkdir -p /etc/pve/qemu-server /etc/pve/mapping /var/run/qemu-server /etc/sriovctl
echo lab > /etc/hostname
printf 'boot: order=scsi0\nhostpci0: 0000:81:00.0\nmemory: 2048\n' > /etc/pve/qemu-server/100.conf
: > /tmp/qm-calls.log
cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 2

[[pf.vf]]
index = 0
driver = "vfio-pci"
vm = 100
pcie = true
CONFIG
record plan1 sriovctl plan --json
record apply1 sriovctl apply
cp /tmp/qm-calls.log qm-calls-1.txt
cp /etc/pve/qemu-server/100.conf vm100-after.conf
sriovctl status --json > status-assigned.json
record apply2 sriovctl apply
cp /tmp/qm-calls.log qm-calls-2.txt
sleep 600 &
echo $! > /var/run/qemu-server/100.pid
sriovctl status --json > status-running.json
sed -i 's/num-vfs = 2/num-vfs = 0/' /etc/sriovctl/sriovctl.toml
sed -i '/^\[\[pf.vf\]\]/,$d' /etc/sriovctl/sriovctl.toml
record apply3 sriovctl apply
cat $PF_SYS/sriov_numvfs > numvfs-after-refusal.txt
kill %1 2>/dev/null
rm -rf /etc/pve /var/run/qemu-server
