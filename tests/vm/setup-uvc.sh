#!/bin/bash
# Builds the rig's UVC gadget function: Debian's usb_f_uvc (drivers/usb/gadget/function, from the linux-source
# package of the same version as the rig's kernel) with patches/f_uvc-bulk.patch applied. The stock function only
# offers an isochronous streaming endpoint, and dummy_hcd has none (its bind fails: "Unable to allocate streaming
# EP"); patched, the streaming interface has one bulk endpoint in alt 0, and the camera offers more controls.
# usage: tests/vm/setup-uvc.sh      (after setup.sh) prints UVC_MODULE=PATH of the built usb_f_uvc.ko
# env:   FMP4_VM_WORK (default REPO/.work/vm)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
W=${FMP4_VM_WORK:-$REPO/.work/vm}
log() { echo "vm-setup-uvc: $*" >&2; }
. "$HERE/kernel-source.sh"
command -v patch >/dev/null || { log "missing prerequisites; install with: apt-get install -y patch"; exit 2; }
KVER=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
[ -n "$KVER" ] && [ -d "/usr/src/linux-headers-$KVER" ] || { log "run tests/vm/setup.sh first (kernel headers)"; exit 2; }
ls "$W"/downloads/linux-image-"$KVER"_*.deb >/dev/null 2>&1 || { log "run tests/vm/setup.sh first"; exit 2; }
cd "$W"
exec 9>"$W/.lock-uvc"
flock 9
U=$W/uvc-$KVER-$(md5sum < "$HERE/patches/f_uvc-bulk.patch" | cut -c1-8)
if [ ! -f "$U/usb_f_uvc.ko" ]; then
  rm -rf "$U"; mkdir -p "$U"
  sources=()
  for f in f_uvc.c f_uvc.h u_uvc.h uvc.h uvc_queue.c uvc_queue.h uvc_v4l2.c uvc_v4l2.h uvc_video.c uvc_video.h \
           uvc_configfs.c uvc_configfs.h; do sources+=("drivers/usb/gadget/function/$f"); done
  kernel_source_files "$KVER" "$U" "${sources[@]}" || { log "unpacking the usb_f_uvc sources failed"; exit 1; }
  patch -s -p1 -d "$U" < "$HERE/patches/f_uvc-bulk.patch" || { log "patches/f_uvc-bulk.patch does not apply"; exit 1; }
  printf 'obj-m := usb_f_uvc.o\nusb_f_uvc-y := f_uvc.o uvc_queue.o uvc_v4l2.o uvc_video.o uvc_configfs.o\n' > "$U/Kbuild"
  log "building usb_f_uvc (bulk) for $KVER"
  make -s -C "/usr/src/linux-headers-$KVER" M="$U" modules >"$U/build.log" 2>&1 \
    || { cat "$U/build.log" >&2; rm -f "$U/usb_f_uvc.ko"; log "usb_f_uvc build failed"; exit 1; }
fi
echo "UVC_MODULE=$U/usb_f_uvc.ko"
