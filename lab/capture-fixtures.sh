#!/usr/bin/env bash
# Copies what the last lab run captured into Tests/Fixtures, for the rooted and codec tests:
#   lab-igb-4vfs/      the guest's sysfs subtree (PF + 4 VFs, one on vfio-pci), its netlink dump
#                      at run/sriovctl/netlink-dump.bin, and iproute2's and sysfs's view taken with it
#   netlink/igb-4vfs-dump-stats.bin   a raw RTM_GETLINK dump with VF stats, same moment
# Run `lab/run.sh 10-status-manual` first. The fixtures are committed; CI does not regenerate them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out="$here/.work/out/10-status-manual"
[ -d "$out/tree" ] || { echo "no capture: run lab/run.sh 10-status-manual first" >&2; exit 1; }
rm -rf "$top/Tests/Fixtures/lab-igb-4vfs"
mkdir -p "$top/Tests/Fixtures/netlink"
cp -a "$out/tree" "$top/Tests/Fixtures/lab-igb-4vfs"
cp "$out/netlink-dump-stats.bin" "$top/Tests/Fixtures/netlink/igb-4vfs-dump-stats.bin"
cp "$here/.work/out/guest.txt" "$top/Tests/Fixtures/lab-igb-4vfs/GUEST"
echo "fixtures updated from $(cat "$here/.work/out/guest.txt")"
