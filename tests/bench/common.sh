# Shared by the benchmarks (sourced from the repository root): the 1080p ~8 Mbit/s test stream, made once,
# the load client, the binary, and the config of a daemon that replays the stream through a `command =` source.
work=.work/bench; mkdir -p "$work"
src="$work/bench1080.h264"
if [ ! -s "$src" ]; then
  echo "making the 1080p test stream (once)..." >&2
  ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 20 \
    -c:v libx264 -preset veryfast -tune zerolatency -g 30 -b:v 8M -maxrate 8M -bufsize 4M -pix_fmt yuv420p \
    -x264-params aud=1 -f h264 "$src"
fi
gcc -O2 -o "$work/loadclient" tests/bench/loadclient.c
[ -x ./fmp4streamer ] || ./build.sh >/dev/null
clk=$(getconf CLK_TCK)

# bench_config FILE PORT [H264_FILE]: a daemon on 127.0.0.1:PORT replaying H264_FILE (default: $src), never sleeping
bench_config() {
  cat > "$1" <<CONF
[server]
listen = 127.0.0.1
port = $2
max_clients = 1000
max_connections_per_address = 1000

[bench]
command = ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -f h264 -framerate 30 -i $PWD/${3:-$src} -c copy -f h264 -
width = 1920
height = 1080
fps = 30
auto_sleep = no
CONF
}

# wait_listening PORT
wait_listening() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return; sleep 0.05; done; }
