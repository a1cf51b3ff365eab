# VF guests and bridged guests on the same port (issue 15). Namespace A holds VF 0 (igbvf);
# namespaces B and C hang off br0, a Linux bridge whose port is the PF, as guests on vmbr0 do.
# The NIC's switch does not know B's MAC: A->B fails until sync-bridge-fdb puts B's MAC in the
# PF's own table. `watch` must add C within 2 s of C's first frame; turning the key off removes
# exactly what sriovctl added. iproute2's `bridge fdb show` is the witness throughout.
# Neighbours are static (no ARP): QEMU's igb delivers a broadcast the PF sends back to the PF
# itself (its loopback path hands a broadcast to every pool that takes broadcasts, the sender's
# included), so a bridged guest's ARP request makes br0 learn that guest's MAC on the PF port
# (seen in the first runs). Unicast frames show the problem and the fix the same way.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
ip link set lo up
mkdir -p /etc/sriovctl
write_config() {
  cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 1
$1
[[pf.vf]]
index = 0
driver = "host"
mac = "02:00:00:00:aa:01"
spoof-check = true
CONFIG
}
write_config ""
record apply1 sriovctl apply
settle
vf0=$(basename "$(readlink $PF_SYS/virtfn0)")
n=0
while [ -z "$(ls /sys/bus/pci/devices/$vf0/net 2>/dev/null)" ] && [ $n -lt 20 ]; do sleep 0.5; n=$((n + 1)); done
vfnet=$(ls /sys/bus/pci/devices/$vf0/net | head -n1)
echo "$PF" > pf.txt
echo "$vfnet" > vf0-netdev.txt

# A: the VF guest.
ip netns add A
ip link set "$vfnet" netns A
ip -n A link set lo up
ip -n A addr add 10.9.0.1/24 dev "$vfnet"
ip -n A link set "$vfnet" up
ip -n A neigh replace 10.9.0.2 lladdr 02:00:00:00:00:99 dev "$vfnet" nud permanent
ip -n A neigh replace 10.9.0.3 lladdr 02:00:00:00:00:98 dev "$vfnet" nud permanent
# br0 over the PF, and B behind it on a veth.
ip link add br0 type bridge
ip link set br0 type bridge ageing_time 30000
ip link set "$PF" master br0
ip link set "$PF" up
ip link set br0 up
guest() { # NAME MAC ADDRESS
  ip netns add "$1"
  ip link add "v$1" type veth peer name "v$1h"
  ip link set "v$1" netns "$1"
  ip -n "$1" link set "v$1" address "$2"
  ip -n "$1" link set lo up
  ip -n "$1" addr add "$3/24" dev "v$1"
  ip -n "$1" link set "v$1" up
  ip -n "$1" neigh replace 10.9.0.1 lladdr 02:00:00:00:aa:01 dev "v$1" nud permanent
  ip link set "v$1h" master br0
  ip link set "v$1h" up
}
guest B 02:00:00:00:00:99 10.9.0.2
n=0
while [ "$(cat /sys/class/net/$PF/operstate)" != up ] && [ $n -lt 20 ]; do sleep 0.5; n=$((n + 1)); done
sleep 2
# B speaks first, so the bridge learns its MAC on vBh (its frames reach A; A's answers go to the wire).
ip netns exec B ping -c 2 -W 1 10.9.0.1 > ping-b-to-a-before.out 2>&1; echo $? > ping-b-to-a-before.code
bridge -j fdb show > fdb-before.json
ip netns exec A ping -c 3 -W 1 10.9.0.2 > ping-before.out 2>&1; echo $? > ping-before.code

# The key on: plan shows the entry, apply adds it; the codec's fixtures are captured meanwhile.
write_config "sync-bridge-fdb = true"
record plan sriovctl plan
record plan-json sriovctl plan --json
record apply2 sriovctl apply
bridge -j fdb show > fdb-synced.json
sriovctl debug capture-netlink --fdb fdb-dump.bin > capture-fdb.out 2>&1
bridge -j fdb show > fdb-dump-witness.json
sriovctl debug capture-netlink link-dump.bin > capture-links.out 2>&1
ip -d -j link show > link-dump-witness.json
cp /run/sriovctl/bridge-fdb.json record-after-apply.json 2> /dev/null
record status sriovctl status --json
ip netns exec A ping -c 3 -W 1 10.9.0.2 > ping-after.out 2>&1; echo $? > ping-after.code
record plan-again sriovctl plan --detailed-exitcode

# watch: C appears, sends, and must be reachable from A within 2 s of sending.
sriovctl watch > watch.out 2> watch.err &
watcher=$!
sleep 3
guest C 02:00:00:00:00:98 10.9.0.3
sleep 1
start=$(cut -d' ' -f1 /proc/uptime)
ip netns exec C ping -c 1 -W 1 10.9.0.1 > /dev/null 2>&1 &
reached=none
n=0
while [ $n -lt 50 ]; do
  if ip netns exec A ping -c 1 -W 1 10.9.0.3 > /dev/null 2>&1; then
    reached=$(cut -d' ' -f1 /proc/uptime)
    break
  fi
  n=$((n + 1))
done
echo "$start $reached" > watch-c.span
bridge -j fdb show > fdb-with-c.json
# C goes away (its veth with it): br0 flushes C's entry, and watch takes C's MAC out of the PF's table.
start=$(cut -d' ' -f1 /proc/uptime)
ip netns del C
gone=none
n=0
while [ $n -lt 50 ]; do
  if ! bridge fdb show dev "$PF" | grep -q "02:00:00:00:00:98 self"; then
    gone=$(cut -d' ' -f1 /proc/uptime)
    break
  fi
  sleep 0.1
  n=$((n + 1))
done
echo "$start $gone" > watch-c-gone.span
bridge -j fdb show > fdb-c-gone.json
kill -TERM $watcher
wait $watcher 2> /dev/null
cp /run/sriovctl/bridge-fdb.json record-after-watch.json 2> /dev/null

# The key off: apply removes exactly what sriovctl added.
write_config ""
record apply3 sriovctl apply
bridge -j fdb show > fdb-after-off.json
cp /run/sriovctl/bridge-fdb.json record-after-off.json 2> /dev/null
ip netns exec A ping -c 3 -W 1 10.9.0.2 > ping-off.out 2>&1; echo $? > ping-off.code

# Leave the host as the next scenario expects it.
ip link set "$PF" nomaster
ip link del br0
for ns in A B C; do ip netns del $ns 2> /dev/null; done
true
