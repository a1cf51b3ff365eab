#!/usr/bin/env bash
# Sourced by lab/run.sh before the disk image is made: the package, built twice (revision 1, then a
# rebuild with a higher revision for the upgrade), goes into the image; the lab's own copy of the
# binary does not (the package must bring everything).
"$top/scripts/package" --revision 1 --output "$work/pkg" | grep -E "^package: /|bytes|^[EW]: "
"$top/scripts/package" --no-lint --revision 2 --output "$work/pkg" | grep -E "^package: /"
mkdir -p "$image_dir/var/lib/lab/pkg"
cp "$work"/pkg/sriovctl_*-1_amd64.deb "$work"/pkg/sriovctl_*-2_amd64.deb "$image_dir/var/lib/lab/pkg/"
rm -f "$image_dir/usr/local/sbin/sriovctl"
# The STAND-IN qm, for the removal of a package whose hookscript Proxmox guests have.
install -m 0755 "$here/standins/qm" "$image_dir/usr/sbin/qm"
