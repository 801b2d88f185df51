#!/usr/bin/env python3
"""Time from exec of `sportello serve` to its first answered HTTP request (GET /healthz),
polling a loopback socket as fast as possible; prints the median and range of N starts.
Usage: bench/startup.py BIN DATA_DIR [N]"""
import socket, statistics, subprocess, sys, time

bin_, data, n = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 15
port = 18490
times, rss = [], []
for _ in range(n):
    t0 = time.monotonic()
    p = subprocess.Popen([bin_, "serve", "--data", data, "--port", str(port), "--log-level", "warn"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t0 + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            p.kill()
            sys.exit("server did not answer within 10 s")
    times.append((time.monotonic() - t0) * 1000)
    with open(f"/proc/{p.pid}/status") as f:
        rss += [int(l.split()[1]) for l in f if l.startswith("VmRSS")]
    p.terminate()
    p.wait()
print(f"start → first answered request: median {statistics.median(times):.1f} ms "
      f"(min {min(times):.1f}, max {max(times):.1f}, n={n})")
print(f"RSS right after the first answer: median {statistics.median(rss)/1024:.1f} MiB")
