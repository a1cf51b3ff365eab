#!/usr/bin/env bash
# Installs what the lab needs on a Debian bookworm machine: QEMU 10 from bookworm-backports (the
# first Debian QEMU with the emulated 82576 `igb` device), busybox, cpio, kmod, iproute2, and a
# Debian kernel unpacked under lab/.cache/kernel. Idempotent: a second run only checks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache="$here/.cache"
mkdir -p "$cache"

need_apt_update=0
backports=/etc/apt/sources.list.d/sriovctl-lab-backports.sources
# Another source that already names bookworm-backports is used as it is: a second one for the
# same suite makes apt warn "configured multiple times" on every run.
other_backports=$(grep -lsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -vx "$backports" || true)
if [ -n "$other_backports" ] && [ -f "$backports" ]; then
  echo "lab: bookworm-backports is already in $other_backports; removing the lab's own $backports"
  rm -f "$backports"
  need_apt_update=1
elif [ -z "$other_backports" ] && [ ! -f "$backports" ]; then
  # The first stanza of the system's own sources, with the suite changed: no host is named here.
  awk 'BEGIN{RS=""; ORS="\n\n"} NR==1{print; exit}' /etc/apt/sources.list.d/debian.sources \
    | sed -E 's/^Suites:.*/Suites: bookworm-backports/' > "$backports"
  need_apt_update=1
fi

have_igb() { command -v qemu-system-x86_64 >/dev/null && qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; }
pkgs=(busybox-static cpio kmod iproute2 debootstrap e2fsprogs)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ! have_igb || [ ${#missing[@]} -gt 0 ] || [ ! -f "$cache/kernel/.done" ] || ! ls "$cache"/deb/*.deb >/dev/null 2>&1; then
  need_apt_update=1
fi
if [ "$need_apt_update" = 1 ]; then
  echo "lab: apt-get update"
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "lab: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! have_igb; then
  echo "lab: installing qemu-system-x86 from bookworm-backports"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports qemu-system-x86 >/dev/null
fi
have_igb || { echo "lab: this QEMU has no igb device" >&2; exit 1; }

if [ ! -f "$cache/kernel/.done" ] || ! ls "$cache"/deb/*.deb >/dev/null 2>&1; then
  # The backports kernel (6.12) is closest to Proxmox VE 8/9 kernels.
  kpkg=$(apt-cache depends -t bookworm-backports linux-image-amd64 2>/dev/null \
    | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
  [ -n "$kpkg" ] || { echo "lab: cannot resolve the backports kernel package" >&2; exit 1; }
  echo "lab: fetching $kpkg"
  rm -rf "$cache/kernel" "$cache/deb"; mkdir -p "$cache/kernel" "$cache/deb"
  (cd "$cache/deb" && apt-get download -o APT::Sandbox::User=root -t bookworm-backports "$kpkg" >/dev/null)
  dpkg-deb -x "$cache"/deb/*.deb "$cache/kernel"
  echo "$kpkg" > "$cache/kernel/.done"
fi
echo "lab: ready ($(qemu-system-x86_64 --version | head -1); kernel $(cat "$cache/kernel/.done"))"
