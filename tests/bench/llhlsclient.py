#!/usr/bin/env python3
# Low-Latency HLS load client: CLIENTS players, each on its own keep-alive connection, load the media playlist, then
# follow the live edge as hls.js does in low-latency mode: a blocking reload for the part the preload hint names
# (_HLS_msn/_HLS_part), every new part, and every segment once it is complete. Every player of one run asks the
# same URLs at about the same time: through a caching proxy those requests collapse.
# usage: llhlsclient.py HOST PORT PREFIX CLIENTS SECONDS [parts]   (PREFIX: "/" or "/webcam/")
# With "parts" a player fetches the parts alone (what hls.js does at the live edge), not the whole segments too;
# a segment then counts as fetched once one of its parts was.
# prints one JSON line: totals, the distinct segments and parts fetched, and per player the segment numbers it
# missed between its first and last one.
import asyncio, json, re, sys, time

host, port, prefix, clients, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
parts_only = len(sys.argv) > 6 and sys.argv[6] == "parts"
totals = {"clients": clients, "playlists": 0, "segments": 0, "parts": 0, "bytes": 0, "errors": 0, "not_found": 0,
          "other_status": 0, "cache_hits": 0}
distinct_segments, distinct_parts = set(), set()
players = []

async def get(reader, writer, path):
    writer.write(f"GET {prefix}{path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    m = re.search(rb"(?i)content-length: *(\d+)", head)
    body = await reader.readexactly(int(m.group(1))) if m else b""
    if re.search(rb"(?i)x-cache-status: *hit", head): totals["cache_hits"] += 1
    if re.search(rb"(?i)connection: *close", head): raise ConnectionResetError("closed")
    return status, body

def parse(text):
    segments = [(int(n), f"seg{n}.m4s") for n in re.findall(r"^seg(\d+)\.m4s$", text, re.M)]
    parts = re.findall(r'#EXT-X-PART:[^\n]*URI="([^"]+)"', text)
    hint = re.search(r'#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg(\d+)\.(\d+)\.m4s"', text)
    return segments, parts, (int(hint.group(1)), int(hint.group(2))) if hint else None

async def player(deadline):
    got = set()
    parts_got = set()
    me = {"segments": got}
    players.append(me)
    reader = writer = None
    first = None
    playlist = "streaminf.m3u8"
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            status, body = await get(reader, writer, playlist)
            if status != 200:
                totals["other_status"] += 1
                await asyncio.sleep(0.2)
                continue
            totals["playlists"] += 1
            segments, parts, hint = parse(body.decode())
            if first is None and segments:
                first = segments[-1][0]  # start at the newest complete segment, as a low-latency player does
            for number, uri in segments:
                if parts_only or first is None or number < first or number in got: continue
                status, data = await get(reader, writer, uri)
                if status == 404: totals["not_found"] += 1; continue
                got.add(number); distinct_segments.add(uri); totals["segments"] += 1; totals["bytes"] += len(data)
            for uri in parts:
                number = int(uri[3:].split(".")[0])
                if first is None or number <= first or uri in parts_got: continue
                status, data = await get(reader, writer, uri)
                if status == 404: totals["not_found"] += 1; continue
                parts_got.add(uri); distinct_parts.add(uri)
                if parts_only: got.add(number)
                totals["parts"] += 1; totals["bytes"] += len(data)
            playlist = f"streaminf.m3u8?_HLS_msn={hint[0]}&_HLS_part={hint[1]}" if hint else "streaminf.m3u8"
        except (OSError, asyncio.IncompleteReadError, ConnectionResetError, ValueError):
            totals["errors"] += 1
            if writer is not None: writer.close()
            writer = None
            await asyncio.sleep(0.2)
    if writer is not None: writer.close()

async def main():
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(player(deadline) for _ in range(clients)))

asyncio.run(main())
missing = []
for p in players:
    s = p["segments"]
    missing.append(len(set(range(min(s), max(s) + 1)) - s) if s else -1)
totals["distinct_segments"] = len(distinct_segments)
totals["distinct_parts"] = len(distinct_parts)
totals["per_player_segments"] = sorted(len(p["segments"]) for p in players)
totals["per_player_missing"] = missing
print(json.dumps(totals))
