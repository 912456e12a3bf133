#!/usr/bin/env bash
# Builds the single self-contained NativeAOT executable.
#   ./build.sh          -> ./fmp4streamer        (linux-x64)
#   ./build.sh arm64    -> ./fmp4streamer-arm64  (linux-arm64, Raspberry Pi OS 64-bit; cross-built with clang + lld)
set -euo pipefail
cd "$(dirname "$0")"
arch=${1:-x64}
case "$arch" in
  x64)   rid=linux-x64;   out=fmp4streamer;       extra=() ;;
  arm64) rid=linux-arm64; out=fmp4streamer-arm64
         # The cross gcc cannot link NativeAOT output; clang with lld and Debian's aarch64 libc can.
         extra=(-p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy) ;;
  *) echo "usage: $0 [x64|arm64]" >&2; exit 2 ;;
esac
dotnet publish Fmp4Streamer/Fmp4Streamer.csproj -c Release -r "$rid" -o "artifacts/$rid" \
  -p:StripSymbols=true -nologo -v quiet "${extra[@]}"
cp "artifacts/$rid/fmp4streamer" "./$out"
echo "built ./$out ($(stat -c %s "./$out") bytes)"
