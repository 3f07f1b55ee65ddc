#!/usr/bin/env python3
"""The load client of the scale benchmark: opens N loopback TCP connections to a listener, holds them idle, and
measures a fresh client's round trip while they are held.

Usage: scale-client.py PORT N MODE PROBES
  MODE echo:  each held connection is served once (one byte sent, the same byte back), then left idle; a probe is
              a fresh connection that sends 32 bytes and reads them back (connect to last byte).
  MODE relay: each held connection stays idle (nothing sent); a probe is a fresh connection that sends 32 bytes
              to a broker (another fresh client, joined before, reads them): connect to last byte received.
              With PROBES 0 (keep-open relay, receive-files) no probe is made.
Raises its own open-file limit to what N needs (up to the hard limit; fewer connections, said on stderr, when the
hard limit is lower). At most 256 connects in flight (the listener's backlog is 512). Talks to the driver by lines:
prints "held COUNT SECONDS" once every connection is made (echo: and served), then reads a line from stdin
("probe"), prints "probes OK TOTAL P50_MS P99_MS MAX_MS", reads a line ("close"), closes everything and prints
"closed". Every phase is bounded (setup 120 s, each probe 5 s, the whole run 900 s). Loopback only."""
import errno
import os
import resource
import select
import socket
import statistics
import sys
import time

HOST = "127.0.0.1"
WINDOW = 256


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = n + 64
    if soft < need:
        top = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))
        soft = top
    if soft < need:
        n = max(1, soft - 64)
        print("scale-client: the open-file hard limit is %d: holding %d connections" % (hard, n), file=sys.stderr)
    return n


def open_all(port, n, echo, deadline):
    """N connections, WINDOW in flight at a time; echo: each also gets one byte back. Returns the sockets."""
    ep = select.epoll()
    done, pending, started = [], {}, 0
    while len(done) < n:
        if time.monotonic() > deadline:
            raise SystemExit("scale-client: setup took over its limit: %d of %d connections made" % (len(done), n))
        while started < n and len(pending) < WINDOW:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex((HOST, port))
            if rc not in (0, errno.EINPROGRESS):
                raise SystemExit("scale-client: connect failed: %s" % os.strerror(rc))
            pending[s.fileno()] = [s, "connect"]
            ep.register(s.fileno(), select.EPOLLOUT)
            started += 1
        for fd, ev in ep.poll(1.0):
            s, state = pending[fd]
            if state == "connect":
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    raise SystemExit("scale-client: connect failed: %s" % os.strerror(err))
                if echo:
                    s.send(b"x")
                    pending[fd][1] = "echo"
                    ep.modify(fd, select.EPOLLIN)
                    continue
            else:
                got = s.recv(1)
                if got != b"x":
                    raise SystemExit("scale-client: connection %d: expected its byte back, got %r" % (len(done), got))
            ep.unregister(fd)
            del pending[fd]
            done.append(s)
    ep.close()
    return done


def recv_exactly(s, count):
    data = b""
    while len(data) < count:
        chunk = s.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


def probe_echo(port):
    t0 = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=5) as s:
        msg = os.urandom(16).hex().encode()
        s.sendall(msg)
        ok = recv_exactly(s, len(msg)) == msg
        return ok, (time.perf_counter() - t0) * 1000


def probe_broker(port, reader):
    t0 = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=5) as s:
        msg = os.urandom(15).hex().encode() + b"\n"
        s.sendall(msg)
        ok = recv_exactly(reader, len(msg)) == msg
        return ok, (time.perf_counter() - t0) * 1000


def join_reader(port):
    """A fresh broker client that has seen a message from another one (so it is in the room)."""
    reader = socket.create_connection((HOST, port), timeout=5)
    reader.settimeout(0.1)
    with socket.create_connection((HOST, port), timeout=5) as w:
        for _ in range(100):
            w.sendall(b"hello\n")
            try:
                if reader.recv(64):
                    break
            except socket.timeout:
                pass
        else:
            raise SystemExit("scale-client: the broker never passed a message to a fresh client")
    time.sleep(0.2)
    try:
        while reader.recv(4096):  # drop the extra hellos
            pass
    except socket.timeout:
        pass
    reader.settimeout(5)
    return reader


def main():
    port, n, mode, probes = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    n = raise_fd_limit(n)
    t0 = time.monotonic()
    held = open_all(port, n, mode == "echo", t0 + 120)
    print("held %d %.3f" % (len(held), time.monotonic() - t0), flush=True)
    sys.stdin.readline()
    times, ok = [], 0
    if probes > 0:
        reader = join_reader(port) if mode == "relay" else None
        for _ in range(probes):
            try:
                good, ms = probe_broker(port, reader) if reader else probe_echo(port)
            except OSError:
                good, ms = False, 0.0
            ok += good
            if good:
                times.append(ms)
        if reader:
            reader.close()
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else 0.0
    print("probes %d %d %.3f %.3f %.3f" % (ok, probes, statistics.median(times) if times else 0.0, pick(0.99),
                                           times[-1] if times else 0.0), flush=True)
    sys.stdin.readline()
    for s in held:
        s.close()
    print("closed", flush=True)


if __name__ == "__main__":
    main()
