#!/usr/bin/env python3
# Slow HLS readers: CLIENTS connections, each asking for the newest segment with a 4 KB receive buffer and taking
# 2 KB every 5 s (an attacker pinning memory, or a phone on a dead link). A reader the daemon drops reconnects for
# the newest segment. usage: slowhlsclient.py HOST PORT CLIENTS SECONDS  -> one JSON line
import json, re, socket, sys, threading, time, urllib.request

host, port, clients, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
stats = {"clients": clients, "connections": 0, "dropped": 0, "bytes": 0}
lock = threading.Lock()

def newest():
    text = urllib.request.urlopen(f"http://{host}:{port}/streaminf.m3u8", timeout=20).read().decode()
    return re.findall(r"^(seg\d+\.m4s)$", text, re.M)[-1]

def reader(deadline):
    while time.monotonic() < deadline:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect((host, port))
        s.sendall(f"GET /{newest()} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        with lock: stats["connections"] += 1
        s.settimeout(1)
        while time.monotonic() < deadline:
            try:
                data = s.recv(2048)
            except socket.timeout:
                continue
            if not data:
                with lock: stats["dropped"] += 1
                break
            with lock: stats["bytes"] += len(data)
            time.sleep(5)
        s.close()

deadline = time.monotonic() + seconds
threads = [threading.Thread(target=reader, args=(deadline,)) for _ in range(clients)]
for t in threads: t.start(); time.sleep(0.01)
for t in threads: t.join()
print(json.dumps(stats))
