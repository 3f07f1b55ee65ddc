#!/usr/bin/env python3
"""Memory per idle TLS connection of `nsock listen --tls-self-signed --echo -k`, against the same listener without TLS.

    python3 scripts/bench/tls-idle.py [N] [--silent]   (N connections, default 1000; loopback only, bounded in time)

Starts the listener (artifacts/bin/nsock, or NSOCK=...), opens N client connections (with TLS: each completes its
handshake and one echo; with --silent, the handshake only: clients that never send), holds them idle, and reports
the listener's VmRSS before and while they are held, per connection, and its thread count while they are held.
Every process it starts is ended by its PID."""
import json, os, resource, socket, ssl, subprocess, sys, threading, time

ARGS = [a for a in sys.argv[1:] if a != "--silent"]
SILENT = "--silent" in sys.argv[1:]
N = int(ARGS[0]) if ARGS else 1000
NSOCK = os.environ.get("NSOCK", os.path.join(os.path.dirname(__file__), "..", "..", "artifacts", "bin", "nsock"))
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 2 * N + 100)), hard))


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))


def run(tls):
    argv = [NSOCK, "listen", "127.0.0.1:0", "--echo", "-k", "--max-clients", str(N + 10), "--json"]
    if tls:
        argv += ["--tls-self-signed"]
    p = subprocess.Popen(["timeout", "300"] + argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = json.loads(p.stdout.readline())["port"]
        # Drain the events: a listener whose stdout pipe is full waits for it, and serves nobody meanwhile.
        threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
        ctx = ssl.create_default_context()
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        held = []
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s = ctx.wrap_socket(s) if tls else s
        s.sendall(b"x"); s.recv(1); held.append(s)  # one client first: the listener's one-time costs are not counted
        time.sleep(1)
        nsock_pid = int(subprocess.check_output(["pgrep", "-P", str(p.pid)]).split()[0])
        before = rss_kib(nsock_pid)
        deadline = time.monotonic() + 200
        for _ in range(N):
            if time.monotonic() > deadline:
                raise SystemExit("not all connections made in time")
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s = ctx.wrap_socket(s) if tls else s
            if not SILENT:
                s.sendall(b"x")
                if s.recv(1) != b"x":
                    raise SystemExit("no echo")
            held.append(s)
        time.sleep(2)
        during = rss_kib(nsock_pid)
        threads = len(os.listdir("/proc/%d/task" % nsock_pid))
        print("%-8s %d %s connections: RSS %.1f -> %.1f MiB, %.1f KiB per connection, %d threads" % (
            "TLS" if tls else "plain", N, "silent" if SILENT else "idle", before / 1024, during / 1024, (during - before) / N, threads))
        for s in held:
            s.close()
    finally:
        p.terminate()
        p.wait(10)


run(False)
run(True)
