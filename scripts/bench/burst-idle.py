#!/usr/bin/env python3
"""Memory per client of `nsock listen --echo -k` and `nsock listen -k` when each client sends a burst, then goes idle.

    python3 scripts/bench/burst-idle.py [N]   (N connections, default 1000; loopback only, bounded in time)
    SEGMENTS=64 THREADS=32 NSOCK=... python3 scripts/bench/burst-idle.py 1000   (the defaults; another build)

Each client sends a burst of SEGMENTS 16-byte segments back to back (TCP_NODELAY: a segment, and a readiness event,
each), with --echo reads them back, and is then held idle; THREADS clients burst at once (a listener that serves
one at a time mostly keeps up with the events, and the stale ones are rare). A listener whose zero-byte wait
believes a stale readiness event leaves such a client in a read that holds its 64 KiB buffer (see
SocketIo.WaitReadableAsync); one that re-checks costs the socket only. Reports the listener's VmRSS before and while
the clients are held, per connection. Every process it starts is ended by its PID."""
import json, os, resource, socket, subprocess, sys, threading, time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
NSOCK = os.environ.get("NSOCK", os.path.join(os.path.dirname(__file__), "..", "..", "artifacts", "bin", "nsock"))
SEGMENTS, SEGMENT = int(os.environ.get("SEGMENTS", 64)), b"0123456789abcdef"
THREADS = int(os.environ.get("THREADS", 32))
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 2 * N + 100)), hard))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


def client(port, echo):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(SEGMENTS):
        s.sendall(SEGMENT)
    if echo:
        want, got = SEGMENTS * len(SEGMENT), 0
        while got < want:
            chunk = s.recv(want - got)
            if not chunk:
                raise SystemExit("the echo ended early")
            got += len(chunk)
    return s


def run(mode):
    echo = mode == "--echo -k"
    argv = [NSOCK, "listen", "127.0.0.1:0", "-k", "--max-clients", str(N + 10), "--json"] + (["--echo"] if echo else [])
    # -k without --echo writes what clients send to stdout, and its events to stderr.
    p = subprocess.Popen(["timeout", "300"] + argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        events = p.stdout if echo else p.stderr
        port = json.loads(events.readline())["port"]
        # Drain both pipes: a listener whose pipe is full waits for it, and serves nobody meanwhile.
        for pipe in (p.stdout, p.stderr):
            threading.Thread(target=lambda f=pipe: [None for _ in iter(lambda: f.read(65536), b"")], daemon=True).start()
        held = [client(port, echo)]  # one client first: the listener's one-time costs are not counted
        time.sleep(1)
        nsock_pid = int(subprocess.check_output(["pgrep", "-P", str(p.pid)]).split()[0])
        before = rss_kib(nsock_pid)
        deadline = time.monotonic() + 200
        # Several clients burst at once, as a busy listener sees them (one at a time, the listener often keeps up).
        def some(count):
            for _ in range(count):
                if time.monotonic() > deadline:
                    raise SystemExit("not all connections made in time")
                held.append(client(port, echo))
        workers = [threading.Thread(target=some, args=(N // THREADS + (1 if i < N % THREADS else 0),)) for i in range(THREADS)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(250)
        if len(held) != N + 1:
            raise SystemExit("only %d of %d clients connected" % (len(held) - 1, N))
        time.sleep(2)
        during = rss_kib(nsock_pid)
        print("%-10s %d clients idle after a burst: RSS %.1f -> %.1f MiB, %.1f KiB per connection" % (
            mode, N, before / 1024, during / 1024, (during - before) / N))
        for s in held:
            s.close()
    finally:
        p.terminate()
        p.wait(10)


run("--echo -k")
run("-k")
