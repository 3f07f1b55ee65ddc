#!/usr/bin/env python3
"""Bytes through `nsock listen --tls-self-signed` (the TLS bridge) from and to `socat OPENSSL:`, two nsock builds
taking turns (A B A B), each direction: the listener's TLS throughput before and after a change.

    BASELINE=/path/to/other/nsock python3 scripts/bench/tls-listen.py [ROUNDS] [SIZE_MIB]   (default 4 rounds, 512 MiB)

up: socat sends a file to the listener, which writes it to a file (the bridge decrypts); down: the listener sends a
file to socat (the bridge encrypts). NSOCK (default artifacts/bin/nsock) is the build measured, BASELINE the one it is
compared with (without it, NSOCK alone). Loopback only (127.0.0.1); every process runs under `timeout` and is ended
by its PID; the temporary folder is removed at the end. Medians and every run are printed."""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 4
SIZE = (int(sys.argv[2]) if len(sys.argv) > 2 else 512) << 20
BUILDS = {"nsock": os.environ.get("NSOCK", os.path.join(HERE, "..", "..", "artifacts", "bin", "nsock"))}
if os.environ.get("BASELINE"):
    BUILDS["baseline"] = os.environ["BASELINE"]
if shutil.which("socat") is None:
    raise SystemExit("socat is needed (apt-get install socat)")


def stop(p):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


def run(binary, direction, data, tmp):
    received = os.path.join(tmp, "received")
    listener_in = subprocess.PIPE if direction == "up" else open(data, "rb")
    with open(received if direction == "up" else os.devnull, "wb") as listener_out:
        p = subprocess.Popen(["timeout", "120", binary, "listen", "127.0.0.1:0", "--tls-self-signed"],
                             stdin=listener_in, stdout=listener_out, stderr=subprocess.PIPE, text=True)
    try:
        port, deadline = None, time.monotonic() + 20
        while port is None and time.monotonic() < deadline:
            m = re.search(r"listening on tcp://127\.0\.0\.1:(\d+)", p.stderr.readline())
            port = int(m.group(1)) if m else None
        if port is None:
            raise SystemExit("%s did not start listening" % binary)
        peer = "OPENSSL:127.0.0.1:%d,verify=0" % port
        t0 = time.perf_counter()
        if direction == "up":
            subprocess.run(["timeout", "120", "socat", "-u", "-b", "1048576", "OPEN:" + data, peer], stderr=subprocess.DEVNULL, check=False)
            # The listener's input stays open until every byte is written out: its close_notify, left unread by
            # socat -u, would turn socat's close into a reset that drops the last bytes.
            while os.path.getsize(received) < SIZE and time.perf_counter() - t0 < 120:
                time.sleep(0.002)
            p.stdin.close()
        else:
            with open(received, "wb") as out:
                subprocess.run(["timeout", "120", "socat", "-u", "-b", "1048576", peer, "STDOUT"], stdout=out, stderr=subprocess.DEVNULL, check=False)
        p.wait(60)
        seconds = time.perf_counter() - t0
        return seconds, os.path.getsize(received) == SIZE
    finally:
        stop(p)
        if direction == "down":
            listener_in.close()


def main():
    tmp = tempfile.mkdtemp(prefix="nsock-tls-listen-")
    try:
        data = os.path.join(tmp, "data")
        with open(data, "wb") as f:
            for _ in range(SIZE >> 20):
                f.write(os.urandom(1 << 20))
        times = {}
        for direction in ("up", "down"):
            for r in range(ROUNDS):
                for name, binary in BUILDS.items():
                    seconds, ok = run(binary, direction, data, tmp)
                    times.setdefault((direction, name), []).append(seconds)
                    print("%-4s %-8s round %d  %.3f s  %s" % (direction, name, r + 1, seconds, "bytes ok" if ok else "BYTES WRONG"), file=sys.stderr, flush=True)
        for direction in ("up", "down"):
            medians = {}
            for name in BUILDS:
                v = times[(direction, name)]
                medians[name] = statistics.median(v)
                print("%-4s %-8s median %.3f s  %.2f GB/s  (%s)" % (direction, name, medians[name], SIZE / medians[name] / 1e9, " ".join("%.3f" % x for x in v)))
            if "baseline" in medians:
                print("%-4s nsock / baseline time x%.2f" % (direction, medians["nsock"] / medians["baseline"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


main()
