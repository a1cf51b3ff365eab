#!/usr/bin/env bash
# Builds (once, cached in lab/.cache/rootfs) a minimal Debian bookworm with systemd, udev, grub
# and initramfs-tools, with the lab's Debian kernel installed in it (modules and initrd), for the
# scenarios that need a real boot: systemd units, reboots, host preparation.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/.cache"
rootfs="$cache/rootfs"
# What the rootfs holds; a cached one made from another list is made again.
include=systemd,systemd-sysv,udev,kmod,iproute2,grub2-common,initramfs-tools,procps,man-db
[ "$(cat "$rootfs/.done" 2>/dev/null)" = "$include" ] && { echo "lab: rootfs ready"; exit 0; }
"$here/provision.sh" >/dev/null
# The mirror this machine already uses, read from its own sources: never written into the project.
mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
echo "lab: debootstrap bookworm (about a minute)"
rm -rf "$rootfs"
debootstrap --variant=minbase \
  --include="$include" \
  bookworm "$rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 || { tail -20 "$cache/debootstrap.log"; exit 1; }
deb=$(ls "$cache"/deb/*.deb | head -1)
cp "$deb" "$rootfs/tmp/kernel.deb"
mount -t proc proc "$rootfs/proc"
trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
echo "lab: installing the kernel in the rootfs"
chroot "$rootfs" /bin/sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-base >/dev/null 2>&1; dpkg -i /tmp/kernel.deb >/dev/null 2>&1; rm -f /tmp/kernel.deb; apt-get clean'
umount "$rootfs/proc"
trap - EXIT
ls "$rootfs"/boot/initrd.img-* >/dev/null || { echo "lab: the kernel did not install in the rootfs" >&2; exit 1; }
# A root password is not needed: nothing logs in. The serial console shows the boot.
echo "sriovlab" > "$rootfs/etc/hostname"
printf '/dev/vda / ext4 rw 0 1\n' > "$rootfs/etc/fstab"
echo "$include" > "$rootfs/.done"
echo "lab: rootfs ready ($(du -sh "$rootfs" | cut -f1))"
