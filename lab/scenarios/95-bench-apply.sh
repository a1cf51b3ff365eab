# Benchmark: a full 7-VF config applied by sriovctl against the same done by hand the way the
# manual guides do it (echo N > sriov_numvfs, then one `ip link set` per VF setting). Wall times
# in milliseconds, each from 0 VFs, 3 rounds each; plus the netlink requests sriovctl sent.
. /lab/lib.sh
now_ms() { awk '{printf "%d\n", $1 * 1000}' /proc/uptime; }
mkdir -p /etc/sriovctl
{
  echo "[[pf]]"; echo "name = \"$PF\""; echo "num-vfs = 7"
  i=0
  while [ $i -lt 7 ]; do
    echo "[[pf.vf]]"; echo "index = $i"; echo "mac = \"02:00:00:00:01:0$i\""; echo "vlan = $((100 + i))"
    echo "spoof-check = false"; echo "trust = true"
    i=$((i + 1))
  done
} > /etc/sriovctl/sriovctl.toml
script() {
  echo 7 > $PF_SYS/sriov_numvfs
  i=0
  while [ $i -lt 7 ]; do
    ip link set $PF vf $i mac 02:00:00:00:01:0$i
    ip link set $PF vf $i vlan $((100 + i))
    ip link set $PF vf $i spoofchk off
    ip link set $PF vf $i trust on
    i=$((i + 1))
  done
}
settle
sriovctl_total=0; script_total=0; round=0
while [ $round -lt 3 ]; do
  echo 0 > $PF_SYS/sriov_numvfs; sleep 1
  t0=$(now_ms); SRIOVCTL_NETLINK_STATS=1 sriovctl apply > apply.out 2> apply.err; code=$?; t1=$(now_ms)
  [ $code = 0 ] || { echo "apply failed: $(cat apply.err)" >&2; exit 1; }
  sriovctl_total=$((sriovctl_total + t1 - t0))
  echo 0 > $PF_SYS/sriov_numvfs; sleep 1
  t0=$(now_ms); script; t1=$(now_ms)
  script_total=$((script_total + t1 - t0))
  round=$((round + 1))
done
sriovctl status --json > status-after-script.json
echo "sriovctl_ms=$((sriovctl_total / 3))" > bench.txt
echo "script_ms=$((script_total / 3))" >> bench.txt
echo "sriovctl_requests=$(sed -n 's/.*netlink requests sent: //p' apply.err)" >> bench.txt
echo "script_ip_commands=28" >> bench.txt
cat bench.txt
