#!/usr/bin/env bash
# Many viewers through a caching nginx (contrib/nginx/caching-edge.conf): the test pattern's Low-Latency HLS
# followed by one player straight from the daemon, then by PLAYERS players through nginx (llhlsclient.py, parts at
# the live edge as hls.js takes them). Prints the daemon's CPU for both, the requests that reached it per segment
# and part, nginx's CPU, and whether every player got every segment.
# usage: tests/bench/nginx.sh [SECONDS, default 20] [PLAYERS, default 500]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}; players=${2:-500}
. tests/bench/common.sh
port=18767; edge=18768
cat > "$work/nginx-bench.conf" <<CONF
[server]
listen = 127.0.0.1
port = $port
max_connections_per_address = 1000

[pattern]
test_pattern = yes
auto_sleep = no
CONF
ngx="$PWD/$work/nginx"; rm -rf "$ngx"; mkdir -p "$ngx"; chmod 755 "$ngx"
sed -e "s/listen 80;/listen 127.0.0.1:$edge;/" -e "s/127.0.0.1:8000/127.0.0.1:$port/" -e "s#/var/cache/nginx/fmp4streamer#$ngx/cache#" \
  contrib/nginx/caching-edge.conf > "$ngx/edge.conf"
cat > "$ngx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $ngx/body; proxy_temp_path $ngx/proxy; fastcgi_temp_path $ngx/fastcgi;
    uwsgi_temp_path $ngx/uwsgi; scgi_temp_path $ngx/scgi;
    include $ngx/edge.conf;
}
CONF
./fmp4streamer -c "$work/nginx-bench.conf" 2> "$work/nginx-daemon.log" &
pid=$!
/usr/sbin/nginx -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
npid=$!
trap 'kill -TERM $pid $npid 2>/dev/null; wait $pid $npid 2>/dev/null || true' EXIT
wait_listening $port; wait_listening $edge
curl -s -o /dev/null --max-time 15 http://127.0.0.1:$port/streaminf.m3u8; sleep 3

ticks() { awk '{s += $14 + $15} END {print s}' "$@"; }
routes() { curl -s http://127.0.0.1:$port/metrics | sed -n 's/^fmp4streamer_http_route_requests_total{route="\([^"]*\)"} \([0-9]*\)$/\1 \2/p'; }
count() { awk -v r="$1" '$1 == r {print $2}'; }

# run LABEL HOST_PORT PLAYERS
run() {
  local r0 r1 d0 d1 n0 n1 out
  r0=$(routes); d0=$(ticks /proc/$pid/stat); n0=$(ticks /proc/$npid/stat $(pgrep -P $npid | sed 's#.*#/proc/&/stat#'))
  out=$(python3 tests/bench/llhlsclient.py 127.0.0.1 "$2" / "$3" "$seconds" parts)
  r1=$(routes); d1=$(ticks /proc/$pid/stat); n1=$(ticks /proc/$npid/stat $(pgrep -P $npid | sed 's#.*#/proc/&/stat#'))
  python3 - "$1" "$out" "$clk" "$seconds" "$((d1 - d0))" "$((n1 - n0))" \
    "$(($(echo "$r1" | count part) - $(echo "$r0" | count part)))" \
    "$(($(echo "$r1" | count media-playlist) - $(echo "$r0" | count media-playlist)))" "$2" "$port" <<'PY'
import json, sys
label, out, clk, seconds, daemon, nginx, parts, playlists, hostport, port = sys.argv[1:]
d = json.loads(out); clk = int(clk); seconds = float(seconds)
cpu = lambda t: f"{100 * int(t) / clk / seconds:.1f} %"
gaps = sum(1 for m in d["per_player_missing"] if m != 0)
print(f"| {label} | {cpu(daemon)} | {cpu(nginx) if hostport != port else '-'} | {d['parts']} | {d['distinct_parts']} | {parts} | "
      f"{int(parts) / max(1, d['distinct_parts']):.2f} | {d['playlists']} / {playlists} | {d['errors']} / {d['not_found']} / {gaps} |")
PY
}
printf '| viewers | daemon CPU (%% of one core) | nginx CPU | parts fetched | distinct parts | part requests at the daemon | per part | playlists fetched / at the daemon | errors / 404 / players with a gap |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---|\n'
run "1 LL-HLS player, direct" $port 1
run "$players LL-HLS players through nginx" $edge "$players"
