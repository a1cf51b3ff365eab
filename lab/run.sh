#!/usr/bin/env bash
# The lab: boots a real Linux kernel (Debian's) in QEMU with an emulated Intel 82576 (igb, real
# SR-IOV, 7 VFs), a vIOMMU and vfio, runs the scenarios in lab/scenarios inside it with the static
# sriovctl, and checks what they recorded against iproute2 and sysfs.
#
#   lab/run.sh                 provision if needed, build, boot, run every scenario, check
#   lab/run.sh 10-status-manual   only the named scenarios (comma or space separated)
#
# Results: lab/.work/out/SCENARIO/ (the files each scenario wrote), and one PASS/FAIL line each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work="$here/.work"
cache="$here/.cache"

"$here/provision.sh"

only=$(echo "${*:-}" | tr ' ' ',' | sed 's/^,*//; s/,*$//')
selected() { [ -z "$only" ] || echo ",$only," | grep -q ",$1,"; }
initramfs_scenarios=""
for f in "$here"/scenarios/*.sh; do
  n=$(basename "$f" .sh); selected "$n" && initramfs_scenarios="$initramfs_scenarios,$n"
done
boot_scenarios=""
for d in "$here"/boot-scenarios/*/; do
  n=$(basename "$d"); selected "$n" && boot_scenarios="$boot_scenarios $n"
done
initramfs_scenarios=${initramfs_scenarios#,}

echo "lab: building the static sriovctl"
build_log=$(mktemp)
# A failed build stops the lab: an older binary left in .build-static must not be tested instead.
if ! (cd "$top" && swift build -c release --static-swift-stdlib -Xswiftc -static-executable --product sriovctl \
  --scratch-path "$top/.build-static" > "$build_log" 2>&1); then
  grep -E "error" "$build_log" | head -20 >&2
  rm -f "$build_log"
  echo "lab: the static build failed" >&2
  exit 1
fi
grep -E "warning: unre|Compiling sriovctl|Build complete" "$build_log" || true
rm -f "$build_log"
bin="$top/.build-static/release/sriovctl"
[ -x "$bin" ] || { echo "lab: the static build failed" >&2; exit 1; }

# Every QEMU this run starts ends with it: on an interrupt, a kill or an error, the running one is
# stopped (timeout passes the signal on to QEMU).
qemu_pid=""
stop_qemu() { if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; wait "$qemu_pid" 2>/dev/null || true; qemu_pid=""; fi; }
trap stop_qemu EXIT
trap 'stop_qemu; exit 130' INT
trap 'stop_qemu; exit 143' TERM HUP
# run_qemu SECONDS ARGS...: QEMU in the background (so the traps above can stop it), waited for.
run_qemu() {
  local limit=$1; shift
  timeout "$limit" "$@" </dev/null &
  qemu_pid=$!
  wait "$qemu_pid" || true
  qemu_pid=""
}

kver=$(ls "$cache/kernel/lib/modules")
rm -rf "$work/out"
mkdir -p "$work/out"
qemu_base=(qemu-system-x86_64 -accel tcg -cpu max,vendor=GenuineIntel -m 1024 -smp 1 -display none -monitor none
  -machine q35,kernel-irqchip=split -device intel-iommu,intremap=on,caching-mode=on
  -netdev user,id=n0,restrict=on -device pcie-root-port,id=rp0,chassis=1 -device igb,netdev=n0,bus=rp0)

if [ -n "$initramfs_scenarios" ]; then
rm -rf "$work/initramfs"
mkdir -p "$work/initramfs"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,modules,lab}
root="$work/initramfs"

# busybox for the shell and tools, iproute2's ip with the libraries ldd names, our binary.
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  # iproute2's ip is the witness; busybox's own ip applet must not shadow it.
  case "$applet" in busybox|ip) ;; *) ln -sf busybox "$root/bin/$applet" ;; esac
done
cp "$(command -v ip)" "$root/sbin/ip"
cp "$(command -v bridge)" "$root/sbin/bridge"
for lib in $(ldd "$(command -v ip)" "$(command -v bridge)" | awk '/=> \//{print $3} /^\t\/lib64/{print $1}' | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cp "$bin" "$root/bin/sriovctl"
# Stand-ins for tools that cannot run here (Proxmox's qm), clearly named as such in their text.
cp "$here"/standins/* "$root/usr/sbin/"

# Modules in dependency order, decompressed so busybox insmod can load them.
depmod -b "$cache/kernel" "$kver"
: > "$root/modules/order"
for m in igb igbvf vfio vfio_iommu_type1 vfio-pci bridge veth; do
  modprobe -d "$cache/kernel" -S "$kver" --show-depends "$m" | awk '$1=="insmod"{print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  name=$(basename "$ko" .xz)
  xz -dc "$ko" > "$root/modules/$name"
  echo "$name" >> "$root/modules/order"
done

cp "$here/guest/init" "$root/init"
chmod +x "$root/init"
mkdir -p "$root/lab/scenarios"
cp "$here"/scenarios/*.sh "$root/lab/scenarios/"
cp "$here/guest/lib.sh" "$root/lab/lib.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz"

console="$work/console-initramfs.log"
results="$work/results-initramfs.txt"
: > "$results"
echo "lab: booting $kver with an emulated 82576 (TCG) for: $initramfs_scenarios"
started=$(date +%s)
run_qemu 1500 "${qemu_base[@]}" -no-reboot \
  -kernel "$cache/kernel/boot/vmlinuz-$kver" -initrd "$work/initrd.gz" \
  -append "console=ttyS0 intel_iommu=on iommu=pt quiet loglevel=3 panic=-1 sriovlab.only=$initramfs_scenarios" \
  -serial "file:$console" -serial "file:$results"
echo "lab: guest ran $(( $(date +%s) - started )) s"
python3 "$here/check/collect.py" "$results" "$work/out" initramfs
fi

# Full boots: a Debian rootfs with systemd, the scenario's files laid over it, booted from disk.
# boot_disk N IOMMU(on|off) EXTRA-KERNEL-ARGS KERNEL INITRD: one boot of $disk (a guest reboot
# stays in the same run); the second serial port appends to $results.
boot_disk() {
  local iommu=()
  [ "$2" = on ] && iommu=(-device intel-iommu,intremap=on,caching-mode=on)
  run_qemu 1800 qemu-system-x86_64 -accel tcg -cpu max,vendor=GenuineIntel -m 1024 -smp 1 -display none -monitor none \
    -machine q35,kernel-irqchip=split "${iommu[@]}" \
    -netdev user,id=n0,restrict=on -device pcie-root-port,id=rp0,chassis=1 -device igb,netdev=n0,bus=rp0 \
    -kernel "$4" -initrd "$5" -drive "file=$disk,if=virtio,format=raw" \
    -append "root=/dev/vda rw console=ttyS0 quiet loglevel=3 panic=-1 $3" \
    -serial "file:$work/console-$name-$1.log" -serial "file:$work/serial-$name-$1.txt"
  cat "$work/serial-$name-$1.txt" >> "$results"
}
# disk_cat PATH: a file from the guest's disk, read without mounting it.
disk_cat() { debugfs -R "cat $1" "$disk" 2>/dev/null; }
disk_dump() { debugfs -R "dump $1 $2" "$disk" >/dev/null 2>&1; }
for name in $boot_scenarios; do
  "$here/rootfs.sh"
  image_dir="$work/rootfs-$name"
  rm -rf "$image_dir"
  cp -a "$cache/rootfs" "$image_dir"
  cp -a "$here/boot-scenarios/$name/overlay/." "$image_dir/"
  install -m 0755 "$bin" "$image_dir/usr/local/sbin/sriovctl"
  mkdir -p "$image_dir/etc/systemd/system/multi-user.target.wants"
  # A scenario may add to its image what only the host can make (lab/boot-scenarios/*/prepare.sh).
  if [ -f "$here/boot-scenarios/$name/prepare.sh" ]; then source "$here/boot-scenarios/$name/prepare.sh"; fi
  for unit in "$here/boot-scenarios/$name/overlay/etc/systemd/system/"*.service; do
    ln -sf "/etc/systemd/system/$(basename "$unit")" "$image_dir/etc/systemd/system/multi-user.target.wants/$(basename "$unit")"
  done
  rm -f "$work/disk-$name.raw"
  mke2fs -q -t ext4 -d "$image_dir" "$work/disk-$name.raw" 2G
  rm -rf "$image_dir"
  disk="$work/disk-$name.raw"
  results="$work/results-$name.txt"
  : > "$results"
  started=$(date +%s)
  if [ -f "$here/boot-scenarios/$name/boots.sh" ]; then
    # The scenario boots the disk as often, and with what, as it needs (see boot_disk below).
    source "$here/boot-scenarios/$name/boots.sh"
  else
    echo "lab: booting the systemd rootfs for $name"
    boot_disk 1 on "intel_iommu=on iommu=pt" "$cache/rootfs/boot/vmlinuz-$kver" "$cache/rootfs/boot/initrd.img-$kver"
  fi
  echo "lab: $name ran $(( $(date +%s) - started )) s"
  rm -f "$work/disk-$name.raw"
  python3 "$here/check/collect.py" "$results" "$work/out" "$name"
done

python3 "$here/check/verify.py" "$work/out" "$here/check"
