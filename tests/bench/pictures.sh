#!/usr/bin/env bash
# Pictures benchmark. Prints Markdown tables:
# 1. the JPEG encoder in-process (tests/bench/JpegEncode, NativeAOT like the daemon; quality 85, one thread, best and
#    mean of 30 by thread CPU time) per kind of picture, beside ffmpeg's mjpeg encoder (`-threads 1`) at the -q:v whose
#    size is closest to ours: the median of its encode calls (`-benchmark_all`; single calls' CPU times are coarse, so
#    not their best), and the whole process's CPU per frame above a run that does not encode (90 frames, least of 3);
# 2. per source kind and size (x264 streams of testsrc2 without B-frames, 30 fps, a key frame a second, through a
#    `command =` source; the built-in test pattern): snapshot latency with the camera awake and asleep, and the
#    daemon's CPU per MJPEG frame with one client at `mjpeg_fps` 15 (decoding every frame, encoding 15 a second);
# 3. CLIENTS MJPEG clients at 15 fps on the 1080p command source against one daemon (CPU, RSS, pictures each client
#    received), beside as many progressive /stream.mp4 clients on the same daemon configuration.
# YUYV and NV12 cameras and MJPG pass-through need V4L2 devices (the VM tests have them): here they appear in table 1,
# where their per-picture cost is the whole cost (no decode).
# usage: tests/bench/pictures.sh [SECONDS per step, default 10] [CLIENTS, default 100] [TABLES, default encoder,sources,clients]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-10}
clients=${2:-100}
tables=${3:-encoder,sources,clients}
. tests/bench/common.sh
port=18766
gcc -O2 -o "$work/mjpegclient" tests/bench/mjpegclient.c
dotnet publish tests/bench/JpegEncode -c Release -r linux-x64 -o artifacts/jpegencode -nologo -v quiet >/dev/null

stream_for() { # stream_for WIDTHxHEIGHT -> path of the x264 stream, made once
  local s="$work/pictures-nob-${1#*x}.h264"
  [ -s "$s" ] || ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=$1:rate=30 -t 10 \
    -c:v libx264 -preset veryfast -bf 0 -g 30 -b:v 4M -pix_fmt yuv420p -f h264 "$s"
  echo "$s"
}

if [[ $tables == *encoder* ]]; then
echo "JPEG encoder, in-process (frame 45 of the x264 stream, decoded by ffmpeg):"
printf '| size | picture | CPU per picture (best / mean) | JPEG | allocated per picture |\n|---|---|---:|---:|---:|\n'
for size in 1280x720 1920x1080; do
  h=${size#*x}; s=$(stream_for $size); f="$work/frame-$h"
  for fmt in yuv420p nv12 yuyv422; do
    ffmpeg -hide_banner -loglevel error -nostdin -y -i "$s" -vf 'select=eq(n\,45)' -frames:v 1 -pix_fmt $fmt -f rawvideo "$f.$fmt"
  done
  # A camera-like MJPG frame (4:2:2, ffmpeg's encoder) for the pass-through check.
  ffmpeg -hide_banner -loglevel error -nostdin -y -i "$s" -vf 'select=eq(n\,45)' -frames:v 1 -c:v mjpeg -q:v 3 -pix_fmt yuvj422p "$f.jpg"
  artifacts/jpegencode/JpegEncode $size "$f.yuv420p" "$f.nv12" "$f.yuyv422" "$f.jpg" 30 | tee "$work/jpegencode-$h.txt"
done
echo
echo "ffmpeg's mjpeg encoder on the same frames (30 frames of the stream, full-range 4:2:0 in, -threads 1):"
printf '| size | -q:v | encode call (median) | whole process per frame | JPEG | ours at quality 85 (mean) | JPEG | ours / ffmpeg (encode call) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n'
for size in 1280x720 1920x1080; do
  h=${size#*x}; s=$(stream_for $size); raw="$work/frames30-$h.yuv"
  [ -s "$raw" ] || ffmpeg -hide_banner -loglevel error -nostdin -y -i "$s" -frames:v 30 -pix_fmt yuvj420p -f rawvideo "$raw"
  read -r ours_ms ours_kb < <(awk -F'|' '/I420 \(H264/ {split($4, t, "/"); gsub(/[ ms]/, "", t[2]); gsub(/[ KB]/, "", $5); print t[2], $5}' "$work/jpegencode-$h.txt")
  best_q=2; best_diff=1e9
  for q in 2 3 4 5; do
    kb=$(ffmpeg -hide_banner -loglevel error -nostdin -f rawvideo -pix_fmt yuvj420p -s $size -i "$raw" -threads 1 -c:v mjpeg -q:v $q \
      -f image2pipe - | wc -c | awk '{print $1 / 30 / 1024}')
    diff=$(awk -v a="$kb" -v b="$ours_kb" 'BEGIN {d = a - b; print d < 0 ? -d : d}')
    if awk -v d="$diff" -v m="$best_diff" 'BEGIN {exit !(d < m)}'; then best_q=$q; best_diff=$diff; best_kb=$kb; fi
  done
  times=$(ffmpeg -hide_banner -nostdin -benchmark_all -f rawvideo -pix_fmt yuvj420p -s $size -i "$raw" -threads 1 -c:v mjpeg -q:v $best_q \
    -f null - 2>&1 | tr '\r' '\n' | awk '/encode_video/ && $2 + $4 > 200 {print $2 + $4}' | sort -n)
  ff_median=$(awk '{a[NR] = $1} END {print a[int(NR / 2) + 1]}' <<<"$times")
  cpu_of() { ffmpeg -hide_banner -nostdin -benchmark -stream_loop 2 -f rawvideo -pix_fmt yuvj420p -s $size -i "$raw" -threads 1 -c:v "$@" \
    -f null - 2>&1 | grep -o 'utime=[0-9.]*s stime=[0-9.]*s' | tr -d 'utimes=' | awk '{print $1 + $2}'; }
  whole=$(for i in 1 2 3; do echo "$(cpu_of mjpeg -q:v $best_q) $(cpu_of wrapped_avframe)"; done | awk '{print ($1 - $2) / 90}' | sort -n | head -1)
  awk -v size=$size -v q=$best_q -v fm="$ff_median" -v fw="$whole" -v fk="$best_kb" -v om="$ours_ms" -v ok="$ours_kb" 'BEGIN {
    printf "| %s | %d | %.2f ms | %.2f ms | %.1f KB | %.2f ms | %.1f KB | %.2f |\n", size, q, fm / 1000, fw * 1000, fk, om, ok, om / (fm / 1000) }'
done
fi

metric() { curl -s "$url/metrics" | awk -v k="$1" 'index($0, k) == 1 {print $2}' | head -1; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }

if [[ $tables == *sources* ]]; then
echo
echo "Per source (one MJPEG client for $seconds s at mjpeg_fps 15):"
printf '| source | size | snapshot awake (median of 5) | snapshot asleep | MJPEG: daemon CPU | CPU per MJPEG frame | pictures encoded | JPEG encode alone |\n'
printf '|---|---|---:|---:|---:|---:|---:|---:|\n'
for kind in command pattern; do
  for size in 1280x720 1920x1080; do
    w=${size%x*}; h=${size#*x}
    if [ $kind = command ]; then
      source_line="command = ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -f h264 -framerate 30 -i $PWD/$(stream_for $size) -c copy -f h264 -"
    else
      source_line="test_pattern = yes"
    fi
    cat > "$work/pictures.conf" <<CONF
[server]
listen = 127.0.0.1
port = $port
sleep_grace = 1
rtsp_port = 0

[cam]
$source_line
width = $w
height = $h
fps = 30
CONF
    ./fmp4streamer -c "$work/pictures.conf" 2> "$work/pictures-$kind-$h.log" &
    pid=$!
    wait_listening $port
    url=http://127.0.0.1:$port
    sleep 2 # the camera has gone to sleep after its start-up
    # Asleep: the first request wakes the source.
    asleep=$(curl -s -o /dev/null -w '%{time_total}' "$url/?action=snapshot")
    # Awake: a viewer keeps the camera running; requests 0.5 s apart do not share pictures.
    curl -s -o /dev/null "$url/stream.mp4" & viewer=$!
    sleep 2
    awake=$(for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "$url/snapshot.jpg"; sleep 0.5; done | sort -n | sed -n 3p)
    e0=$(metric fmp4streamer_picture_encodes_total); t0=$(metric fmp4streamer_picture_encode_seconds_sum)
    c0=$(cpu_ticks $pid)
    timeout "$seconds" curl -s -o /dev/null "$url/stream.mjpg" || true
    c1=$(cpu_ticks $pid)
    e1=$(metric fmp4streamer_picture_encodes_total); t1=$(metric fmp4streamer_picture_encode_seconds_sum)
    kill $viewer 2>/dev/null || true; wait $viewer 2>/dev/null || true
    kill -TERM $pid; wait $pid || true
    awk -v kind=$kind -v size="$size" -v awake="$awake" -v asleep="$asleep" -v t=$((c1 - c0)) -v c=$clk -v s="$seconds" \
        -v e="$(echo "$e1 - $e0" | bc)" -v tt="$(echo "$t1 - $t0" | bc)" 'BEGIN {
      cpu = t / c; name = kind == "command" ? "x264 through `command =`" : "test pattern";
      printf "| %s | %s | %.0f ms | %.0f ms | %.0f %% of a core | %.1f ms | %d | %.1f ms |\n",
        name, size, awake * 1000, asleep * 1000, 100 * cpu / s, (e > 0 ? 1000 * cpu / e : 0), e, (e > 0 ? 1000 * tt / e : 0) }'
  done
done
fi

if [[ $tables == *clients* ]]; then
echo
echo "$clients clients for $seconds s on the 1080p command source (mjpeg_fps 15), one daemon each:"
printf '| clients | daemon CPU (%% of one core) | peak RSS | pictures per client (min–max) | not JPEG |\n|---|---:|---:|---:|---:|\n'
s1080=$(stream_for 1920x1080)
for what in mp4 mjpeg; do
  bench_config "$work/pictures-fan.conf" $port "$s1080"
  ./fmp4streamer -c "$work/pictures-fan.conf" 2> "$work/pictures-fan-$what.log" &
  pid=$!
  wait_listening $port
  sleep 2
  c0=$(cpu_ticks $pid)
  if [ $what = mjpeg ]; then
    result=$("$work/mjpegclient" 127.0.0.1 $port /stream.mjpg "$clients" "$seconds"); label="$clients MJPEG (/stream.mjpg)"
  else
    result=$("$work/loadclient" 127.0.0.1 $port /stream.mp4 "$clients" "$seconds"); label="$clients progressive (/stream.mp4)"
  fi
  c1=$(cpu_ticks $pid)
  hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  minf=$(sed -E 's/.*"min_frames":([0-9]+).*/\1/' <<<"$result"); maxf=$(sed -E 's/.*"max_frames":([0-9]+).*/\1/' <<<"$result")
  bad=$(grep -o '"bad":[0-9]*' <<<"$result" | cut -d: -f2 || true); bad=${bad:-–}
  awk -v l="$label" -v t=$((c1 - c0)) -v c=$clk -v s="$seconds" -v k="$hwm" -v a="$minf" -v b="$maxf" -v bad="$bad" 'BEGIN {
    printf "| %s | %.1f %% | %.1f MB | %s–%s | %s |\n", l, 100 * t / c / s, k / 1024, a, b, bad }'
done
fi
