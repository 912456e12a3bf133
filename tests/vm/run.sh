#!/bin/bash
# Boots the rig's VM once and runs PAYLOAD (a busybox sh script) inside; the guest console goes to stdout.
# usage: tests/vm/run.sh PAYLOAD [FILE...]
#   FILE: an ELF executable goes to /bin with the shared libraries ldd lists; anything else to /data.
#         PATH=NAME puts PATH there under NAME (e.g. fmp4streamer-arm64=fmp4streamer).
# env:  VM_HOSTPORT   host port forwarded to guest :8000 (the daemon)        default: a free one
#       VM_CTLPORT    host port forwarded to guest :8081 (rig control httpd) default: a free one
#       (both are printed first: RIG-BOOT hostport=N ctlport=N)
#       VM_TIMEOUT    hard limit in seconds for the whole boot                default 240
#       FMP4_VM_WORK  the work dir setup.sh filled (default REPO/.work/vm)
#       VM_ARCH       x86_64 (default) or arm64: boots what `VM_ARCH=arm64 setup.sh` prepared under
#                     qemu-system-aarch64 (virt board, Cortex-A72 as on a Raspberry Pi 4); FILEs are then arm64
#                     ELFs whose libraries the base already holds
# Console markers: RIG-READY (init done), RIG-MARK/RIG-BEGIN/RIG-END/RIG-VALUE (payload, see guest/lib.sh),
# PAYLOAD-DONE rc=N. Exit code: the payload's rc, 124 on timeout, 3 if the guest never reported.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
W=${FMP4_VM_WORK:-$REPO/.work/vm}
ARCH=${VM_ARCH:-x86_64}
[ "$ARCH" = arm64 ] && W=$W/arm64
PAYLOAD=${1:?usage: run.sh PAYLOAD [FILE...]}; shift
[ -f "$W/base.cpio.gz" ] && [ -f "$W/vmlinuz" ] || { echo "run.sh: run tests/vm/setup.sh first" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/fmp4vm.XXXXXX")
trap 'rm -rf "$T"' EXIT
R=$T/root
mkdir -p "$R/bin" "$R/data"
cp "$PAYLOAD" "$R/payload"
for arg in "$@"; do
  f=$arg; name=$(basename "$arg")
  case $arg in *=*) f=${arg%=*}; name=${arg##*=} ;; esac
  if head -c 4 "$f" | grep -q $'\x7fELF'; then
    cp "$f" "$R/bin/$name"
    [ "$ARCH" = arm64 ] && continue
    for l in $(ldd "$f" 2>/dev/null | grep -o '/[^ ]*' || true); do mkdir -p "$R$(dirname "$l")"; cp -L "$l" "$R$l"; done
  else
    cp "$f" "$R/data/$name"
  fi
done
# The kernel unpacks concatenated archives in order: the overlay adds to (and may replace) the base.
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$T/overlay.cpio.gz"
cat "$W/base.cpio.gz" "$T/overlay.cpio.gz" > "$T/initrd.gz"

free_port() { # a random loopback port nobody listens on (callers that need certainty pass their own)
  local p; while :; do p=$((20000 + RANDOM % 40000)); (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
HP=${VM_HOSTPORT:-$(free_port)}; CP=${VM_CTLPORT:-$(free_port)}
echo "RIG-BOOT hostport=$HP ctlport=$CP"
set +e
if [ "$ARCH" = arm64 ]; then
  QEMU=(qemu-system-aarch64 -M virt -cpu cortex-a72); APPEND="console=ttyAMA0 quiet loglevel=3 panic=-1"
else
  QEMU=(qemu-system-x86_64); APPEND="console=ttyS0 quiet loglevel=3 panic=-1 tsc=reliable"
fi
timeout -k 5 "${VM_TIMEOUT:-240}" "${QEMU[@]}" -m 1024 -smp 2 -nographic -no-reboot \
  -kernel "$W/vmlinuz" -initrd "$T/initrd.gz" -append "$APPEND" \
  -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$HP-:8000,hostfwd=tcp:127.0.0.1:$CP-:8081" \
  -device virtio-net-pci,netdev=n0,romfile= \
  < /dev/null | tee "$T/console" | sed -u 's/\r//g; s/\x1bc//g; s/\x1b\[[0-9;?]*[A-Za-z]//g'
qrc=${PIPESTATUS[0]}
set -e
[ "$qrc" = 124 ] || [ "$qrc" = 137 ] && { echo "RIG-TIMEOUT after ${VM_TIMEOUT:-240}s"; exit 124; }
rc=$(tr -d '\r' < "$T/console" | sed -n 's/^PAYLOAD-DONE rc=\([0-9]*\).*/\1/p' | tail -1)
[ -n "$rc" ] || { echo "RIG-NO-RESULT qemu exit $qrc"; exit 3; }
exit "$rc"
