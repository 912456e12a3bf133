#!/usr/bin/env bash
# The in-binary H264 decoder beside ffmpeg's, both on one core: the 1080p ~8 Mbit/s High-profile CABAC stream of
# the other benchmarks (x264 veryfast, zerolatency: P frames, a key frame a second) and an intra-only 1080p stream.
# Ours: the binary's hidden --decode-bench mode (the thread's CPU time, best of 3 passes, decoding only; key frames:
# the average CPU time of an access unit holding an IDR, warm, and the very first one, cold: pictures allocated). ffmpeg:
# `-threads 1 -f null -` with -benchmark (CPU time of the whole process, best of 3).
# usage: tests/bench/decode.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/bench/common.sh
intra="$work/intra1080.h264"
if [ ! -s "$intra" ]; then
  ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 2 \
    -c:v libx264 -preset veryfast -tune zerolatency -g 1 -b:v 8M -pix_fmt yuv420p -f h264 "$intra"
fi

ffmpeg_ms() {   # FILE: best CPU milliseconds of three runs
  local best=""
  for _ in 1 2 3; do
    local ms
    ms=$(ffmpeg -hide_banner -nostdin -benchmark -threads 1 -i "$1" -f null - 2>&1 \
      | sed -n 's/.*utime=\([0-9.]*\)s stime=\([0-9.]*\)s.*/\1 \2/p' | awk '{printf "%.1f", ($1 + $2) * 1000}')
    if [ -z "$best" ] || awk "BEGIN{exit !($ms < $best)}"; then best=$ms; fi
  done
  echo "$best"
}

printf '| 1080p stream | frames | ours ms/frame | ours fps | ffmpeg -threads 1 ms/frame | ffmpeg fps | ours / ffmpeg | key frame (warm / cold) |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|\n'
for f in "$src:P frames, 8 Mbit/s" "$intra:intra only"; do
  file=${f%%:*}; name=${f#*:}
  line=$(./fmp4streamer --decode-bench "$file")
  frames=$(sed 's/^frames \([0-9]*\).*/\1/' <<<"$line")
  ours=$(sed 's/.*cpu_ms \([0-9.]*\).*/\1/' <<<"$line")
  key=$(sed 's/.*key_ms \([0-9.]*\).*/\1/' <<<"$line")
  cold=$(sed 's/.*cold_first_ms \([0-9.]*\).*/\1/' <<<"$line")
  theirs=$(ffmpeg_ms "$file")
  awk -v n="$name" -v fr="$frames" -v o="$ours" -v t="$theirs" -v k="$key" -v c="$cold" 'BEGIN {
    printf "| %s | %d | %.2f | %.0f | %.2f | %.0f | %.2f | %.1f / %.1f ms |\n", n, fr, o / fr, fr * 1000 / o, t / fr, fr * 1000 / t, o / t, k, c }'
done
