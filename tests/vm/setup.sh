#!/bin/bash
# Prepares the VM rig (idempotent, cached): Debian's stock kernel + its vivid module, v4l2loopback built
# against the matching headers, static helpers, a test H264 stream and a base initramfs.
# usage: tests/vm/setup.sh            prints the work dir's key paths (KEY=VALUE) on success
# env:   FMP4_VM_WORK (default REPO/.work/vm)
#        VM_ARCH      x86_64 (default) or arm64: Debian's arm64 kernel, its modules and v4l2loopback cross-built
#                     against its headers, arm64 busybox and v4l2-ctl (their .debs are only unpacked), helpers
#                     cross-compiled; cached in WORK/arm64. No M2M or UVC modules for arm64.
# Installs nothing: a missing prerequisite is reported with the apt package that provides it (exit 2).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TOP=${FMP4_VM_WORK:-$REPO/.work/vm}
ARCH=${VM_ARCH:-x86_64}
case $ARCH in
  x86_64) DEBARCH=amd64; W=$TOP; CC=gcc; MAKEARCH=() ;;
  arm64) DEBARCH=arm64; W=$TOP/arm64; CC=aarch64-linux-gnu-gcc; MAKEARCH=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) ;;
  *) echo "vm-setup: VM_ARCH must be x86_64 or arm64, not $ARCH" >&2; exit 2 ;;
esac
log() { echo "vm-setup: $*" >&2; }
. "$HERE/kernel-source.sh"

# --- prerequisites -------------------------------------------------------------------------------------
missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
if [ "$ARCH" = arm64 ]; then
  need_cmd qemu-system-aarch64 qemu-system-arm
  need_cmd aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
  [ -e /usr/aarch64-linux-gnu/lib/libc.a ] || missing+=("libc6-dev-arm64-cross")
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "apt cannot fetch arm64 packages; enable them with: dpkg --add-architecture arm64 && apt-get update"; exit 2
  fi
else
  need_cmd qemu-system-x86_64 qemu-system-x86
fi
need_cmd cpio cpio
need_cmd depmod kmod
need_cmd modinfo kmod
need_cmd v4l2-ctl v4l-utils
need_cmd gcc build-essential
need_cmd make build-essential
need_cmd ffmpeg ffmpeg
need_cmd aplay alsa-utils
need_cmd amixer alsa-utils
need_cmd apt-get apt
need_cmd apt-cache apt
need_cmd dpkg-deb dpkg
need_cmd gzip gzip
need_cmd flock util-linux
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || missing+=("libc6-dev")
KVER=$(apt-cache depends "linux-image-$DEBARCH:$DEBARCH" 2>/dev/null | sed -n 's/.*Depends: linux-image-\([^:]*\).*$/\1/p' | head -1)
[ -n "$KVER" ] || { log "cannot resolve the kernel version: apt-cache depends linux-image-$DEBARCH:$DEBARCH (run apt-get update)"; exit 2; }
if [ "$ARCH" = arm64 ]; then
  # The arm64 headers (only unpacked) include the common tree and use the host's kbuild programs (fixdep, modpost)
  # from the packages the amd64 headers of the same version bring.
  [ -d "/usr/src/linux-headers-${KVER%-arm64}-common" ] || missing+=("linux-headers-${KVER%-arm64}-common")
  ls -d /usr/lib/linux-kbuild-*/scripts >/dev/null 2>&1 || missing+=("linux-kbuild-${KVER%%.[0-9]-*}")
else
  [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=("busybox-static")
  [ -d "/usr/src/linux-headers-$KVER" ] || missing+=("linux-headers-$KVER")
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "missing prerequisites; install with: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  exit 2
fi

mkdir -p "$W/downloads"
cd "$W"
# Two test runs may set up at once (e.g. two fixtures' processes): one builds, the other waits.
exec 9>"$W/.lock"
flock 9
K=$W/kernel-$KVER
# Sound drivers loaded at boot, after the video ones (so snd-aloop's card is 0 and snd-dummy's 1); arm64's kernel
# build has no snd-dummy.
SOUND_MODS="snd-aloop snd-dummy"
[ "$ARCH" = arm64 ] && SOUND_MODS="snd-aloop"
# In-tree modules that go to /lib/modules/extra (loaded by payloads, see below).
EXTRA_INTREE="dummy_hcd usb_f_uvc uvcvideo"
[ "$ARCH" = arm64 ] && EXTRA_INTREE=""
# download PKG...: apt-get download into downloads/ those not there yet, in one call (PKG may carry :arch)
download() {
  local p want=(); for p in "$@"; do ls downloads/"${p%%:*}"_*.deb >/dev/null 2>&1 || want+=("$p"); done
  [ ${#want[@]} -gt 0 ] || return 0
  log "downloading ${want[*]}"
  (cd downloads && apt-get download "${want[@]}" >/dev/null 2>&1) || { log "apt-get download ${want[*]} failed"; exit 1; }
}
M=$K/lib/modules/$KVER

# --- stock kernel ----------------------------------------------------------------------------------------
if [ ! -f "$K/.done" ]; then
  download "linux-image-$KVER:$DEBARCH"
  rm -rf "$K"; mkdir -p "$K"
  dpkg-deb -x downloads/linux-image-"$KVER"_*.deb "$K"
  depmod -b "$K" "$KVER"
  touch "$K/.done"
fi

# --- v4l2loopback from Debian's dkms source, built against the same kernel's headers ---------------------
SRC=$(ls -d /usr/src/v4l2loopback-* 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$SRC" ]; then
  if ! ls downloads/v4l2loopback-dkms_*.deb >/dev/null 2>&1; then
    log "downloading v4l2loopback-dkms (source only, not installed)"
    (cd downloads && apt-get download v4l2loopback-dkms >/dev/null 2>&1) || { log "apt-get download v4l2loopback-dkms failed"; exit 1; }
  fi
  [ -d lbsrc ] || { rm -rf lbsrc.tmp; dpkg-deb -x downloads/v4l2loopback-dkms_*.deb lbsrc.tmp; mv lbsrc.tmp lbsrc; }
  SRC=$(ls -d "$W"/lbsrc/usr/src/v4l2loopback-* | sort -V | tail -1)
fi
# The headers to build against: the installed ones for the host's kernel; for arm64 Debian's arm64 headers unpacked
# here, with their kbuild links pointed at the host's programs (the package's relative links would leave the tree).
HDR=/usr/src/linux-headers-$KVER
if [ "$ARCH" = arm64 ]; then
  HDR=$W/headers-$KVER/usr/src/linux-headers-$KVER
  if [ ! -f "$W/headers-$KVER/.done" ]; then
    download "linux-headers-$KVER:arm64"
    rm -rf "$W/headers-$KVER"
    dpkg-deb -x downloads/linux-headers-"$KVER"_*.deb "$W/headers-$KVER"
    for l in scripts tools; do ln -sfn "/usr/lib/$(readlink "$HDR/$l" | sed 's|.*/lib/||')" "$HDR/$l"; done
    touch "$W/headers-$KVER/.done"
  fi
fi
LB=$W/v4l2loopback-$(basename "$SRC" | sed 's/^v4l2loopback-//')-$KVER
if [ ! -f "$LB/v4l2loopback.ko" ]; then
  log "building $(basename "$SRC") for $KVER"
  rm -rf "$LB"; mkdir -p "$LB"
  cp "$SRC"/*.c "$SRC"/*.h "$LB"/
  echo 'obj-m := v4l2loopback.o' > "$LB/Kbuild"
  make -s -C "$HDR" M="$LB" "${MAKEARCH[@]}" modules >"$LB/build.log" 2>&1 \
    || { cat "$LB/build.log" >&2; log "v4l2loopback build failed"; exit 1; }
fi

# --- M2M test drivers (v4l2-mem2mem, vicodec, vim2m): not in Debian's kernel build, so built out of tree from the
# matching linux-source package (the same version as the image, so the modules load into that kernel) ------------
M2M=$W/m2m-$KVER
if [ "$ARCH" = arm64 ]; then
  M2M=""
elif [ ! -f "$M2M/vicodec.ko" ]; then
  rm -rf "$M2M"; mkdir -p "$M2M"
  kernel_source_files "$KVER" "$M2M" drivers/media/v4l2-core/v4l2-mem2mem.c drivers/media/test-drivers/vim2m.c \
    drivers/media/test-drivers/vicodec || { log "unpacking the M2M driver sources failed"; exit 1; }
  printf 'obj-m := v4l2-mem2mem.o vim2m.o vicodec.o\nvicodec-objs := codec-fwht.o codec-v4l2-fwht.o vicodec-core.o\n' > "$M2M/Kbuild"
  log "building v4l2-mem2mem, vicodec, vim2m for $KVER"
  make -s -C "/usr/src/linux-headers-$KVER" M="$M2M" modules >"$M2M/build.log" 2>&1 \
    || { cat "$M2M/build.log" >&2; log "M2M driver build failed"; exit 1; }
fi

# --- static helpers ------------------------------------------------------------------------------------
mkdir -p bin
for c in "$HERE"/src/*.c; do
  b=bin/$(basename "$c" .c)
  newer=$( [ -e "$b" ] && find "$HERE/src" -name '*.[ch]' -newer "$b" | head -1 || true)  # a shared header counts too
  if [ ! -x "$b" ] || [ -n "$newer" ]; then
    log "building $(basename "$b")"
    $CC -O2 -Wall -Wextra -Werror -static -o "$b.tmp" "$c" && mv "$b.tmp" "$b"
  fi
done

# --- test stream: 10 s of testsrc, baseline, one AUD per access unit, a key frame every second -----------
STREAM=$TOP/media/testsrc.h264   # one for every architecture
mkdir -p "$TOP/media"
if [ ! -s "$STREAM" ]; then
  log "encoding media/testsrc.h264"
  ffmpeg -v error -y -f lavfi -i testsrc=size=640x480:rate=30 -pix_fmt yuv420p -c:v libx264 -profile:v baseline \
    -x264-params aud=1:keyint=30 -frames:v 300 -f h264 "$STREAM.tmp.$$"
  mv "$STREAM.tmp.$$" "$STREAM"
fi

# --- arm64 userland for the guest: busybox and v4l2-ctl with the libraries of their packages (unpacked, never
# installed); the daemon links only libraries from this set (libc, libm, libstdc++, libgcc_s, zlib) ---------------
ARM_PKGS="busybox-static v4l-utils libv4l-0 libv4lconvert0 libv4l2rds0 libjpeg62-turbo libudev1 libc6 libgcc-s1 libstdc++6 zlib1g"
U=$W/userland
if [ "$ARCH" = arm64 ] && [ ! -f "$U/.done" ]; then
  download $(printf '%s:arm64 ' $ARM_PKGS)
  rm -rf "$U"; mkdir -p "$U"
  for p in $ARM_PKGS; do dpkg-deb -x downloads/"$p"_*.deb "$U"; done
  touch "$U/.done"
fi

# --- base initramfs (kernel modules, busybox, v4l2-ctl, helpers, rig scripts, test stream) --------------
KEY=$( (echo "$KVER"; cat "$HERE"/guest/init "$HERE"/guest/lib.sh "$HERE"/guest/www/cgi-bin/*; \
        md5sum bin/* "$STREAM" "$LB/v4l2loopback.ko" ${M2M:+"$M2M"/*.ko}; echo "$EXTRA_INTREE $ARM_PKGS $SOUND_MODS"; [ "$ARCH" = arm64 ] || md5sum "$(command -v aplay)" "$(command -v amixer)") | md5sum | cut -c1-12)
BASE=$W/base-$KEY.cpio.gz
if [ ! -s "$BASE" ]; then
  log "building base initramfs"
  R=$W/root.tmp; rm -rf "$R"
  mkdir -p "$R"/{bin,sbin,proc,sys,dev,tmp,etc,data,rig,lib/modules,www/cgi-bin}
  if [ "$ARCH" = arm64 ]; then cp "$U/bin/busybox" "$R/bin/busybox"; else cp /bin/busybox "$R/bin/busybox"; fi
  ln -s busybox "$R/bin/sh"
  cp "$HERE/guest/init" "$R/init"
  cp "$HERE/guest/lib.sh" "$R/rig/lib.sh"
  cp "$HERE"/guest/www/cgi-bin/* "$R/www/cgi-bin/"
  ln -s /tmp/out "$R/www/out"
  chmod +x "$R/init" "$R"/www/cgi-bin/*
  cp bin/* "$R/bin/"
  cp "$STREAM" "$R/data/testsrc.h264"
  echo "root:x:0:0:root:/root:/bin/sh" > "$R/etc/passwd"
  # modules with their in-tree dependencies, dependencies first (modules.dep lists them last-needed-first)
  : > "$R/lib/modules/order"
  add_mod() { grep -qx "$(basename "$1")" "$R/lib/modules/order" || { cp "$2" "$R/lib/modules/"; basename "$1" >> "$R/lib/modules/order"; }; }
  with_deps() {
    local line; line=$(grep "/$1.ko:" "$M/modules.dep") || { log "module $1 not in $KVER"; exit 1; }
    local d; for d in $(echo ${line#*:} | tr ' ' '\n' | tac); do add_mod "$d" "$M/$d"; done
    add_mod "${line%%:*}" "$M/${line%%:*}"
  }
  for m in virtio_pci virtio_net vivid; do with_deps $m; done
  for d in $(modinfo -F depends "$LB/v4l2loopback.ko" | tr ',' ' '); do with_deps "$d"; done
  add_mod v4l2loopback.ko "$LB/v4l2loopback.ko"
  for m in $SOUND_MODS; do with_deps $m; done
  # Modules a payload loads itself (rig_insmod), with its own parameters and at its own time, so the boot's
  # device numbering stays as the other payloads expect; their in-tree dependencies load at boot (harmless).
  mkdir -p "$R/lib/modules/extra"
  for k in ${M2M:+v4l2-mem2mem vicodec vim2m}; do
    for d in $(modinfo -F depends "$M2M/$k.ko" | tr ',' ' '); do [ "$d" = v4l2-mem2mem ] || with_deps "$d"; done
    cp "$M2M/$k.ko" "$R/lib/modules/extra/"
  done
  for k in $EXTRA_INTREE; do
    line=$(grep "/$k.ko:" "$M/modules.dep") || { log "module $k not in $KVER"; exit 1; }
    for d in ${line#*:}; do with_deps "$(basename "$d" .ko)"; done
    cp "$M/${line%%:*}" "$R/lib/modules/extra/"
  done
  # v4l2-ctl and the shared libraries it links
  copy_elf() {
    cp "$1" "$R/bin/"
    local l; for l in $(ldd "$1" | grep -o '/[^ ]*'); do mkdir -p "$R$(dirname "$l")"; cp -L "$l" "$R$l"; done
  }
  if [ "$ARCH" = arm64 ]; then
    # The dynamic loader's default paths (/lib/aarch64-linux-gnu, /usr/lib/aarch64-linux-gnu) need no ld.so.cache.
    cp "$U/usr/bin/v4l2-ctl" "$R/bin/"
    cp -a "$U/lib" "$R/"
    mkdir -p "$R/usr/lib"; cp -a "$U/usr/lib/aarch64-linux-gnu" "$R/usr/lib/"
    rm -rf "$R/usr/lib/aarch64-linux-gnu/gconv" "$R/lib/aarch64-linux-gnu/gconv"
  else
    copy_elf "$(command -v v4l2-ctl)"
    # aplay feeds the loopback sound card, amixer reads snd-dummy's mixer; libasound reads its configuration (the hw:
    # plugin) from /usr/share/alsa.
    copy_elf "$(command -v aplay)"
    copy_elf "$(command -v amixer)"
    mkdir -p "$R/usr/share/alsa"
    cp -a /usr/share/alsa/alsa.conf /usr/share/alsa/pcm /usr/share/alsa/ctl /usr/share/alsa/cards "$R/usr/share/alsa/"
  fi
  (cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$BASE.tmp"
  mv "$BASE.tmp" "$BASE"
  rm -rf "$R"
fi
ln -sfn "kernel-$KVER/boot/vmlinuz-$KVER" "$W/vmlinuz"
ln -sfn "$(basename "$BASE")" "$W/base.cpio.gz"
echo "KVER=$KVER"
echo "WORK=$W"
echo "KERNEL=$W/vmlinuz"
echo "BASE=$BASE"
echo "STREAM=$STREAM"
echo "M2M_MODULES=$M2M"
