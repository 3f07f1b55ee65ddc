#!/usr/bin/env python3
"""Holds N loopback TCP connections for the conns benchmark: one listener on 127.0.0.1:0 and N clients, each
accepted, so the machine holds 2N+1 sockets of this process (the listener, N client ends, N server ends).

Usage: conns-holder.py N SECONDS. Raises its own open-file limit to what N needs (up to the hard limit; fewer
connections, said on stderr, when the hard limit is lower). Prints "ready PORT COUNT PID" on stdout once every
connection is made, then holds them until stdin closes or SECONDS pass. Setup is bounded: at most 60 s.
Loopback only."""
import os
import resource
import select
import socket
import sys
import time


def main():
    n, hold = int(sys.argv[1]), float(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * n + 64
    if soft < need:
        top = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
        soft = top
    if soft < need:
        n = max(1, (soft - 64) // 2)
        print("conns-holder: the open-file hard limit is %d: holding %d connections" % (hard, n), file=sys.stderr)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4096)
    port = listener.getsockname()[1]
    held = []
    deadline = time.monotonic() + 60
    for _ in range(n):
        if time.monotonic() > deadline:
            print("conns-holder: setup took over 60 s; holding %d connections" % (len(held) // 2), file=sys.stderr)
            break
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        s, _ = listener.accept()
        held += [c, s]
    print("ready %d %d %d" % (port, len(held) // 2, os.getpid()), flush=True)
    select.select([sys.stdin], [], [], hold)


if __name__ == "__main__":
    main()
