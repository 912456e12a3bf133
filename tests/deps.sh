#!/usr/bin/env bash
# Installs what building (`deps.sh build`) or testing (`deps.sh test`) needs on a fresh Debian 12 machine,
# skipping whatever is already there. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."
build_pkgs=(clang lld llvm zlib1g-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross)
test_pkgs=(ffmpeg chromium fonts-dejavu-core qemu-user-static qemu-system-x86 qemu-system-arm busybox-static cpio
           kmod v4l-utils build-essential util-linux
           vlc-bin vlc-plugin-base mpv gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
           gstreamer1.0-plugins-bad gstreamer1.0-libav python3-m3u8 python3-prometheus-client python3-opencv nginx wget
           python3-numpy espeak-ng alsa-utils
           apache2-utils)
kver=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1 || true)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")
missing=()
for p in "${want[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ "${1:-build}" = test ]; then
  if [ -z "$kver" ]; then apt-get update -qq; kver=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1); fi
  dpkg-query -W -f='${Status}' "linux-headers-$kver" 2>/dev/null | grep -q 'ok installed' || missing+=("linux-headers-$kver")
fi
# The arm64 VM rig (tests/vm/setup.sh with VM_ARCH=arm64) downloads Debian's arm64 kernel, headers, busybox and
# v4l-utils with `apt-get download PKG:arm64` (unpacked, never installed): apt must know the architecture.
add_arm64=no
[ "${1:-build}" = test ] && ! dpkg --print-foreign-architectures | grep -qx arm64 && add_arm64=yes
if [ ${#missing[@]} -gt 0 ] || [ $add_arm64 = yes ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  [ $add_arm64 = yes ] && { echo "adding the arm64 architecture to apt (for the arm64 VM rig's downloads)"; $sudo dpkg --add-architecture arm64; }
  [ ${#missing[@]} -gt 0 ] && echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  [ ${#missing[@]} -eq 0 ] || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${1:-build}" = test ] && ! command -v npm >/dev/null; then echo "npm is missing: install Node.js 18+ with npm" >&2; exit 1; fi
if [ "${1:-build}" = test ] && ! (cd tests/browser && npm ls --silent >/dev/null 2>&1); then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
