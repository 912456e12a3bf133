#!/usr/bin/env bash
# Slow HLS readers against the 1080p ~8 Mbit/s stream of run.sh: CLIENTS readers taking 2 KB every 5 s
# (slowhlsclient.py) beside one progressive viewer. Prints the daemon's RSS before, its peak and at the end, and
# how often it dropped a reader (the stall timeout and the playlist window bound what a reader can pin).
# usage: tests/bench/slowhls.sh [SECONDS, default 60] [CLIENTS, default 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}; clients=${2:-100}
. tests/bench/common.sh
port=18769
bench_config "$work/slowhls.conf" $port
./fmp4streamer -c "$work/slowhls.conf" 2> "$work/slowhls-daemon.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
wait_listening $port
curl -s -o /dev/null --max-time 20 http://127.0.0.1:$port/streaminf.m3u8; sleep 8
rss() { awk '/VmRSS/ {print $2}' /proc/$pid/status; }
before=$(rss)
"$work/loadclient" 127.0.0.1 $port /stream.mp4 1 "$seconds" > "$work/slowhls-viewer.json" &
lc=$!
python3 tests/bench/slowhlsclient.py 127.0.0.1 $port "$clients" "$seconds" > "$work/slowhls.json" &
sc=$!
peak=$before
while kill -0 $sc 2>/dev/null; do r=$(rss); [ "$r" -gt "$peak" ] && peak=$r; sleep 1; done
wait $sc; wait $lc || true
end=$(rss)
printf '| slow HLS readers | seconds | RSS before | peak RSS | RSS at the end | reader connections / dropped by the daemon | bytes the readers took |\n|---:|---:|---:|---:|---:|---:|---:|\n'
python3 - "$clients" "$seconds" "$before" "$peak" "$end" "$work/slowhls.json" <<'PY'
import json, sys
clients, seconds, before, peak, end, path = sys.argv[1:]
d = json.load(open(path))
mb = lambda kb: f"{int(kb) / 1024:.1f} MB"
print(f"| {clients} | {seconds} | {mb(before)} | {mb(peak)} | {mb(end)} | {d['connections']} / {d['dropped']} | {d['bytes']} |")
PY
