# Foundation: VFs made by hand (sysfs + `ip link set ... vf ...`, one VF bound to vfio-pci), then
# `sriovctl status --json` next to iproute2's and sysfs's view; the host side compares them.
. /lab/lib.sh
set -x
echo 4 > $PF_SYS/sriov_numvfs
ip link set $PF up
ip link set $PF vf 0 mac 02:00:00:00:00:01
ip link set $PF vf 1 vlan 100 qos 3
ip link set $PF vf 1 spoofchk off
ip link set $PF vf 2 trust on
ip link set $PF vf 3 mac 02:00:00:00:00:04
# Settings igb may refuse; their exit codes are kept, and the comparison holds either way.
record rate ip link set $PF vf 3 max_tx_rate 100
record proto-8021ad ip link set $PF vf 2 vlan 300 proto 802.1ad
record linkstate ip link set $PF vf 3 state disable
vf0=$(basename "$(readlink $PF_SYS/virtfn0)")
bind_vf "$vf0" vfio-pci
sleep 1
sysfs_facts > sysfs.txt
sriovctl status --json > status.json
echo $? > status-json.code
ip -j -d link show > ip-link.json
sriovctl status > status.txt
echo $? > status-text.code
sriovctl status "$PF" --json > status-one.json
record status-unknown sriovctl status nosuchpf0
record status-badroot sriovctl --root /nonexistent status
capture_tree tree
ip -j -d link show > tree/ip-link.json
sysfs_facts > tree/sysfs.txt
sriovctl debug capture-netlink --stats netlink-dump-stats.bin > /dev/null
ls -l /dev/vfio > dev-vfio.txt
