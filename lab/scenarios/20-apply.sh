# Declarative VFs on the real igb: plan, apply, verify, idempotence, a 4 -> 6 count change,
# driver binding to vfio-pci and back, and a setting igb refuses (link state).
. /lab/lib.sh
set -x
echo 0 > $PF_SYS/sriov_numvfs
ip link set $PF up
mkdir -p /etc/sriovctl
write_config() {
  cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = $1

[[pf.vf]]
index = 0
mac = "02:00:00:00:00:10"
vlan = 100
qos = 3
spoof-check = false
trust = true
driver = "$2"

[[pf.vf]]
index = 1
vlan = 200

[[pf.vf]]
index = 2
trust = true
spoof-check = false
$3
CONFIG
}
snapshot() {
  sriovctl status --json > status-$1.json
  ip -j -d link show > ip-$1.json
  sysfs_facts > sysfs-$1.txt
}
write_config 4 vfio-pci ""
record plan1 sriovctl plan --detailed-exitcode
record plan1-json sriovctl plan --json
record apply1 sriovctl apply
snapshot 1
# VF 1 stays on igbvf: its own netdev must carry the MAC set through the PF (apply re-probes it).
vf1=$(basename "$(readlink $PF_SYS/virtfn1)")
cat /sys/bus/pci/devices/$vf1/net/*/address > vf1-netdev-mac.txt
record plan2 sriovctl plan --detailed-exitcode
record apply2 sriovctl apply
write_config 6 vfio-pci ""
record plan3 sriovctl plan
record apply3 sriovctl apply
snapshot 3
write_config 6 host ""
record apply4 sriovctl apply
snapshot 4
write_config 6 host "
[[pf.vf]]
index = 3
link-state = \"disable\""
record apply5 sriovctl apply
snapshot 5
