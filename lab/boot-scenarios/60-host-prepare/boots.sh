# Sourced by lab/run.sh. Boot 1 without the vIOMMU or IOMMU parameters; then, as the bootloader
# would, boot with the kernel command line `host prepare` put in grub.cfg and the initrd it built.
echo "lab: $name boot 1 (no vIOMMU, no IOMMU parameters)"
boot_disk 1 off "" "$cache/rootfs/boot/vmlinuz-$kver" "$cache/rootfs/boot/initrd.img-$kver"
linux_line=$(disk_cat /boot/grub/grub.cfg | grep -m1 -E '^\s*linux\s' || true)
# The words after the kernel path, without root= and ro (the lab passes the disk as /dev/vda rw).
grub_args=$(echo "$linux_line" | awk '{for (i = 3; i <= NF; i++) if ($i !~ /^root=/ && $i != "ro") printf "%s ", $i}')
echo "lab: $name boot 2 with the vIOMMU and grub.cfg's arguments: $grub_args"
disk_dump "/boot/initrd.img-$kver" "$work/initrd-$name.img"
[ -s "$work/initrd-$name.img" ] || cp "$cache/rootfs/boot/initrd.img-$kver" "$work/initrd-$name.img"
boot_disk 2 on "$grub_args" "$cache/rootfs/boot/vmlinuz-$kver" "$work/initrd-$name.img"
rm -f "$work/initrd-$name.img"
