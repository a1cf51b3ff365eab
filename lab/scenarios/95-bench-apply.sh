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

# The same 7 VFs for VMs: MACs and vfio-pci. By hand (the guides' way): make them (igbvf binds
# each one), set the MACs, then driver_override, unbind, drivers_probe. sriovctl makes them with
# autoprobe off, so igbvf never binds one. The kernel log says which driver probed what: igbvf
# logs each VF it binds, by PCI address.
{
  echo "[[pf]]"; echo "name = \"$PF\""; echo "num-vfs = 7"
  echo "[pf.defaults]"; echo "driver = \"vfio-pci\""
  i=0
  while [ $i -lt 7 ]; do
    echo "[[pf.vf]]"; echo "index = $i"; echo "mac = \"02:00:00:00:02:0$i\""
    i=$((i + 1))
  done
} > /etc/sriovctl/sriovctl.toml
script_vfio() {
  echo 7 > $PF_SYS/sriov_numvfs
  i=0
  while [ $i -lt 7 ]; do ip link set $PF vf $i mac 02:00:00:00:02:0$i; i=$((i + 1)); done
  for vf in $PF_SYS/virtfn*; do
    addr=$(basename "$(readlink $vf)")
    echo vfio-pci > /sys/bus/pci/devices/$addr/driver_override
    [ -e /sys/bus/pci/devices/$addr/driver ] && echo $addr > /sys/bus/pci/devices/$addr/driver/unbind
    echo $addr > /sys/bus/pci/drivers_probe
  done
}
igbvf_lines() { dmesg | grep -c 'igbvf 0000:' ; }
sriovctl_total=0; script_total=0; round=0; sriovctl_igbvf=0; script_igbvf=0
while [ $round -lt 3 ]; do
  echo 0 > $PF_SYS/sriov_numvfs; sleep 1; dmesg -c > /dev/null
  t0=$(now_ms); sriovctl apply > apply-vfio.out 2> apply-vfio.err; code=$?; t1=$(now_ms)
  [ $code = 0 ] || { echo "vfio apply failed: $(cat apply-vfio.err)" >&2; exit 1; }
  sriovctl_total=$((sriovctl_total + t1 - t0)); sriovctl_igbvf=$((sriovctl_igbvf + $(igbvf_lines)))
  cat $PF_SYS/sriov_drivers_autoprobe > autoprobe-after-apply.txt
  sriovctl status --json > status-vfio-apply.json
  for vf in $PF_SYS/virtfn*; do basename "$(readlink $vf/driver)"; done | sort | uniq -c > drivers-after-apply.txt
  for vf in $PF_SYS/virtfn*; do echo "" > $vf/driver_override; done
  echo 0 > $PF_SYS/sriov_numvfs; sleep 1; dmesg -c > /dev/null
  t0=$(now_ms); script_vfio; t1=$(now_ms)
  script_total=$((script_total + t1 - t0)); script_igbvf=$((script_igbvf + $(igbvf_lines)))
  for vf in $PF_SYS/virtfn*; do echo "" > $vf/driver_override; done
  round=$((round + 1))
done
# One more, untimed, with each logged step stamped (ms since sriovctl started): where the time goes.
echo 0 > $PF_SYS/sriov_numvfs; sleep 1
SRIOVCTL_STEP_TIMES=1 sriovctl apply > apply-vfio-times.out 2> apply-vfio-times.err
for vf in $PF_SYS/virtfn*; do echo "" > $vf/driver_override; done
echo 0 > $PF_SYS/sriov_numvfs
echo "vfio_sriovctl_ms=$((sriovctl_total / 3))" >> bench.txt
echo "vfio_script_ms=$((script_total / 3))" >> bench.txt
echo "vfio_sriovctl_igbvf_lines=$sriovctl_igbvf" >> bench.txt
echo "vfio_script_igbvf_lines=$script_igbvf" >> bench.txt
cat bench.txt
