#!/usr/bin/env python3
# HLS load client for the benchmark: CLIENTS players, each on its own keep-alive connection, reload the media
# playlist every target duration and fetch every segment they have not fetched yet (starting three back, as
# players do). Plain HLS (no blocking reload): the polling load real players without LL-HLS put on a server.
# usage: hlsclient.py HOST PORT CLIENTS SECONDS   -> one JSON line on stdout
import asyncio, json, re, sys, time

host, port, clients, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
stats = {"clients": clients, "playlists": 0, "segments": 0, "bytes": 0, "errors": 0, "not_found": 0}

async def get(reader, writer, path):
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    body = await reader.readexactly(length)
    if b"Connection: close" in head:
        raise ConnectionResetError("closed")
    return status, body

async def player(deadline):
    fetched = set()
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            while time.monotonic() < deadline:
                status, body = await get(reader, writer, "/streaminf.m3u8")
                stats["playlists"] += 1
                text = body.decode()
                target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text).group(1))
                for uri in re.findall(r"^(seg\d+\.m4s)$", text, re.M)[-3:]:
                    if uri in fetched: continue
                    status, body = await get(reader, writer, "/" + uri)
                    if status == 404: stats["not_found"] += 1
                    else: stats["segments"] += 1; stats["bytes"] += len(body)
                    fetched.add(uri)
                await asyncio.sleep(target)
        except (OSError, asyncio.IncompleteReadError, ConnectionResetError, AttributeError):
            stats["errors"] += 1
            await asyncio.sleep(0.2)

async def main():
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(player(deadline) for _ in range(clients)))

asyncio.run(main())
print(json.dumps(stats))
