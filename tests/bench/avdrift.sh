#!/usr/bin/env bash
# A/V drift over a long run: the test pattern with sound (320x240, 30 fps, a 1 kHz burst at every full second on
# the frame that flashes) read live from /stream.mp4 by one ffmpeg for the whole run, which decodes both tracks on
# the stream's own timestamps (-copyts): `showinfo` gives each frame's time and the flash area's brightness,
# `silencedetect` each burst's first loud sample (after at least 100 ms of quiet). Prints the burst-to-flash offset
# at the start and at the end (mean of the first and last ten bursts) and the least-squares slope in ms per minute.
# usage: tests/bench/avdrift.sh [SECONDS, default 600]   (or AVDRIFT_SECONDS=60)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${AVDRIFT_SECONDS:-600}}
work=.work/bench/avdrift; mkdir -p "$work"
[ -x ./fmp4streamer ] || ./build.sh >/dev/null
port=$((20000 + RANDOM % 20000))
cat > "$work/avdrift.conf" <<CONF
[server]
listen = 127.0.0.1
port = $port
rtsp_port = 0

[tp]
test_pattern = yes
test_pattern_audio = yes
width = 320
height = 240
fps = 30
auto_sleep = no
CONF
./fmp4streamer -c "$work/avdrift.conf" >"$work/daemon.log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.05; done

# The flash fills the counter row right of the 8 digit cells: at 320x240 x from 128, y 32..47 (strip 3 rows of 8).
echo "reading /stream.mp4 for $seconds s..." >&2
nice -n 10 ffmpeg -hide_banner -nostdin -copyts -t "$seconds" -i "http://127.0.0.1:$port/stream.mp4" \
  -map 0:v:0 -vf "crop=16:8:136:36,format=gray,showinfo" -f null - \
  -map 0:a:0 -af "aformat=channel_layouts=mono,silencedetect=noise=-24dB:d=0.1" -f null - 2>"$work/ffmpeg.log" || true

awk '
  /Parsed_showinfo/ && /config in time_base:/ { tb = $0; sub(/.*time_base: */, "", tb); split(tb, q, /[\/,]/); tb = q[1] / q[2] }
  /Parsed_showinfo/ && / pts: *[0-9]/ {
    t = $0; sub(/.* pts: */, "", t); sub(/ .*/, "", t); t *= tb
    m = $0; sub(/.*mean:\[/, "", m); sub(/[ \]].*/, "", m)
    if (m + 0 > 128) flash[nf++] = t + 0
  }
  /silence_end:/ { s = $0; sub(/.*silence_end: */, "", s); sub(/ .*/, "", s); onset[no++] = s + 0 }
  END {
    # The end of the read ends the last silence too, so the last onset may be none: it is left out.
    if (no) no--
    j = 0
    for (i = 0; i < no; i++) {
      while (j + 1 < nf && flash[j + 1] <= onset[i]) j++
      best = flash[j]
      if (j + 1 < nf && (flash[j + 1] - onset[i]) < (onset[i] - best)) best = flash[j + 1]
      d = onset[i] - best
      if (nf && d < 0.5 && d > -0.5) { x[n] = onset[i]; y[n] = d * 1000; n++ }
    }
    if (n < 3) { printf "too few bursts matched to flashes: %d (flashes %d, onsets %d)\n", n, nf, no; exit 1 }
    for (i = 0; i < n; i++) { sx += x[i]; sy += y[i]; if (i < 10) a += y[i]; if (i >= n - 10) b += y[i]
                              if (i == 0 || y[i] < lo) lo = y[i]; if (i == 0 || y[i] > hi) hi = y[i] }
    mx = sx / n; my = sy / n
    for (i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
    printf "| run | bursts matched | offset at start | offset at end | min / max | slope |\n|---|---:|---:|---:|---:|---:|\n"
    printf "| %.1f min | %d of %d | %+.1f ms | %+.1f ms | %+.1f / %+.1f ms | %+.4f ms/min |\n",
      (x[n - 1] - x[0]) / 60, n, no, a / 10, b / 10, lo, hi, sxy / sxx * 60
  }' "$work/ffmpeg.log"
