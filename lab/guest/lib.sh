# Helpers shared by the guest scenarios (sourced, busybox sh).

# busybox sh runs its own applets before searching PATH: without this, `ip` would be busybox's
# cut-down applet instead of iproute2, the independent witness.
ip() { /sbin/ip "$@"; }
bridge() { /sbin/bridge "$@"; }
# The first network PF with SR-IOV: in the lab, the emulated 82576 (igb).
pf_name() {
  for d in /sys/class/net/*; do
    [ -f "$d/device/sriov_totalvfs" ] && { basename "$d"; return; }
  done
}
PF=$(pf_name)
PF_PCI=$(basename "$(readlink /sys/class/net/$PF/device)")
PF_SYS=/sys/bus/pci/devices/$PF_PCI

# Runs a command, keeping its stdout, stderr and exit code in files named after $1.
record() {
  local name=$1; shift
  "$@" > "$name.out" 2> "$name.err"
  echo $? > "$name.code"
}

# Binds a VF (PCI address) to a driver the way the kernel documents: unbind, override, probe.
bind_vf() {
  local addr=$1 driver=$2
  [ -e /sys/bus/pci/devices/$addr/driver ] && echo "$addr" > /sys/bus/pci/devices/$addr/driver/unbind
  echo "$driver" > /sys/bus/pci/devices/$addr/driver_override
  echo "$addr" > /sys/bus/pci/drivers_probe
}

# Writes every sysfs fact sriovctl reads for the PF and its VFs, one `key=value` per line.
sysfs_facts() {
  local v i addr
  echo "pf.pci=$PF_PCI"
  echo "pf.driver=$(basename "$(readlink $PF_SYS/driver)")"
  echo "pf.netdev=$PF"
  echo "pf.totalvfs=$(cat $PF_SYS/sriov_totalvfs)"
  echo "pf.numvfs=$(cat $PF_SYS/sriov_numvfs)"
  for v in $PF_SYS/virtfn*; do
    [ -e "$v" ] || continue
    i=${v##*virtfn}
    addr=$(basename "$(readlink "$v")")
    echo "vf$i.pci=$addr"
    echo "vf$i.iommu_group=$(basename "$(readlink /sys/bus/pci/devices/$addr/iommu_group)")"
    if [ -e /sys/bus/pci/devices/$addr/driver ]; then
      echo "vf$i.driver=$(basename "$(readlink /sys/bus/pci/devices/$addr/driver)")"
    else
      echo "vf$i.driver="
    fi
    echo "vf$i.netdev=$(ls /sys/bus/pci/devices/$addr/net 2>/dev/null | head -n1)"
  done
}

# Copies the sysfs subtree sriovctl reads into $1, keeping the link names, so that
# `sriovctl --root $1` (and the rooted tests) read the same shapes as the kernel's.
capture_tree() {
  local dest=$1 addr d t f v n
  for addr in $PF_PCI $(for v in $PF_SYS/virtfn*; do [ -e "$v" ] && basename "$(readlink "$v")"; done); do
    d=/sys/bus/pci/devices/$addr
    t=$dest/sys/bus/pci/devices/$addr
    mkdir -p "$t"
    for f in vendor device class sriov_totalvfs sriov_numvfs sriov_drivers_autoprobe sriov_vf_device \
             sriov_offset sriov_stride driver_override; do
      [ -f "$d/$f" ] && cat "$d/$f" > "$t/$f" 2>/dev/null
    done
    [ -e "$d/driver" ] && ln -s "../../../../bus/pci/drivers/$(basename "$(readlink "$d/driver")")" "$t/driver"
    [ -e "$d/iommu_group" ] && ln -s "../../../../kernel/iommu_groups/$(basename "$(readlink "$d/iommu_group")")" "$t/iommu_group"
    [ -e "$d/physfn" ] && ln -s "../$(basename "$(readlink "$d/physfn")")" "$t/physfn"
    for v in "$d"/virtfn*; do
      [ -e "$v" ] && ln -s "../$(basename "$(readlink "$v")")" "$t/$(basename "$v")"
    done
    for n in "$d"/net/*; do
      [ -d "$n" ] || continue
      mkdir -p "$t/net/$(basename "$n")"
      for f in address mtu operstate ifindex carrier flags; do
        cat "$n/$f" > "$t/net/$(basename "$n")/$f" 2>/dev/null
      done
    done
  done
  mkdir -p "$dest/run/sriovctl"
  sriovctl debug capture-netlink "$dest/run/sriovctl/netlink-dump.bin" > /dev/null
}

# Waits (up to 15 s) until the PF's carrier is up and the VFs' drivers have settled, so that a
# before/after comparison sees only what sriovctl did, not link negotiation finishing.
settle() {
  local n=0
  ip link set $PF up
  while [ "$(cat /sys/class/net/$PF/operstate)" != up ] && [ $n -lt 30 ]; do sleep 0.5; n=$((n + 1)); done
  sleep 1
}
