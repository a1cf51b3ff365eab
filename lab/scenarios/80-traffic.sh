# Traffic on the real igb: VF 1 on igbvf pings the user network's gateway, VF 0 is on vfio-pci.
# `top --once --json` and `serve`'s /metrics must show VF 1's traffic from its own netdev
# (igb keeps no per-VF counters) and say "no per-VF counters" for VF 0, never 0.
. /lab/lib.sh
echo 0 > $PF_SYS/sriov_numvfs
ip link set lo up
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/sriovctl.toml <<CONFIG
[[pf]]
name = "$PF"
num-vfs = 2
[[pf.vf]]
index = 0
driver = "vfio-pci"
[[pf.vf]]
index = 1
driver = "host"
CONFIG
record apply sriovctl apply
settle
vf1=$(basename "$(readlink $PF_SYS/virtfn1)")
net=$(ls /sys/bus/pci/devices/$vf1/net | head -n1)
echo "$net" > vf1-netdev.txt
ip link set "$net" up
ip addr add 10.0.2.15/24 dev "$net"
n=0
while [ "$(cat /sys/class/net/$net/operstate)" != up ] && [ $n -lt 20 ]; do sleep 0.5; n=$((n + 1)); done
( while :; do ping -c 1 -W 1 10.0.2.2 > /dev/null 2>&1; sleep 0.1; done ) &
pinger=$!
sleep 2
ping -c 3 -W 2 10.0.2.2 > ping.out 2>&1; echo $? > ping.code

# top: two reads 2 s apart; the witness is iproute2's counters for the VF netdev around it.
ip -s -j link show "$net" > witness-top-before.json
record top sriovctl top --once --json --interval 2
ip -s -j link show "$net" > witness-top-after.json
# What the PF itself reports for its VFs meanwhile (IFLA_VF_STATS, as iproute2 reads it).
ip -s -d -j link show "$PF" > witness-pf-vfstats.json
record top-text sriovctl top --once --interval 1

# serve: two scrapes; the witness brackets the second.
sriovctl serve --listen 127.0.0.1:9808 > serve.out 2> serve.err &
server=$!
n=0
until wget -q -O metrics1.txt http://127.0.0.1:9808/metrics 2> /dev/null || [ $n -ge 50 ]; do sleep 0.2; n=$((n + 1)); done
sleep 2
ip -s -j link show "$net" > witness-metrics-before.json
wget -q -O metrics2.txt http://127.0.0.1:9808/metrics; echo $? > metrics2.code
ip -s -j link show "$net" > witness-metrics-after.json
grep VmHWM /proc/$server/status > serve-rss.txt
start=$(cut -d' ' -f1 /proc/uptime)
kill -TERM $server
wait $server; echo $? > serve.code
end=$(cut -d' ' -f1 /proc/uptime)
echo "$start $end" > serve-stop.span
kill $pinger 2> /dev/null
wait $pinger 2> /dev/null
true
