#!/usr/bin/env bash
# CPU per frame of an M2M hop with and without DMABUF sharing, inside the test VM (vivid camera -> vim2m, 640x480 RGB24 -> YUYV
# ). Software emulation makes the absolute numbers slow; the ratio is what carries over.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x artifacts/m2mcheck/m2mcheck ] || make -s m2mcheck >/dev/null
tests/vm/setup.sh >/dev/null
out=$(mktemp); trap 'rm -f "$out"' EXIT
tests/vm/run.sh tests/vm/payloads/m2m-bench.sh artifacts/m2mcheck/m2mcheck > "$out" 2>&1 || { tail -40 "$out"; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
size=$(grep -m1 "^M2M-RESULT" "$out" | sed -E 's/.*camera=([^ ]+).*/\1/')
# field NAME: the median over the runs of each link kind, "copy import"
report() {
  local c i
  for link in copy import; do
    grep "^M2M-RESULT mode=$link " "$out" | sed -E "s/.* $1=([0-9-]+).*/\\1/" > "$out.$link"
    grep -q . "$out.$link" || { echo "no $link result"; tail -40 "$out"; exit 1; }
  done
  c=$(median < "$out.copy"); i=$(median < "$out.import")
  echo "$2: copy (MMAP->MMAP) $c us, DMABUF import $i us per frame; copy/import = $(awk -v c="$c" -v i="$i" 'BEGIN { printf "%.1f", (i > 0 ? c / i : 0) }') (runs: $(tr '\n' ' ' < "$out.copy")/ $(tr '\n' ' ' < "$out.import"))"
  rm -f "$out.copy" "$out.import"
}
echo "M2M hop, camera -> M2M stage, $size, in the VM (software emulation: compare the ratios, not the us)"
report hop_cpu_us_per_frame "  the hand-over alone (event-loop thread CPU)"
report cpu_us_per_frame "  the whole process (capture, hand-over, stage dequeue)"
