# Declarative VFs on the real igb: plan, apply, verify, idempotence, a 4 -> 6 count change,
# driver binding to vfio-pci and back, a role (carp) that expands and applies, a setting igb
# refuses (link state) refused by plan before anything changes, and each igb fact of the driver
# profile that plan refuses with an errno, tried on the real kernel with iproute2.
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
role = "carp"
$3
CONFIG
}
snapshot() {
  # Re-creating VFs resets igb's port: its carrier comes back a moment after apply returns. Both
  # readings wait for it (up to 15 s), so they compare the same link and not the negotiation.
  local n=0
  while [ "$(cat /sys/class/net/$PF/operstate)" != up ] && [ $n -lt 30 ]; do sleep 0.5; n=$((n + 1)); done
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
# probe: each setting tried on a free VF of the real igb, every value put back (iproute2 before
# and after), the answers kept for plan.
ip -j -d link show $PF > probe-before.json
record probe sriovctl probe $PF --json
ip -j -d link show $PF > probe-after.json
cp /var/lib/sriovctl/capabilities.json probe-record.json 2>/dev/null
# (Set aside, so the facts below are the kernel-source profile's, not the probe's.)
rm -f /var/lib/sriovctl/capabilities.json
# The profile against the kernel: each setting plan refuses for igb, with the errno plan names,
# sent to the real driver by iproute2 (an independent witness), on VF 3 of the 6 VFs.
sriovctl check --json > check.json
profile_fact() {
  local name=$1 lines=$2; shift 2
  printf '[[pf]]\nname = "%s"\nnum-vfs = 6\n[[pf.vf]]\nindex = 3\n%b\n' "$PF" "$lines" > fact-$name.toml
  record fact-$name-plan sriovctl plan --config fact-$name.toml
  record fact-$name-kernel "$@"
}
profile_fact link-state 'link-state = "disable"' ip link set $PF vf 3 state disable
profile_fact min-tx-rate 'min-tx-rate = 10' ip link set $PF vf 3 min_tx_rate 10
profile_fact vlan-protocol 'vlan = 5\nvlan-protocol = "802.1ad"' ip link set $PF vf 3 vlan 5 proto 802.1ad
profile_fact rss-query 'rss-query = true' ip link set $PF vf 3 query_rss on
record fact-trust-kernel ip link set $PF vf 3 trust on
printf '[[pf]]\nname = "%s"\nnum-vfs = 8\n' "$PF" > fact-num-vfs.toml
record fact-num-vfs-plan sriovctl plan --config fact-num-vfs.toml
echo 0 > $PF_SYS/sriov_numvfs
record fact-num-vfs-kernel sh -c "echo 8 > $PF_SYS/sriov_numvfs"
cat $PF_SYS/sriov_totalvfs > totalvfs.txt
echo 0 > $PF_SYS/sriov_numvfs
