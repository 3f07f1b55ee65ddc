#!/usr/bin/env python3
"""nsock benchmarks on loopback: one driver, one table of scenarios (Python 3, standard library only).

  scripts/bench/bench.py SCENARIO [SIZE]     throughput, startup, ping, probe, http, files (several may be named)
  scripts/bench/bench.py --json SCENARIO     the report as JSON on stdout (the readable one goes to stderr)
  scripts/bench/bench.py --smoke             every scenario, tiny sizes, 1 round: exits 1 if any check fails
  scripts/bench/bench.py --list              the scenarios and their knobs

Knobs come from the environment, as before (ROUNDS=2 PINNED=0 scripts/bench/throughput 1G); SIZE, when given,
is the scenario's BYTES. See scripts/bench/README.md for what each scenario measures and how to read it.

Rules this file keeps: only 127.0.0.1 (never another address); every process runs under `timeout` and every
wait and loop is bounded in count and time; only processes this driver started are signalled, by PID
(finally/atexit/SIGINT/SIGTERM).
"""
import atexit
import hashlib
import json
import os
import re
import select
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HOST = "127.0.0.1"  # the only address any scenario uses
DEVNULL = subprocess.DEVNULL
PIPE = subprocess.PIPE


class Fail(Exception):
    """A scenario cannot go on (a missing tool, a peer that does not start, a check before timing)."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ================================================================ knobs

def to_bytes(text):
    """Bytes from a plain count or an IEC size (256M, 1G, 2GiB)."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", str(text), re.I)
    if not m:
        raise Fail("cannot read size '%s' (try 1G, 256M or a byte count)" % text)
    return int(m.group(1)) << (10 * " KMGT".index(m.group(2).upper() or " "))


class Knobs:
    """A scenario's settings: its defaults, then the environment, then (for --smoke) forced values."""

    def __init__(self, defaults, forced=None, size=None):
        self.values = {}
        for name, default in defaults.items():
            raw = os.environ.get(name)
            if forced and name in forced:
                raw = forced[name]
            elif name in ("BYTES", "N") and size is not None:  # N: the conns scenario's connection count
                raw = size
            if raw is None or raw == "":
                self.values[name] = default
                continue
            kind = type(default) if default is not None else str
            try:
                if name in ("BYTES", "THROUGHPUT_BYTES"):
                    value = to_bytes(raw)
                elif kind is bool:
                    value = str(raw) not in ("0", "", "no", "false")
                elif kind in (int, float):
                    value = kind(raw)
                else:
                    value = str(raw)
            except ValueError:
                raise Fail("%s=%s is not a %s" % (name, raw, kind.__name__))
            self.values[name] = value

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name)

    def positive(self, *names):
        for n in names:
            if not isinstance(self.values[n], (int, float)) or self.values[n] <= 0:
                raise Fail("%s must be positive" % n)


# ================================================================ tools

APT_PACKAGE = {"nc": "netcat-openbsd", "time": "time", "taskset": "util-linux", "timeout": "coreutils", "sha256sum": "coreutils",
               "xxhsum": "xxhash"}


def have(cmd):
    if cmd == "time":  # GNU time (/usr/bin/time -f %M: peak RSS), not the shell keyword
        return os.access("/usr/bin/time", os.X_OK)
    if cmd == "nc":
        # Only OpenBSD netcat has -N (half-close at EOF); the traditional one does not.
        return shutil.which("nc") is not None and "OpenBSD" in run_text(["nc", "-h"])
    return shutil.which(cmd) is not None


def ensure_tools(*cmds):
    """Installs the Debian package of every missing command (socat, ncat, iperf3, hyperfine, nmap, curl, busybox...)."""
    missing = sorted({APT_PACKAGE.get(c, c) for c in cmds if not have(c)})
    if not missing:
        return
    log("== installing missing tools: %s" % " ".join(missing))
    if os.geteuid() != 0:
        raise Fail("need root to apt-get install %s (or install them yourself)" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq"] + missing):
        if subprocess.run(["timeout", "900"] + argv, stdout=sys.stderr, env=env).returncode != 0:
            raise Fail("%s failed" % " ".join(argv[:2]))


def ensure_nsock():
    """The native-AOT binary (NSOCK=... for another build), built with scripts/build --no-demo when missing."""
    path = os.environ.get("NSOCK") or os.path.join(ROOT, "artifacts", "bin", "nsock")
    if not os.access(path, os.X_OK):
        log("== %s missing: building it (bash scripts/build --no-demo)" % path)
        if subprocess.run(["timeout", "900", "bash", os.path.join(ROOT, "scripts", "build"), "--no-demo"],
                          stdout=sys.stderr).returncode != 0:
            raise Fail("build failed")
    if not os.access(path, os.X_OK):
        raise Fail("no nsock binary at %s" % path)
    return path


def run_text(argv, timeout=30):
    """stdout + stderr of a short command ('' when it cannot run)."""
    try:
        return subprocess.run(["timeout", str(timeout)] + argv, stdin=DEVNULL, stdout=PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace").stdout
    except OSError:
        return ""


def first_line(argv, fields=None):
    line = (run_text(argv).splitlines() or ["?"])[0]
    return " ".join(line.split()[:fields]) if fields else line


def socat_version():
    line = next((l for l in run_text(["socat", "-V"]).splitlines() if l.startswith("socat version")), "socat version ?")
    return "socat " + line.split()[2]


def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def busy_note(load):
    return "  -- other work was running before the start: figures are noisy" if float(load.split()[0]) > 1.0 else ""


# ================================================================ ports (127.0.0.1 only)

def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago (bound to 0, then released)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def listening_ports():
    """Ports with a socket in LISTEN state, from /proc/net/tcp{,6}: never connects, so a one-shot `nc -l` is kept."""
    ports = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(path) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "0A":
                        ports.add(int(parts[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


def json_events(path, name):
    """The JSON events called `name` in an nsock --json output file (partial lines ignored)."""
    out = []
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if '"%s"' % name in line:
                    try:
                        e = json.loads(line)
                    except ValueError:
                        continue
                    if e.get("event") == name:
                        out.append(e)
    except OSError:
        pass
    return out


def ready_port(path):
    """The port of nsock's `ready` event in a --json output file, or None."""
    events = json_events(path, "ready")
    return events[0].get("port") if events else None


def tail(path, n=300):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - n))
            return f.read().decode(errors="replace").replace("\n", " ").strip()
    except OSError:
        return ""


# ================================================================ files

def sha256_file(path):
    h = hashlib.sha256()  # OpenSSL's SHA-256, as `openssl dgst`
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_once(path):
    """Reads a file once so that it is in the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass


def write_random_file(path, nbytes):
    """Random data (a 64 MiB /dev/urandom block, repeated), synced, then read once into the page cache."""
    log("== writing %d bytes of random data to %s (a 64 MiB /dev/urandom block, repeated)" % (nbytes, path))
    chunk = os.urandom(min(nbytes, 64 << 20))
    with open(path, "wb") as f:
        left = nbytes
        while left:
            n = min(left, len(chunk))
            f.write(chunk[:n] if n < len(chunk) else chunk)
            left -= n
        f.flush()
        os.fsync(f.fileno())
    if os.path.getsize(path) != nbytes:
        raise Fail("%s has the wrong size" % path)
    read_once(path)


# ================================================================ processes: ours only, by PID, always bounded

class Exit:
    def __init__(self, rc, rusage=None, wchar=None):
        self.rc, self.wchar = rc, wchar
        self.user = rusage.ru_utime if rusage else 0.0
        self.sys = rusage.ru_stime if rusage else 0.0


class Procs:
    """Every process the driver starts: under `timeout -k 5 T` (and `taskset -c CPU` when pinned), tracked by PID,
    reaped with wait4 (its rusage: CPU seconds, peak RSS), signalled only by its PID."""

    def __init__(self):
        self.live = {}

    def start(self, argv, limit, pin=None, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL, rss_to=None):
        """rss_to: a file for GNU time's %M (peak RSS in KiB of `timeout` and the command it reaps, so the command's).
        wait4's own ru_maxrss cannot serve: a child forked from this interpreter starts with its ~25 MiB high-water
        mark. CPU seconds from wait4 are clean."""
        wrap = ["timeout", "-k", "5", str(int(limit))] + (["taskset", "-c", str(pin)] if pin is not None else [])
        if rss_to:
            wrap = ["/usr/bin/time", "-f", "%M", "-o", rss_to] + wrap
        p = subprocess.Popen(wrap + [str(a) for a in argv], stdin=stdin, stdout=stdout, stderr=stderr)
        p.limit = limit
        self.live[p.pid] = p
        return p

    @staticmethod
    def running(p):
        """True while p has not exited (it is not reaped here, so its rusage and /proc/<pid>/io stay readable)."""
        if p.returncode is not None:
            return False
        try:
            return os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        except ChildProcessError:
            return False

    def _exited_within(self, p, secs):
        if not self.running(p):
            return True
        try:
            fd = os.pidfd_open(p.pid)
        except (AttributeError, OSError):
            fd = None
        if fd is not None:
            try:
                select.select([fd], [], [], max(0.0, secs))
            finally:
                os.close(fd)
            return not self.running(p)
        for _ in range(int(secs / 0.005) + 1):  # no pidfd: poll, bounded
            if not self.running(p):
                return True
            time.sleep(0.005)
        return not self.running(p)

    def wait(self, p, count_writes=False):
        """Reaps p (at most its `timeout` + 10 s; then TERM and KILL by PID). count_writes: the bytes p and the
        children it reaped wrote with write(2) (wchar of /proc/<pid>/io, read while it is a zombie)."""
        if p.returncode is not None:
            return Exit(p.returncode)
        if not self._exited_within(p, p.limit + 10):
            self.signal(p, signal.SIGTERM)
            if not self._exited_within(p, 5):
                self.signal(p, signal.SIGKILL)
                self._exited_within(p, 5)
        wchar = None
        if count_writes:
            try:
                with open("/proc/%d/io" % p.pid) as f:
                    wchar = int(next(l for l in f if l.startswith("wchar:")).split()[1])
            except (OSError, StopIteration, ValueError):
                pass
        try:
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
        except ChildProcessError:
            p.returncode, ru = (p.returncode if p.returncode is not None else -1), None
        self.live.pop(p.pid, None)
        return Exit(p.returncode, ru, wchar)

    def signal(self, p, sig):
        if self.running(p):
            try:
                os.kill(p.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, p):
        """TERM (timeout passes it on to its command), reaped within 5 s, else KILL."""
        if p.pid not in self.live:
            return
        self.signal(p, signal.SIGTERM)
        if not self._exited_within(p, 5):
            self.signal(p, signal.SIGKILL)
        self.wait(p)

    def stop_all(self):
        for p in list(self.live.values()):
            self.stop(p)


PROCS = Procs()
atexit.register(PROCS.stop_all)


def wait_ready(proc, probe, secs=10.0):
    """Calls probe() every 10 ms until it returns something, proc exits, or secs pass."""
    for _ in range(int(secs / 0.01)):
        v = probe()
        if v:
            return v
        if not PROCS.running(proc):
            return probe()
        time.sleep(0.01)
    return probe()


def listening(port):
    return lambda: port if port in listening_ports() else None


# ================================================================ rounds, medians, the report

class Context:
    def __init__(self, name, knobs, work, smoke, stamp):
        self.name, self.k, self.work, self.smoke = name, knobs, work, smoke
        results = os.environ.get("RESULTS_DIR") or os.path.join(ROOT, "artifacts", "bench")
        self.results = os.path.join(results, "%s-%s" % (name, stamp))  # + .txt .tsv .json (and a folder for hyperfine)
        self.rows = []
        self.nsock = None

    def path(self, *parts):
        return os.path.join(self.work, *parts)

    def record(self, row, progress):
        self.rows.append(row)
        log("  " + progress)
        return row["status"].startswith("ok")


def status_of(why, ok="ok"):
    return "FAIL: " + "; ".join(why) if why else ok


def warm_up(tools, run):
    """One untimed run per tool; a tool that fails it is left out of the set."""
    kept = []
    for t in tools:
        if run(t, "warmup"):
            kept.append(t)
        else:
            log("   !! %s failed its warm-up; left out of this set" % t)
    return kept


def alternate(tools, rounds, run, what):
    """ROUNDS rounds, each running every tool once in turn (A B C A B C ...)."""
    for r in range(1, rounds + 1):
        if not tools:
            return
        log("== %s: round %d/%d (%s)" % (what, r, rounds, " ".join(tools)))
        for t in tools:
            run(t, r)


def timed_stats(rows, tool, key="seconds"):
    """Median/min/max of the successful timed runs of one tool (warm-up and checks excluded)."""
    timed = [r for r in rows if r["tool"] == tool and r["kind"] == "timed" and r["round"] != "warmup"]
    ok = [r for r in timed if r["status"].startswith("ok")]
    vals = [float(r[key]) for r in ok]
    s = {"tool": tool, "timed": len(timed), "ok": len(ok), "okrows": ok, "runs": "%d/%d" % (len(ok), len(timed))}
    if vals:
        s.update(median=statistics.median(vals), min=min(vals), max=max(vals))
    fails = [r["status"] for r in rows if r["tool"] == tool and r["status"].startswith("FAIL")]
    s["why"] = fails[0] if fails else "no run"
    s["failed"] = [r["status"] for r in timed if not r["status"].startswith("ok")]
    return s


def speed_verdict(a, b):
    """a, b: nsock's and the other tool's median times."""
    thr = b / a
    if abs(thr - 1) < 0.03:
        return "a tie (within 3%)"
    return "nsock %.0f%% faster" % (100 * (thr - 1)) if thr > 1 else "nsock %.0f%% slower" % (100 * (1 - thr))


def spread(s, fmt="%.3f"):
    return (fmt + ".." + fmt) % (s["min"], s["max"]) if "min" in s else None


def seconds_table(rep, title, sel, tools, label, nbytes, ok_text, sha_text, extra=()):
    """One table of timed transfers: median s, GB/s, min..max, extra columns [(name, fn(stats) -> text)], runs, checks.
    ok_text(tool): what every timed run of it passing means; sha_text: what its untimed SHA-256 run checked.
    Returns {tool: median s} for the tools with a result."""
    rows, med = [], {}
    for t in tools:
        s = timed_stats(sel, t)
        shas = [r for r in sel if r["tool"] == t and r["kind"] == "sha"]
        checks = ok_text(t) if s["timed"] and not s["failed"] else ""
        if shas:
            checks += ", %s %s" % (sha_text, "ok" if all(r["status"].startswith("ok") for r in shas) else "MISMATCH")
        if not s["ok"]:
            rows.append([label(t), None, None, None] + [None for _ in extra] + [s["runs"], s["why"][:150]])
            continue
        med[t] = s["median"]
        if s["failed"]:
            checks = "%d FAILED: %s" % (len(s["failed"]), s["failed"][0][:100])
        rows.append([label(t), med[t], nbytes / med[t] / 1e9, spread(s)] + [fn(s) for _, fn in extra] +
                    [s["runs"], checks])
    rep.table(title, [("tool", None), ("median s", "%.3f"), ("GB/s", "%.2f"), ("min .. max s", None)] +
              [(name, None) for name, _ in extra] + [("runs", None), ("checks", None)], rows)
    return med


class Report:
    """What a scenario found: info lines, tables, comparisons. Rendered as text, or as JSON (--json)."""

    def __init__(self, ctx, title):
        self.ctx = ctx
        self.data = {"scenario": ctx.name, "title": title, "knobs": ctx.k.values, "info": [], "tables": [],
                     "comparisons": [], "summary_note": None}

    def info(self, line):
        self.data["info"].append(line)

    def table(self, title, columns, rows):
        """columns: [(name, printf format or None)]; rows: lists of values (None prints as '-')."""
        self.data["tables"].append({"title": title, "columns": [c for c, _ in columns],
                                    "rows": [dict(zip([c for c, _ in columns], r)) for r in rows],
                                    "formats": [f for _, f in columns], "comparisons": []})

    def compare(self, line, inline=True, **data):
        entry = dict(data, line=line)
        self.data["comparisons"].append(entry)
        if inline and self.data["tables"]:
            self.data["tables"][-1]["comparisons"].append(line)

    def summary(self, note):
        self.data["summary_note"] = note

    def text(self):
        out = ["", self.data["title"]] + self.data["info"]
        for t in self.data["tables"]:
            cols, fmts = t["columns"], t["formats"]
            cells = [cols] + [[("-" if r[c] is None else (f % r[c] if f else str(r[c]))) for c, f in zip(cols, fmts)]
                              for r in t["rows"]]
            widths = [max(len(row[i]) for row in cells) for i in range(len(cols))]
            out += ["", "== " + t["title"]] if t["title"] else [""]
            for row in cells:
                parts = []
                for i, v in enumerate(row):
                    last_text = i == len(cols) - 1 and cols[i] in ("checks", "note")
                    parts.append(v.ljust(widths[i]) if i == 0 or last_text else v.rjust(widths[i]))
                out.append("  ".join(parts).rstrip())
            out += ["   " + c for c in t["comparisons"]]
        if self.data["comparisons"]:
            out += ["", "== summary" + (": " + self.data["summary_note"] if self.data["summary_note"] else "")]
            out += [c["line"] for c in self.data["comparisons"]]
        return "\n".join(out) + "\n"


def save_results(ctx, report):
    base = ctx.results
    os.makedirs(os.path.dirname(base), exist_ok=True)
    if ctx.rows:
        cols = list(dict.fromkeys(k for r in ctx.rows for k in r))
        with open(base + ".tsv", "w") as f:
            f.write("\t".join(cols) + "\n")
            for r in ctx.rows:
                f.write("\t".join("" if r.get(c) is None else str(r.get(c)) for c in cols) + "\n")
    with open(base + ".txt", "w") as f:
        f.write(report.text())
    with open(base + ".json", "w") as f:
        json.dump(dict(report.data, runs=ctx.rows), f, indent=1)
    return base


# ================================================================ commands timed whole (startup, probe)

def time_commands(ctx, cmds, runs, passes, warmup, no_hyperfine, loop_timeout, outdir):
    """cmds: [(name, argv, expected exit code)]. RUNS per command split into PASSES passes that take the commands in
    turn; WARMUP runs per pass. hyperfine -N when there is one, else a Python loop timing each run under
    `timeout` (whose cost is the baseline row). Returns ({name: [ms, ...]}, method)."""
    passes = min(passes, runs)
    per = -(-runs // passes)
    times = {name: [] for name, _, _ in cmds}
    if not no_hyperfine and have("hyperfine"):
        nflag = ["-N"] if "--shell=none" in run_text(["hyperfine", "--help"]) else []
        method = "hyperfine %s %s, %d alternated passes of --warmup %d --runs %d per command" % (
            first_line(["hyperfine", "--version"]).split()[-1], " ".join(nflag), passes, warmup, per)
        for p in range(1, passes + 1):
            log("== pass %d/%d" % (p, passes))
            for i, (name, argv, rc) in enumerate(cmds):
                js = os.path.join(outdir, "%d.%d.json" % (i, p))
                ign = ["-i"] if rc != 0 else []   # a non-zero exit code is expected: checked below, run by run
                r = subprocess.run(["timeout", "600", "hyperfine"] + nflag + ign + [
                    "--style", "basic", "--warmup", str(warmup), "--runs", str(per), "--export-json", js,
                    "-n", name, shlex.join(argv)], stdin=DEVNULL, stdout=PIPE, stderr=subprocess.STDOUT, text=True)
                if r.returncode != 0:
                    log(r.stdout)
                    raise Fail("hyperfine failed on '%s'" % shlex.join(argv))
                with open(js) as f:
                    res = json.load(f)["results"][0]
                bad = sorted({c for c in res.get("exit_codes", []) if c != rc})
                if bad:
                    raise Fail("'%s' exited %s while timed, expected %d" % (shlex.join(argv), bad, rc))
                times[name] += [t * 1e3 for t in res["times"]]
    else:
        method = "Python loop (no hyperfine), %d alternated passes of %d warm-up + %d runs per command, each run " \
                 "under timeout %d" % (passes, warmup, per, loop_timeout)
        cmds = cmds + [("timeout %d true (baseline of the loop)" % loop_timeout, ["true"], 0)]
        times[cmds[-1][0]] = []
        for p in range(1, passes + 1):
            log("== pass %d/%d" % (p, passes))
            for name, argv, rc in cmds:
                for r in range(-warmup, per):
                    t0 = time.perf_counter_ns()
                    got = subprocess.run(["timeout", str(loop_timeout)] + argv, stdin=DEVNULL, stdout=DEVNULL,
                                         stderr=DEVNULL).returncode
                    t1 = time.perf_counter_ns()
                    if got != rc:
                        raise Fail("'%s' exited %d while timed, expected %d" % (shlex.join(argv), got, rc))
                    if r >= 0:
                        times[name].append((t1 - t0) / 1e6)
    for name, ts in times.items():
        ctx.rows += [{"tool": name, "kind": "timed", "round": i, "ms": round(t, 4), "status": "ok"}
                     for i, t in enumerate(ts)]
    return times, method


def check_once(argv, rc, limit):
    """Runs a command once before it is timed; its exit code must be rc. Returns its output."""
    r = subprocess.run(["timeout", str(limit)] + argv, stdin=DEVNULL, stdout=PIPE, stderr=subprocess.STDOUT,
                       text=True, errors="replace")
    if r.returncode != rc:
        raise Fail("'%s' exited %d, expected %d: %s" % (shlex.join(argv), r.returncode, rc, r.stdout[-300:]))
    return r.stdout


def ms_table(report, times, extra=None):
    cols = [("command", None), ("median ms", "%.2f"), ("mean ms", "%.2f"), ("min ms", "%.2f"), ("max ms", "%.2f"),
            ("runs", "%d")] + ([(extra[0], "%.2f")] if extra else [])
    rows, med = [], {}
    for name, ts in times.items():
        med[name] = statistics.median(ts)
        rows.append([name, med[name], statistics.mean(ts), min(ts), max(ts), len(ts)] +
                    ([extra[1](med[name])] if extra else []))
    report.table(None, cols, rows)
    return med


# ================================================================ scenario: throughput

THROUGHPUT = {  # (mode, tool): label, sender argv (ctx, port), sender's stdin: None | "file" | "pipe" (cat F |)
    ("file", "nsock"): ("nsock send --file F", lambda c, p: [c.nsock, "send", "%s:%d" % (HOST, p), "--file", c.data], None),
    ("file", "nsock-stdin"): ("nsock send < F", lambda c, p: [c.nsock, "send", "%s:%d" % (HOST, p)], "file"),
    ("file", "socat"): ("socat OPEN:F", lambda c, p: ["socat", "-u", "-b", "1048576", "OPEN:" + c.data,
                                                      "TCP:%s:%d" % (HOST, p)], None),
    ("file", "nc"): ("nc -N < F", lambda c, p: ["nc", "-N", HOST, p], "file"),
    ("file", "iperf3"): ("iperf3 -n (ceiling)", lambda c, p: ["iperf3", "-c", HOST, "-p", p, "-n", c.nbytes, "--json"], None),
    ("pipe", "nsock"): ("cat F | nsock send", lambda c, p: [c.nsock, "send", "%s:%d" % (HOST, p)], "pipe"),
    ("pipe", "nsock-connect"): ("cat F | nsock connect", lambda c, p: [c.nsock, "connect", "%s:%d" % (HOST, p)], "pipe"),
    ("pipe", "socat"): ("cat F | socat STDIN", lambda c, p: ["socat", "-u", "-b", "1048576", "STDIN",
                                                             "TCP:%s:%d" % (HOST, p)], "pipe"),
    ("pipe", "nc"): ("cat F | nc -N", lambda c, p: ["nc", "-N", HOST, p], "pipe"),
}


def throughput_receiver(c, tool, port, to_stdout):
    """The receiver's argv (port None: nsock picks one and says so in its ready event)."""
    if tool.startswith("nsock"):
        return [c.nsock, "listen", "%s:0" % HOST, "--json"]
    if tool == "socat":
        return ["socat", "-u", "-b", "1048576", "TCP-LISTEN:%d,reuseaddr,bind=%s" % (port, HOST),
                "STDOUT" if to_stdout else "OPEN:/dev/null"]
    if tool == "nc":
        return ["nc", "-l", HOST, port]
    return ["iperf3", "-s", "-1", "-B", HOST, "-p", port]


def prepare_data(c, nbytes, data_file):
    if data_file:
        if not os.path.isfile(data_file):
            raise Fail("DATA_FILE=%s is not a file" % data_file)
        c.data, c.nbytes = os.path.abspath(data_file), os.path.getsize(data_file)
        log("== warming %s into the page cache" % c.data)
        read_once(c.data)
    else:
        c.data, c.nbytes = c.path("data.bin"), nbytes
        write_random_file(c.data, nbytes)
    c.run_timeout = c.k.RUN_TIMEOUT or 30 + c.nbytes // 50_000_000
    c.want_sha = sha256_file(c.data)


def throughput(c):
    k = c.k
    k.positive("ROUNDS", "BYTES")
    ensure_tools("socat", "nc", "iperf3", "taskset", "timeout", "openssl")
    c.nsock = ensure_nsock()
    prepare_data(c, k.BYTES, k.DATA_FILE)
    pinned_rounds = k.PINNED_ROUNDS or k.ROUNDS

    def run(phase, mode, tool, rnd, kind):
        pin = k.PIN_CPU if phase == "pinned" else None
        label, sender, stdin_kind = THROUGHPUT[(mode, tool)]
        rerr, out, why, extra = c.path("r.err"), c.path("s.out"), [], 0
        port = None if tool.startswith("nsock") else free_port()
        sha = kind == "sha"
        procs = []
        with open(rerr, "w") as ef:
            rp = PROCS.start(throughput_receiver(c, tool, port, sha), c.run_timeout, pin, stdout=PIPE if sha else DEVNULL,
                             stderr=ef)
        hp = None
        if sha:
            with open(c.path("r.sha"), "w") as hf:
                hp = PROCS.start(["openssl", "dgst", "-sha256", "-r"], c.run_timeout, stdin=rp.stdout, stdout=hf)
            rp.stdout.close()
        port = wait_ready(rp, (lambda: ready_port(rerr)) if port is None else listening(port))
        t0 = t1 = 0
        if not port:
            why.append("receiver not ready: " + tail(rerr))
            PROCS.stop(rp)
            hp and PROCS.stop(hp)
        else:
            argv = sender(c, port)
            t0 = time.perf_counter_ns()
            cp = None
            with open(c.path("s.err"), "w") as se, open(out if tool == "iperf3" else os.devnull, "w") as so:
                if stdin_kind == "pipe":  # cat F | sender: both PIDs ours to wait on
                    cp = PROCS.start(["cat", c.data], c.run_timeout, pin, stdout=PIPE)
                    sp = PROCS.start(argv, c.run_timeout, pin, stdin=cp.stdout, stdout=so, stderr=se)
                    cp.stdout.close()
                elif stdin_kind == "file":
                    with open(c.data, "rb") as fi:
                        sp = PROCS.start(argv, c.run_timeout, pin, stdin=fi, stdout=so, stderr=se)
                else:
                    sp = PROCS.start(argv, c.run_timeout, pin, stdout=so, stderr=se)
            s = PROCS.wait(sp)
            cat = PROCS.wait(cp) if cp else None
            r = PROCS.wait(rp, count_writes=not sha)
            t1 = time.perf_counter_ns()
            h = PROCS.wait(hp) if hp else None
            if s.rc != 0:
                why.append("sender exit %d: %s" % (s.rc, tail(c.path("s.err"))))
            if cat and cat.rc != 0:
                why.append("cat exit %d" % cat.rc)
            if r.rc != 0:
                why.append("receiver exit %d: %s" % (r.rc, tail(rerr)))
            if tool == "iperf3":
                # iperf3 -n stops once the client has sent n bytes (rounded up to its 128 KiB block); the server's
                # sum_received is taken at that moment, short by what is still in the loopback socket buffers (up to
                # some MiB, measured 6 MiB pinned): check what was sent, and that the server counted all but 5% or
                # 16 MiB of it, whichever is larger (at tiny sizes, as in --smoke, the server may count nothing).
                try:
                    with open(out) as f:
                        e = json.load(f)["end"]
                    sent, recvd = e["sum_sent"]["bytes"], e["sum_received"]["bytes"]
                except (OSError, ValueError, KeyError):
                    sent = recvd = None
                if sent is None or sent < c.nbytes or c.nbytes - recvd > max(c.nbytes * 0.05, 16 << 20):
                    why.append("iperf3 reports %s bytes sent, %s received" % (sent, recvd))
            elif sha:
                got = read_text(c.path("r.sha"))[:64]
                if h.rc != 0 or got != c.want_sha:
                    why.append("sha256 mismatch: got %s" % (got or "nothing"))
            else:
                # The kernel's count: write(2) bytes of the receiver (folded into its `timeout` when reaped), read
                # from /proc/<pid>/io before reaping, less its stderr. The data still goes straight to /dev/null.
                got = (r.wchar or 0) - os.path.getsize(rerr)
                extra = got - c.nbytes
                # Over by a few bytes can only be stray non-data writes (a runtime's eventfd wakeups); short is a loss.
                if not 0 <= extra < 65536:
                    why.append("receiver wrote %d of %d bytes" % (got, c.nbytes))
            if tool.startswith("nsock") and not why:
                closed = json_events(rerr, "closed")
                n = closed[-1].get("bytesReceived") if closed else None
                if n != c.nbytes:
                    why.append("nsock listen reports bytesReceived=%s" % n)
        secs = (t1 - t0) / 1e9
        status = status_of(why, "ok+%d" % extra if extra > 0 else "ok")
        return c.record({"phase": phase, "mode": mode, "tool": tool, "round": rnd, "kind": kind,
                         "seconds": round(secs, 6), "status": status},
                        "%-8s %-4s %-7s %-24s %8.3f s %6.2f GB/s  %s" % (
                            phase, mode, rnd, label, secs, c.nbytes / secs / 1e9 if secs else 0, status))

    phases = [("unpinned", k.ROUNDS)] + ([("pinned", pinned_rounds)] if k.PINNED else [])
    log("== %d bytes per run, %d rounds (pinned: %s), per-process timeout %ds" % (
        c.nbytes, k.ROUNDS, "%d rounds on CPU %d" % (pinned_rounds, k.PIN_CPU) if k.PINNED else "no", c.run_timeout))
    for phase, rounds in phases:
        for mode, tools in (("file", k.FILE_TOOLS.split()), ("pipe", k.PIPE_TOOLS.split())):
            for t in tools:
                if (mode, t) not in THROUGHPUT:
                    raise Fail("no %s sender for %s" % (mode, t))
            what = "%s, %s mode" % (phase, mode)
            log("== %s: warm-up" % what)
            kept = warm_up(tools, lambda t, r: run(phase, mode, t, r, "timed"))
            if k.VERIFY_SHA and phase == "unpinned":
                log("== %s: SHA-256 of the received stream (untimed)" % what)
                for t in kept:
                    if t != "iperf3":
                        run(phase, mode, t, "sha", "sha")
            alternate(kept, rounds, lambda t, r: run(phase, mode, t, r, "timed"), what)

    rep = Report(c, "nsock throughput benchmark, %s, %d bytes (%.2f GiB) per run" % (HOST, c.nbytes, c.nbytes / 2**30))
    rep.info("nsock %s (%s); %s; %s; %s" % (
        first_line([c.nsock, "--version"]), c.nsock,
        socat_version(),
        first_line(["nc", "-h"]), first_line(["iperf3", "--version"], 2)))
    rep.info("median wall time of the alternated timed runs (warm-up excluded); GB/s = 10^9 bytes/s")
    gb = lambda s: c.nbytes / s / 1e9
    modes = {"file": "file -> socket (sender reads a page-cached file)", "pipe": "stdin -> socket (cat F | sender)"}
    titles = {"unpinned": "unpinned (scheduler places the processes on %d CPUs)" % os.cpu_count(),
              "pinned": "pinned (sender, receiver and cat all on CPU %d)" % k.PIN_CPU}
    for phase, _ in phases:
        for mode in ("file", "pipe"):
            sel = [r for r in c.rows if r["phase"] == phase and r["mode"] == mode]
            if not sel:
                continue
            tools = list(dict.fromkeys(r["tool"] for r in sel))
            med = seconds_table(rep, "%s, %s" % (titles[phase], modes[mode]), sel, tools,
                                lambda t: THROUGHPUT[(mode, t)][0], c.nbytes, lambda t: "bytes ok", "sha256")
            for nt in [t for t in tools if t.startswith("nsock")]:
                nl = THROUGHPUT[(mode, nt)][0]
                if nt not in med:
                    rep.compare("%-8s %-4s %-24s no result: %s" % (phase, mode, nl, timed_stats(sel, nt)["why"][:160]))
                    continue
                for other in ("socat", "nc", "iperf3"):
                    if other not in tools:
                        continue
                    ol = THROUGHPUT[(mode, other)][0]
                    if other not in med:
                        rep.compare("%-8s %-4s %-24s vs %-22s no result for %s" % (phase, mode, nl, ol, other))
                        continue
                    a, b = med[nt], med[other]
                    verdict = ("nsock at %.0f%% of the iperf3 ceiling" % (100 * b / a)) if other == "iperf3" \
                        else speed_verdict(a, b)
                    rep.compare("%-8s %-4s %-24s vs %-22s %5.2f vs %5.2f GB/s  throughput x%.2f  time x%.2f  -> %s" % (
                        phase, mode, nl, ol, gb(a), gb(b), b / a, a / b, verdict),
                        set=phase, mode=mode, tool=nt, other=other, ratio_time=a / b, ratio_throughput=b / a)
    rep.summary("one line per comparison, medians of alternated runs\n   throughput x = nsock GB/s / other GB/s "
                "(>1: nsock faster); time x = nsock s / other s (<1: nsock faster)")
    return rep


# ================================================================ scenario: startup

def hello_world(c, tfm):
    """A bare native-AOT hello world, published once per TFM and SDK into artifacts/bench/hello-TFM (outside the
    repo's build settings: a copy of the project is published in the temporary folder)."""
    sdk = first_line(["dotnet", "--version"])
    cache = os.path.join(ROOT, "artifacts", "bench", "hello-" + tfm)
    exe, stamp = os.path.join(cache, "hello"), os.path.join(cache, "sdk")
    if os.access(exe, os.X_OK) and os.path.exists(stamp) and open(stamp).read() == sdk and not c.k.HELLO_REBUILD:
        return exe
    if c.smoke:
        log("== --smoke: no cached hello world in %s (run `bench.py startup` once to build it): left out" % cache)
        return None
    src = c.path("hello")
    os.makedirs(src)
    with open(os.path.join(src, "hello.csproj"), "w") as f:
        f.write('<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <OutputType>Exe</OutputType>\n'
                '    <TargetFramework>%s</TargetFramework>\n    <PublishAot>true</PublishAot>\n'
                '    <ImplicitUsings>enable</ImplicitUsings>\n  </PropertyGroup>\n</Project>\n' % tfm)
    with open(os.path.join(src, "Program.cs"), "w") as f:
        f.write('Console.WriteLine("hello");\n')
    log("== building a bare native-AOT hello world (%s, linux-x64, SDK %s) in %s" % (tfm, sdk, src))
    r = subprocess.run(["timeout", "900", "dotnet", "publish", "-c", "Release", "-r", "linux-x64", "-o",
                        os.path.join(src, "out"), "-nologo", "-v", "quiet"], cwd=src, stdin=DEVNULL, stdout=PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        log("\n".join(r.stdout.splitlines()[-20:]))
        raise Fail("could not publish the hello world")
    os.makedirs(cache, exist_ok=True)
    shutil.copy2(os.path.join(src, "out", "hello"), exe)
    with open(stamp, "w") as f:
        f.write(sdk)
    return exe


def startup(c):
    k = c.k
    k.positive("RUNS", "PASSES")
    ensure_tools("nc", "ncat", "timeout", *([] if k.NO_HYPERFINE else ["hyperfine"]))
    c.nsock = ensure_nsock()
    hello = hello_world(c, k.HELLO_TFM)
    if hello and run_text([hello]).strip() != "hello":
        raise Fail("the hello world does not run")
    port = free_port()  # closed again: connecting is refused (exit code 3)
    hello_name = "hello (%s native AOT)" % k.HELLO_TFM
    cmds = [("nsock --version", [c.nsock, "--version"], 0),
            ("nsock connect (refused, exit 3)", [c.nsock, "connect", "%s:%d" % (HOST, port)], 3)]
    cmds += [(hello_name, [hello], 0)] if hello else []
    # sys.executable: the interpreter itself, not a pyenv shim in front of it
    cmds += [("nc -h", ["nc", "-h"], 0), ("ncat --version", ["ncat", "--version"], 0),
             ("python3 -c pass", [sys.executable, "-c", "pass"], 0)]
    for _, argv, rc in cmds:
        check_once(argv, rc, 10)
    load = loadavg()
    os.makedirs(c.results, exist_ok=True)
    times, method = time_commands(c, cmds, k.RUNS, k.PASSES, k.WARMUP, k.NO_HYPERFINE, 10, c.results)
    rep = Report(c, "nsock startup benchmark: %s" % method)
    rep.info("nsock %s: %s (%.1f MB)%s" % (first_line([c.nsock, "--version"]), c.nsock, os.path.getsize(c.nsock) / 1e6,
                                          "; hello: %.1f MB" % (os.path.getsize(hello) / 1e6) if hello else "; no hello"))
    rep.info("load average (1/5/15 min) at start: %s, at end: %s%s" % (load, loadavg(), busy_note(load)))
    med = ms_table(rep, times)
    rep.summary("median / median; target: nsock within %.1fx of the bare AOT hello world" % k.TARGET)
    if hello:
        h = med[hello_name]
        for name in ("nsock --version", "nsock connect (refused, exit 3)"):
            r = med[name] / h
            rep.compare("%-32s / hello: %5.2f ms / %5.2f ms = %.2fx  -> %s" % (
                name, med[name], h, r, "within target" if r <= k.TARGET else "OVER target"),
                inline=False, tool=name, other="hello", ratio_time=r, target=k.TARGET, met=r <= k.TARGET)
    return rep


# ================================================================ scenario: ping

PING_PY = r'''
import socket, sys, time
port, n, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", port))
s.settimeout(2.0)
payload = b"x" * size
send, recv, clock = s.send, s.recv, time.perf_counter_ns
rtts = []
for i in range(n):
    t0 = clock()
    send(payload)
    try:
        recv(65536)
    except OSError:
        continue
    rtts.append(clock() - t0)
rtts.sort()
k = len(rtts)
pct = lambda p: rtts[max(0, -(-k * p // 100) - 1)] / 1e6 if k else 0.0
print("%.6f %.6f %.6f %.6f %.6f %d %d" % (pct(50), pct(90), pct(99), rtts[0] / 1e6 if k else 0, sum(rtts) / k / 1e6 if k else 0, k, n))
'''

PING_C = r'''
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
static int cmp(const void *a, const void *b) { long x = *(const long *)a, y = *(const long *)b; return (x > y) - (x < y); }
int main(int argc, char **argv) {
  if (argc != 4) return 2;
  int port = atoi(argv[1]), n = atoi(argv[2]), size = atoi(argv[3]);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a; memset(&a, 0, sizeof a);
  a.sin_family = AF_INET; a.sin_port = htons(port); inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 1; }
  struct timeval tv = {2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  static char out[65536], in[65536];
  memset(out, 'x', size);
  long *t = malloc(sizeof(long) * n);
  int k = 0;
  for (int i = 0; i < n; i++) {
    struct timespec s, e;
    clock_gettime(CLOCK_MONOTONIC, &s);
    if (send(fd, out, size, 0) != size) { perror("send"); return 1; }
    if (recv(fd, in, sizeof in, 0) < 0) continue;
    clock_gettime(CLOCK_MONOTONIC, &e);
    t[k++] = (e.tv_sec - s.tv_sec) * 1000000000L + (e.tv_nsec - s.tv_nsec);
  }
  qsort(t, k, sizeof(long), cmp);
  double sum = 0; for (int i = 0; i < k; i++) sum += t[i];
#define PCT(p) (k ? t[((long)k * (p) + 99) / 100 - 1] / 1e6 : 0.0)
  printf("%.6f %.6f %.6f %.6f %.6f %d %d\n", PCT(50), PCT(90), PCT(99), k ? t[0] / 1e6 : 0.0, k ? sum / k / 1e6 : 0.0, k, n);
  return 0;
}
'''

PING_LABELS = {"nsock": "nsock ping -i 0", "python": "python send/recv loop", "c": "C send/recv loop"}
PING_KEYS = ("p50_ms", "p90_ms", "p99_ms", "min_ms", "avg_ms", "received", "sent")


def ping(c):
    k = c.k
    k.positive("COUNT", "ROUNDS")
    if not 12 <= k.SIZE <= 65507:
        raise Fail("SIZE must be 12..65507 (nsock's probe header is 12 bytes)")
    ensure_tools("taskset", "timeout")
    c.nsock = ensure_nsock()
    tools = k.TOOLS.split()
    for t in tools:
        if t not in PING_LABELS:
            raise Fail("unknown tool %s (nsock, python, c)" % t)
    with open(c.path("loop.py"), "w") as f:
        f.write(PING_PY)
    cbin = None
    if "c" in tools:
        with open(c.path("loop.c"), "w") as f:
            f.write(PING_C)
        r = subprocess.run(["timeout", "60", "gcc", "-O2", "-o", c.path("loop"), c.path("loop.c")],
                           stdout=PIPE, stderr=subprocess.STDOUT, text=True) if have("gcc") else None
        if r and r.returncode == 0:
            cbin = c.path("loop")
        else:
            log("== no gcc (or it failed: %s): the C loop is left out" % (r.stdout[:200] if r else "not found"))
            tools.remove("c")
    clients = {"nsock": lambda p: [c.nsock, "ping", "%s:%d" % (HOST, p), "-c", k.COUNT, "-i", 0, "--size", k.SIZE, "--json"],
               "python": lambda p: [sys.executable, c.path("loop.py"), p, k.COUNT, k.SIZE],
               "c": lambda p: [cbin, p, k.COUNT, k.SIZE]}
    pins = {"unpinned": (None, None), "pinned": (k.PIN_CPU, k.PIN_CPU), "split": (k.PIN_CPU, k.SPLIT_CPU)}

    def run(set_, tool, rnd, responder, port, cpin):
        out, err = c.path("client.out"), c.path("client.err")
        with open(out, "w") as fo, open(err, "w") as fe:
            p = PROCS.start(clients[tool](port), k.RUN_TIMEOUT, cpin, stdout=fo, stderr=fe)
        e = PROCS.wait(p)
        vals, why = None, []
        try:
            if tool == "nsock":
                s = json_events(out, "summary")[-1]
                vals = [s["p50Ms"], s["p90Ms"], s["p99Ms"], s["minMs"], s["avgMs"], s["received"], s["sent"]]
            else:
                vals = [float(x) for x in read_text(out).split()[-7:]]
                vals[5:] = [int(vals[5]), int(vals[6])]
            vals = dict(zip(PING_KEYS, vals))
        except (IndexError, KeyError, ValueError, OSError):
            vals = None
        if e.rc != 0:
            why.append("exit %d: %s" % (e.rc, tail(err, 200)))
        elif not vals:
            why.append("no summary: " + tail(out, 200))
        elif vals["received"] != k.COUNT:
            why.append("%d of %d replies" % (vals["received"], k.COUNT))
        if not PROCS.running(responder):
            why.append("responder died")
        status = status_of(why)
        row = {"set": set_, "tool": tool, "round": rnd, "kind": "timed", "status": status}
        row.update(vals or {})
        f = lambda key: "%.4f" % vals[key] if vals else "-"
        return c.record(row, "%-8s %-6s %-7s p50 %8s ms  p90 %8s ms  p99 %8s ms  %s" % (
            set_, rnd, tool, f("p50_ms"), f("p90_ms"), f("p99_ms"), status))

    sets = k.SETS.split()
    log("== %d probes of %d bytes per run, %d rounds per set, sets: %s" % (k.COUNT, k.SIZE, k.ROUNDS, " ".join(sets)))
    for set_ in sets:
        if set_ not in pins:
            raise Fail("unknown set %s (unpinned, pinned, split)" % set_)
        rpin, cpin = pins[set_]
        rout = c.path("resp.out")
        with open(rout, "w") as fo, open(c.path("resp.err"), "w") as fe:
            responder = PROCS.start([c.nsock, "listen", "--udp", "%s:0" % HOST, "--echo", "--json"], 3600, rpin,
                                    stdout=fo, stderr=fe)
        try:
            port = wait_ready(responder, lambda: ready_port(rout))
            if not port:
                raise Fail("UDP responder not ready: " + tail(c.path("resp.err")))
            log("== %s: responder %s on udp %s:%d, client %s; warm-up" % (
                set_, "on CPU %s" % rpin if rpin is not None else "unpinned", HOST, port,
                "on CPU %s" % cpin if cpin is not None else "unpinned"))
            go = lambda t, r: run(set_, t, r, responder, port, cpin)
            alternate(warm_up(tools, go), k.ROUNDS, go, set_)
        finally:
            PROCS.stop(responder)

    rep = Report(c, "nsock ping benchmark: UDP echo round trips on %s, %d probes of %d bytes per run, one at a time" % (
        HOST, k.COUNT, k.SIZE))
    rep.info("nsock %s (%s); %s%s" % (first_line([c.nsock, "--version"]), c.nsock, first_line([sys.executable, "--version"]),
                                     "; %s -O2" % first_line(["gcc", "--version"]) if cbin else ""))
    rep.info("responder: nsock listen --udp --echo --json; figures: median over the alternated rounds of each run's own "
             "p50/p90/p99")
    titles = {"unpinned": "unpinned (scheduler places responder and client on %d CPUs)" % os.cpu_count(),
              "pinned": "pinned (responder and client both on CPU %d)" % k.PIN_CPU,
              "split": "split (responder on CPU %d, client on CPU %d)" % (k.PIN_CPU, k.SPLIT_CPU)}
    for set_ in sets:
        sel = [r for r in c.rows if r["set"] == set_]
        rows, med = [], {}
        for t in [t for t in ("nsock", "python", "c") if any(r["tool"] == t for r in sel)]:
            s = timed_stats(sel, t, "p50_ms")
            if not s["ok"]:
                rows.append([PING_LABELS[t], None, None, None, None, None, s["runs"], s["why"][:120]])
                continue
            m = lambda key: statistics.median(float(r[key]) for r in s["okrows"])
            med[t] = s["median"]
            rows.append([PING_LABELS[t], med[t], spread(s, "%.4f"), m("p90_ms"), m("p99_ms"), m("avg_ms"), s["runs"],
                         s["failed"][0][:100] if s["failed"] else ""])
        rep.table(titles[set_], [("tool", None), ("p50 ms", "%.4f"), ("p50 min..max", None), ("p90 ms", "%.4f"),
                                 ("p99 ms", "%.4f"), ("avg ms", "%.4f"), ("runs", None), ("note", None)], rows)
        for other in ("python", "c"):
            if not any(r["tool"] == other for r in sel):
                continue
            if "nsock" not in med or other not in med:
                rep.compare("%-8s nsock ping p50 vs %-22s no result" % (set_, PING_LABELS[other]))
                continue
            r = med["nsock"] / med[other]
            rep.compare("%-8s nsock ping p50 vs %-22s %.4f vs %.4f ms = %.2fx  -> %s" % (
                set_, PING_LABELS[other], med["nsock"], med[other], r,
                ("within target (%.1fx)" if r <= k.TARGET else "OVER target (%.1fx)") % k.TARGET),
                set=set_, other=other, ratio_p50=r, target=k.TARGET, met=r <= k.TARGET)
    rep.summary("nsock p50 / minimal loop p50, medians of alternated rounds (target: within %.1fx)" % k.TARGET)
    return rep


# ================================================================ scenario: probe

def probe(c):
    k = c.k
    k.positive("RUNS", "PASSES")
    m = re.fullmatch(r"(\d+)-(\d+)", k.PORTS)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)) <= 65535:
        raise Fail("PORTS must be a range like 1-1000")
    lo, hi = int(m.group(1)), int(m.group(2))
    nports = hi - lo + 1
    ensure_tools("nc", "nmap", "timeout", *([] if k.NO_HYPERFINE else ["hyperfine"]))
    c.nsock = ensure_nsock()
    # Closed ports only: anything listening on a port of the range (on any address) stops the run.
    open_ = sorted(p for p in listening_ports() if lo <= p <= hi)
    if open_:
        raise Fail("ports listening in %s: %s -- this benchmark probes closed ports only (set PORTS to a closed "
                   "range)" % (k.PORTS, " ".join(map(str, open_))))
    # nmap -n: no reverse DNS, whose resolver would otherwise ask the DNS server of /etc/resolv.conf, off the machine
    cmds = [("nsock probe", [c.nsock, "probe", HOST, "-p", k.PORTS], 8),
            ("nc -z -w1", ["nc", "-z", "-w1", HOST, k.PORTS], 1),
            ("nmap -n -sT", ["nmap", "-n", "-sT", "-p" + k.PORTS, HOST], 0)]
    outs = [check_once(argv, rc, 60) for _, argv, rc in cmds]
    n = outs[0].count("/tcp closed")
    if n != nports:
        raise Fail("nsock probe reported %d closed ports of %d: %s" % (n, nports, outs[0][:300]))
    if not re.search(r"%d closed tcp ports|All %d scanned ports.*closed" % (nports, nports), outs[2], re.S):
        raise Fail("nmap did not report %d closed ports: %s" % (nports, outs[2].replace("\n", " ")[:400]))
    load = loadavg()
    os.makedirs(c.results, exist_ok=True)
    times, method = time_commands(c, cmds, k.RUNS, k.PASSES, k.WARMUP, k.NO_HYPERFINE, 60, c.results)
    rep = Report(c, "nsock probe benchmark: TCP connect probes of %d closed ports (%s) on %s" % (nports, k.PORTS, HOST))
    rep.info("nsock %s (%s); %s; %s" % (first_line([c.nsock, "--version"]), c.nsock, first_line(["nc", "-h"]),
                                        first_line(["nmap", "--version"])))
    rep.info(method)
    rep.info("load average (1/5/15 min) at start: %s, at end: %s%s" % (load, loadavg(), busy_note(load)))
    med = ms_table(rep, times, ("us per port", lambda ms: 1000 * ms / nports))
    rep.summary("median / median; targets: nsock at least as fast as nc, faster than nmap")
    a = med["nsock probe"]
    for other, strict in (("nc -z -w1", False), ("nmap -n -sT", True)):
        b = med[other]
        r = a / b
        ok = r < 1 if strict else r <= 1.03  # within 3% of nc is a tie
        rep.compare("nsock probe %s vs %-12s %7.2f ms / %7.2f ms = time x%.2f  -> %s, %s" % (
            k.PORTS, other, a, b, r, speed_verdict(a, b), "target met" if ok else "target MISSED"),
            inline=False, other=other, ratio_time=r, met=ok)
    return rep


# ================================================================ scenario: http

HTTP_LABELS = {"nsock": "nsock http --out F", "curl": "curl -s -o F"}


def http(c):
    k = c.k
    k.positive("ROUNDS", "BYTES")
    ensure_tools("curl", "busybox", "time", "taskset", "timeout")
    if "httpd" not in run_text(["busybox", "--list"]).split():
        raise Fail("this busybox has no httpd applet")
    c.nsock = ensure_nsock()
    www, outdir = c.path("www"), c.path("out")
    os.makedirs(www)
    os.makedirs(outdir)
    body = os.path.join(www, "body.bin")
    write_random_file(body, k.BYTES)
    want = sha256_file(body)
    run_timeout = k.RUN_TIMEOUT or 30 + k.BYTES // 50_000_000
    pinned_rounds = k.PINNED_ROUNDS or k.ROUNDS

    def run(set_, tool, rnd, kind, server, url, pin):
        out = os.path.join(outdir, tool + ".bin")
        for f in os.listdir(outdir):  # the previous output, and any partial file nsock left
            os.remove(os.path.join(outdir, f))
        argv = [c.nsock, "http", url, "--out", out] if tool == "nsock" else ["curl", "-s", "-S", "-o", out, url]
        t0 = time.perf_counter_ns()
        rss_file = c.path("rss")
        with open(c.path("client.err"), "w") as fe:
            p = PROCS.start(argv, run_timeout, pin, stderr=fe, rss_to=rss_file)
        e = PROCS.wait(p)
        t1 = time.perf_counter_ns()
        rss = next((int(l) for l in reversed(read_text(rss_file).split()) if l.isdigit()), None)
        why = []
        if e.rc != 0:
            why.append("exit %d: %s" % (e.rc, tail(c.path("client.err"), 200)))
        size = os.path.getsize(out) if os.path.exists(out) else None
        if size != k.BYTES:
            why.append("output has %s bytes, not %d" % (size if size is not None else "no", k.BYTES))
        if kind == "sha" and not why:
            got = sha256_file(out)
            if got != want:
                why.append("sha256 mismatch: got " + got)
        if not PROCS.running(server):
            why.append("server died")
        if os.path.exists(out):
            os.remove(out)
        secs = (t1 - t0) / 1e9
        status = status_of(why, "ok sha256" if kind == "sha" else "ok")
        return c.record({"set": set_, "tool": tool, "round": rnd, "kind": kind, "seconds": round(secs, 6),
                         "peak_rss_kib": rss, "status": status},
                        "%-8s %-6s %-20s %8.3f s %6.2f GB/s  peak RSS %6.1f MiB  %s" % (
                            set_, rnd, HTTP_LABELS[tool], secs, k.BYTES / secs / 1e9, (rss or 0) / 1024, status))

    sets = [("unpinned", k.ROUNDS, None)] + ([("pinned", pinned_rounds, k.PIN_CPU)] if k.PINNED else [])
    log("== %d bytes per run, %d rounds (pinned: %s), per-process timeout %ds" % (
        k.BYTES, k.ROUNDS, "%d rounds on CPU %d" % (pinned_rounds, k.PIN_CPU) if k.PINNED else "no", run_timeout))
    for set_, rounds, pin in sets:
        port = free_port()
        conf = c.path("httpd.conf")
        open(conf, "w").close()  # -c: an empty config file (no /etc/httpd.conf); -f: foreground, its PID is ours
        with open(c.path("httpd.err"), "w") as fe:
            server = PROCS.start(["busybox", "httpd", "-f", "-p", "%s:%d" % (HOST, port), "-h", www, "-c", conf], 3600,
                                 pin, stderr=fe)
        try:
            if not wait_ready(server, listening(port), 5):
                raise Fail("busybox httpd not listening on %s:%d: %s" % (HOST, port, tail(c.path("httpd.err"))))
            url = "http://%s:%d/body.bin" % (HOST, port)
            log("== %s: busybox httpd on %s:%d%s; warm-up" % (set_, HOST, port, " (CPU %d)" % pin if pin is not None else ""))
            go = lambda t, r, kind="timed": run(set_, t, r, kind, server, url, pin)
            kept = warm_up(["nsock", "curl"], go)
            if set_ == "unpinned":
                log("== %s: SHA-256 of each tool's output (untimed)" % set_)
                for t in kept:
                    go(t, "sha", "sha")
            alternate(kept, rounds, go, set_)
        finally:
            PROCS.stop(server)

    rep = Report(c, "nsock http benchmark: GET of a %d-byte (%.2f GiB) body from busybox httpd on %s, body written to "
                    "a file" % (k.BYTES, k.BYTES / 2**30, HOST))
    rep.info("nsock %s (%s); %s; %s httpd" % (first_line([c.nsock, "--version"]), c.nsock,
                                             first_line(["curl", "--version"], 2), first_line(["busybox"], 2)))
    rep.info("median wall time of the alternated timed runs (warm-up excluded); GB/s = 10^9 bytes/s; peak RSS from "
             "/usr/bin/time -f %M")
    titles = {"unpinned": "unpinned (scheduler places server and client on %d CPUs)" % os.cpu_count(),
              "pinned": "pinned (server and client both on CPU %d)" % k.PIN_CPU}
    for set_, _, _ in sets:
        sel = [r for r in c.rows if r["set"] == set_]
        rss = {}  # MiB, the largest of all runs of a tool (warm-up and check included)
        for t in ("nsock", "curl"):
            kib = [r["peak_rss_kib"] for r in sel if r["tool"] == t and r["peak_rss_kib"]]
            rss[t] = max(kib) / 1024 if kib else float("nan")
        med = seconds_table(rep, titles[set_], sel, ("nsock", "curl"), HTTP_LABELS.get, k.BYTES, lambda t: "size ok",
                            "sha256", [("peak RSS MiB", lambda s: "%.1f" % rss[s["tool"]])])
        if "nsock" in med and "curl" in med:
            a, b = med["nsock"], med["curl"]
            bounded = rss["nsock"] < k.RSS_LIMIT_MIB
            rep.compare("%-8s nsock http --out F vs curl -s -o F  %5.2f vs %5.2f GB/s  time x%.2f  -> %s (%s); peak RSS "
                        "%.1f vs %.1f MiB (%s)" % (
                            set_, k.BYTES / a / 1e9, k.BYTES / b / 1e9, a / b, speed_verdict(a, b),
                            "target met" if b / a >= 0.97 else "target MISSED", rss["nsock"], rss["curl"],
                            "bounded: < %g MiB" % k.RSS_LIMIT_MIB if bounded else "OVER %g MiB" % k.RSS_LIMIT_MIB),
                        set=set_, ratio_time=a / b, peak_rss_mib=rss["nsock"], rss_bounded=bounded)
        else:
            rep.compare("%-8s nsock http --out F vs curl -s -o F  no result for %s" % (
                set_, " and ".join(t for t in ("nsock", "curl") if t not in med)))
    rep.summary("medians of alternated runs; time x = nsock s / curl s (<1: nsock faster); peak RSS = largest of all runs")
    return rep


# ================================================================ scenario: files

FILES_LABELS = {"nsock": "nsock send-file (verified)", "nsock-sha256": "nsock send-file --hash sha256",
                "nc": "nc -N < F > F", "socat": "socat F -> F",
                "send-alone": "nsock send-file -> sink", "recv-alone": "source -> nsock receiver",
                "openssl": "openssl dgst -sha256 F", "sha256sum": "sha256sum F"}
HASH_TOOLS = ("openssl", "sha256sum")


def files(c):
    k = c.k
    k.positive("ROUNDS", "BYTES")
    ensure_tools("socat", "nc", "taskset", "timeout", "openssl", "sha256sum", "xxhsum")
    c.nsock = ensure_nsock()
    # (an unknown command prints the general help and exits 0, so look for the command's own usage line)
    if "nsock send-file" not in run_text([c.nsock, "send-file", "--help"], 10):
        raise Fail("%s has no send-file command (NSOCK=<a build that has it>)" % c.nsock)
    tools = k.TOOLS.split()
    for t in tools:
        if t not in FILES_LABELS:
            raise Fail("unknown tool %s" % t)
    prepare_data(c, k.BYTES, k.DATA_FILE)
    # XXH3-128 of F as Debian's xxhsum prints it: what nsock's default digest must equal (only this scenario needs it).
    digest = run_text(["xxhsum", "-H2", c.data], 600).split()
    c.want_xxh = digest[0] if digest else None
    name = os.path.basename(c.data)
    recv = c.path("recv")  # beside the data: the same disk
    os.makedirs(recv)
    got_file, partial = os.path.join(recv, name), os.path.join(recv, ".%s.nsock-partial" % name)
    peer = os.path.join(HERE, "files-peer.py")
    pinned_rounds = k.PINNED_ROUNDS or k.ROUNDS

    def clean():
        for f in (got_file, partial):
            if os.path.exists(f):
                os.remove(f)

    def run(set_, tool, rnd, kind, pin):
        T = c.run_timeout
        rout, rerr, sout, serr = (c.path(x) for x in ("r.out", "r.err", "s.out", "s.err"))
        clean()
        why, exits, t0, t1 = [], [], 0, 0
        if tool in HASH_TOOLS:
            argv = ["openssl", "dgst", "-sha256", "-r", c.data] if tool == "openssl" else ["sha256sum", c.data]
            t0 = time.perf_counter_ns()
            with open(sout, "w") as fo, open(serr, "w") as fe:
                p = PROCS.start(argv, T, pin, stdout=fo, stderr=fe)
            e = PROCS.wait(p)
            t1 = time.perf_counter_ns()
            exits.append(e)
            if e.rc != 0:
                why.append("exit %d: %s" % (e.rc, tail(serr, 200)))
            printed = read_text(sout)
            if printed[:64] != c.want_sha:
                why.append("printed " + printed[:80])
        else:
            if k.PREFAULT:
                # Memory the host has not taken back: write and delete BYTES just before the run (see README).
                subprocess.run(["timeout", "600", "dd", "if=" + c.data, "of=" + os.path.join(recv, ".prefault"),
                                "bs=256K", "status=none"], stderr=DEVNULL)
                if os.path.exists(os.path.join(recv, ".prefault")):
                    os.remove(os.path.join(recv, ".prefault"))
            port = None
            if tool in ("nsock", "nsock-sha256", "recv-alone"):
                rargv = [c.nsock, "listen", "%s:0" % HOST, "--receive-files", recv, "--json"]
            elif tool == "send-alone":
                rargv = [sys.executable, peer, "sink"]
            elif tool == "nc":
                port = free_port()
                rargv = ["nc", "-l", HOST, port]
            else:
                port = free_port()
                rargv = ["socat", "-u", "-b", "1048576", "TCP-LISTEN:%d,reuseaddr,bind=%s" % (port, HOST),
                         "CREATE:" + got_file]
            with open(got_file if tool == "nc" else rout, "w") as fo, open(rerr, "w") as fe:
                rp = PROCS.start(rargv, T, pin, stdout=fo, stderr=fe)
            if tool == "send-alone":
                probe_ = lambda: int(read_text(rout).split("\n")[0]) if "\n" in read_text(rout) else None
            elif port is None:
                probe_ = lambda: ready_port(rout)
            else:
                probe_ = listening(port)
            port = wait_ready(rp, probe_)
            if not port:
                why.append("receiver not ready: " + tail(rerr))
                PROCS.stop(rp)
            else:
                stdin = None
                if tool in ("nsock", "nsock-sha256", "send-alone"):
                    sargv = [c.nsock, "send-file", "%s:%d" % (HOST, port), c.data]
                    if tool == "nsock-sha256":
                        sargv += ["--hash", "sha256"]
                elif tool == "recv-alone":
                    sargv = [sys.executable, peer, "source", port, c.data, c.want_sha]
                elif tool == "nc":
                    sargv, stdin = ["nc", "-N", HOST, port], c.data
                else:
                    sargv = ["socat", "-u", "-b", "1048576", "OPEN:" + c.data, "TCP:%s:%d" % (HOST, port)]
                t0 = time.perf_counter_ns()
                with open(sout, "w") as fo, open(serr, "w") as fe, open(stdin or os.devnull, "rb") as fi:
                    sp = PROCS.start(sargv, T, pin, stdin=fi, stdout=fo, stderr=fe)
                s = PROCS.wait(sp)
                r = PROCS.wait(rp)
                t1 = time.perf_counter_ns()
                exits += [s, r]
                if s.rc != 0:
                    why.append("sender exit %d: %s" % (s.rc, tail(serr, 200)))
                if r.rc != 0:
                    why.append("receiver exit %d: %s" % (r.rc, tail(rerr, 200)))
                if tool == "send-alone":
                    if not re.search(r"^received %d bytes" % c.nbytes, read_text(rout), re.M):
                        why.append("the sink did not receive %d bytes: %s" % (c.nbytes, tail(rout, 200)))
                    # Protocol v2: XXH3-128 by default, the digest xxhsum -H2 prints.
                    if "xxh128=%s verified" % c.want_xxh not in read_text(sout):
                        why.append("the sender did not report F's xxh128: " + read_text(sout)[:300])
                else:
                    size = os.path.getsize(got_file) if os.path.exists(got_file) else None
                    if size != c.nbytes:
                        why.append("received file has %s bytes, not %d" % (size if size is not None else "no", c.nbytes))
                if tool in ("nsock", "nsock-sha256", "recv-alone"):
                    # nsock sends XXH3-128 unless told; the files-peer source (protocol v1) and --hash sha256 send SHA-256.
                    alg, want = ("xxh128", c.want_xxh) if tool == "nsock" else ("sha256", c.want_sha)
                    ev = json_events(rout, "file")
                    if not any(e.get("algorithm") == alg and e.get("digest") == want and e.get("verified") is True for e in ev):
                        why.append("receiver did not report the file verified by %s: %s" % (alg, json.dumps(ev)[:300]))
                if kind == "sha" and not why:
                    got = sha256_file(got_file)
                    if got != c.want_sha:
                        why.append("sha256 of the received file: " + got)
        clean()
        secs = (t1 - t0) / 1e9
        # CPU seconds of every process of the run (rusage of each `timeout` and what it reaped): the wall time on
        # this kind of VM also carries the host's memory reclaim (see the README), the CPU time mostly does not.
        user, sys_ = sum(e.user for e in exits), sum(e.sys for e in exits)
        status = status_of(why, "ok sha256" if kind == "sha" else "ok")
        return c.record({"set": set_, "tool": tool, "round": rnd, "kind": kind, "seconds": round(secs, 6),
                         "user": round(user, 2), "sys": round(sys_, 2), "status": status},
                        "%-8s %-6s %-26s %8.3f s %6s GB/s  cpu user/sys %.2f/%.2f s  %s" % (
                            set_, rnd, FILES_LABELS[tool], secs, "%.2f" % (c.nbytes / secs / 1e9) if secs else "-",
                            user, sys_, status))

    fs = run_text(["findmnt", "-n", "-o", "SOURCE,FSTYPE", "-T", recv]).split()
    fs = "%s (%s)" % (fs[0], fs[1]) if len(fs) == 2 else "unknown filesystem"
    sets = [("unpinned", k.ROUNDS, None)] + ([("pinned", pinned_rounds, k.PIN_CPU)] if k.PINNED else [])
    log("== prefault before each transfer: %s" % ("yes (%d bytes written and deleted in %s)" % (c.nbytes, recv)
                                                  if k.PREFAULT else "no"))
    log("== %d bytes per run into %s on %s, %d rounds (pinned: %s), per-process timeout %ds" % (
        c.nbytes, recv, fs, k.ROUNDS, "%d rounds on CPU %d" % (pinned_rounds, k.PIN_CPU) if k.PINNED else "no",
        c.run_timeout))
    # Transfers and hashes run in rounds of their own. On this kind of VM (free memory is handed back to the host a
    # couple of seconds after it is freed), a transfer that starts after a few idle seconds -- e.g. right after the
    # 8 s of sha256sum -- pays to get its page cache back from the host and takes up to 3x longer; the transfers
    # therefore run back to back (nsock nc socat nsock nc socat ...) so each starts in the same state.
    for set_, rounds, pin in sets:
        log("== %s%s: warm-up" % (set_, " (taskset -c %d)" % pin if pin is not None else ""))
        go = lambda t, r, kind="timed": run(set_, t, r, kind, pin)
        hashes = [t for t in tools if t in HASH_TOOLS]
        xfers = [t for t in tools if t not in HASH_TOOLS]
        kept = warm_up(hashes + xfers, go)
        xfers = [t for t in xfers if t in kept]
        alternate(xfers, rounds, go, "%s: transfer" % set_)
        if set_ == "unpinned" and "nsock" in xfers:
            log("== %s: SHA-256 of the file nsock received, hashed again here (untimed)" % set_)
            go("nsock", "sha", "sha")
        alternate([t for t in hashes if t in kept], rounds, go, "%s: hash" % set_)

    rep = Report(c, "nsock files benchmark: a %d-byte (%.2f GiB) page-cached file sent over %s into a file on the same "
                    "disk, %s, prefault before each transfer: %s" % (c.nbytes, c.nbytes / 2**30, HOST, fs,
                                                                    "yes" if k.PREFAULT else "no"))
    rep.info("nsock %s (%s); %s; %s; %s; %s" % (
        first_line([c.nsock, "--version"]), c.nsock, first_line(["nc", "-h"]),
        socat_version(),
        first_line(["openssl", "version"], 2), first_line(["sha256sum", "--version"])))
    rep.info("median wall time of the alternated timed runs (warm-up excluded); GB/s = 10^9 bytes/s; openssl and "
             "sha256sum only hash F")
    rep.info("cpu u/s: median user / system CPU seconds of all the run's processes (sender + receiver); on this kind of "
             "VM a write\ninto memory the host has taken back shows up as system time (and wall time) of the writer: "
             "see scripts/bench/README.md")
    titles = {"unpinned": "unpinned (scheduler places the processes on %d CPUs)" % os.cpu_count(),
              "pinned": "pinned (every process on CPU %d)" % k.PIN_CPU}
    for set_, _, _ in sets:
        sel = [r for r in c.rows if r["set"] == set_]
        cpu = lambda s: "%.2f/%.2f" % (statistics.median(r["user"] for r in s["okrows"]),
                                       statistics.median(r["sys"] for r in s["okrows"]))
        med = seconds_table(rep, titles[set_], sel, [t for t in FILES_LABELS if any(r["tool"] == t for r in sel)],
                            FILES_LABELS.get, c.nbytes,
                            lambda t: "hash ok" if t in HASH_TOOLS else "size ok" + (", verified" if t in ("nsock", "nsock-sha256") else ""),
                            "received file sha256", [("cpu u/s s", cpu)])
        for one in ("send-alone", "recv-alone"):
            if one in med and "openssl" in med:
                r = med[one] / med["openssl"]
                rep.compare("%-8s %-43s %6.3f s vs %6.3f s  time x%.2f  -> one end alone, its peer not hashing: %s "
                            "%.2fx openssl dgst" % (set_, FILES_LABELS[one] + " vs openssl dgst", med[one],
                                                    med["openssl"], r, "within" if r <= k.TARGET_HASH else "over",
                                                    k.TARGET_HASH), set=set_, tool=one, other="openssl", ratio_time=r)
        if not any(r["tool"] in ("nsock", "nsock-sha256") for r in sel):
            continue
        # XXH3-128 (the default) against unverified nc; --hash sha256 against hashing F once with openssl.
        for mine, other, limit in (("nsock", "nc", 1.0), ("nsock", "socat", None), ("nsock-sha256", "openssl", k.TARGET_HASH),
                                   ("nsock-sha256", "sha256sum", None)):
            if not any(r["tool"] == other for r in sel) or not any(r["tool"] == mine for r in sel):
                continue
            if mine not in med or other not in med:
                rep.compare("%-8s %s vs %-24s no result for %s" % (
                    set_, FILES_LABELS[mine], FILES_LABELS[other], mine if mine not in med else other))
                continue
            a, b = med[mine], med[other]
            r = a / b
            verdict = ("nsock's whole verified transfer takes %.2fx the time of hashing F once" % r) \
                if other in HASH_TOOLS else speed_verdict(a, b)
            met = None
            if limit is not None:
                met = r <= limit * 1.03 if other == "nc" else r <= limit
                verdict += "; target %s (%s)" % ("met" if met else "MISSED", "at least as fast as nc" if other == "nc"
                                                 else "<= %.2fx openssl dgst" % limit)
            rep.compare("%-8s %-29s vs %-24s %6.3f s vs %6.3f s  time x%.2f  -> %s" % (
                set_, FILES_LABELS[mine], FILES_LABELS[other], a, b, r, verdict), set=set_, tool=mine, other=other, ratio_time=r, met=met)
    rep.summary("medians of alternated runs; time x = nsock s / other s (<1: nsock faster)")
    return rep


# ================================================================ scenario: broker

# The clients of a broker, in one process of their own (so the sender's process is not theirs): CLIENTS sockets, each
# read until it has MESSAGES lines; every line is "seq monotonic_ns padding", so each receipt gives a delay (the
# monotonic clock is system-wide on Linux). Prints "connected" once all are in, then waits for a "hello" line on each
# (proof the broker registered it), prints "go", and at the end one JSON line.
BROKER_READERS = r"""
import json, selectors, socket, sys, time
port, n, m = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
socks = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(n)]
print("connected", flush=True)
sel = selectors.DefaultSelector()
state = {}
for s in socks:
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    state[s] = {"buf": b"", "hello": False, "got": 0, "last": -1, "bad": 0, "own": 0}
delays, said_go, first_recv, last_recv = [], False, None, None
deadline = time.monotonic() + float(sys.argv[4])
done = 0
while done < n and time.monotonic() < deadline:
    for key, _ in sel.select(0.5):
        s = key.fileobj
        st = state[s]
        data = s.recv(1 << 20)
        if not data:
            sel.unregister(s)
            done += 1
            continue
        now = time.monotonic_ns()
        lines = (st["buf"] + data).split(b"\n")
        st["buf"] = lines.pop()
        for line in lines:
            if line == b"hello":
                st["hello"] = True
                continue
            seq, ts = line.split(b" ", 2)[:2]
            seq = int(seq)
            if seq != st["last"] + 1:
                st["bad"] += 1
            st["last"] = seq
            st["got"] += 1
            delays.append(now - int(ts))
            first_recv = first_recv or now
            last_recv = now
            if st["got"] == m:
                sel.unregister(s)
                done += 1
    if not said_go and all(st["hello"] for st in state.values()):
        said_go = True
        print("go", flush=True)
delays.sort()
got = [st["got"] for st in state.values()]
print(json.dumps({"delivered": sum(got), "min_got": min(got), "out_of_order": sum(st["bad"] for st in state.values()),
                  "p50_ms": delays[len(delays) // 2] / 1e6 if delays else None,
                  "p99_ms": delays[int(len(delays) * 0.99)] / 1e6 if delays else None,
                  "last_ns": last_recv}), flush=True)
"""


def broker(c):
    k = c.k
    k.positive("ROUNDS", "CLIENTS", "MESSAGES", "SIZE")
    tools = k.TOOLS.split()
    ensure_tools("timeout", *(["ncat"] if "ncat" in tools else []))
    c.nsock = ensure_nsock()
    if k.SIZE < 32:
        raise Fail("SIZE must be at least 32 bytes (a message holds its number and its send time)")

    def start_broker(tool):
        err = c.path("b.err")
        with open(err, "w") as ef:
            if tool == "nsock":
                # The clients and the sender: both tools serve 100 at once unless told (nsock --max-clients, ncat --max-conns).
                p = PROCS.start([c.nsock, "listen", "%s:0" % HOST, "--broker", "--json", "--max-clients", str(k.CLIENTS + 1)], k.RUN_TIMEOUT, stderr=ef)
                return p, wait_ready(p, lambda: ready_port(err)), err
            port = free_port()
            p = PROCS.start(["ncat", "--broker", "--max-conns", str(k.CLIENTS + 1), "-l", HOST, port], k.RUN_TIMEOUT, stderr=ef)
            return p, wait_ready(p, listening(port)), err

    def run(tool, rnd):
        why, res, rate = [], {}, 0.0
        bp, port, err = start_broker(tool)
        if not port:
            PROCS.stop(bp)
            return c.record({"tool": tool, "round": rnd, "kind": "timed", "status": status_of(["broker not ready: " + tail(err)])},
                            "%-6s %-7s broker not ready" % (tool, rnd))
        out = c.path("readers.out")
        with open(out, "w") as of:
            rp = PROCS.start(["python3", "-c", BROKER_READERS, port, k.CLIENTS, k.MESSAGES, k.RUN_TIMEOUT - 10],
                             k.RUN_TIMEOUT, stdout=of)
        sender = None
        try:
            if not wait_ready(rp, lambda: "connected" in read_text(out), 30):
                raise Fail("the clients did not connect: " + tail(out))
            sender = socket.create_connection((HOST, int(port)), timeout=10)
            for _ in range(200):  # every client registered: each has seen a hello (bounded: 20 s)
                sender.sendall(b"hello\n")
                if wait_ready(rp, lambda: "go" in read_text(out).split(), 0.1):
                    break
            else:
                raise Fail("the broker did not pass hello to every client")
            pad = b"x" * k.SIZE
            t0 = time.monotonic_ns()
            batch = []
            for i in range(k.MESSAGES):
                head = b"%d %d " % (i, time.monotonic_ns())
                batch.append(head + pad[:k.SIZE - len(head) - 1] + b"\n")
                if len(batch) == 16 or i == k.MESSAGES - 1:  # a few messages per write: as a chatty sender would
                    sender.sendall(b"".join(batch))
                    batch.clear()
            r = PROCS.wait(rp)
            lines = read_text(out).splitlines()
            res = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
            if r.rc != 0 or not res:
                why.append("clients exit %d: %s" % (r.rc, tail(out)))
            elif res["min_got"] != k.MESSAGES or res["out_of_order"]:
                why.append("a client got %d of %d messages, %d out of order" % (res["min_got"], k.MESSAGES, res["out_of_order"]))
            else:
                rate = res["delivered"] / ((res["last_ns"] - t0) / 1e9)
        except (Fail, OSError, ValueError) as e:
            why.append(str(e))
        finally:
            if sender:
                sender.close()
            PROCS.stop(rp)
            PROCS.stop(bp)
        return c.record({"tool": tool, "round": rnd, "kind": "timed", "msgs_per_s": round(rate, 1),
                         "p50_ms": res.get("p50_ms"), "p99_ms": res.get("p99_ms"), "status": status_of(why)},
                        "%-6s %-7s %10.0f msg/s delivered  p99 %s ms  %s" % (
                            tool, rnd, rate, "%.2f" % res["p99_ms"] if res.get("p99_ms") is not None else "-", status_of(why)))

    log("== %d clients, one sender, %d messages of %d bytes per run" % (k.CLIENTS, k.MESSAGES, k.SIZE))
    kept = warm_up(tools, run)
    alternate(kept, k.ROUNDS, run, "broker")
    rep = Report(c, "broker: %d clients, one sender, %d messages of %d bytes, %s" % (k.CLIENTS, k.MESSAGES, k.SIZE, HOST))
    rep.info("nsock %s; %s" % (first_line([c.nsock, "--version"]), first_line(["ncat", "--version"]) if "ncat" in tools else "no ncat"))
    rep.info("messages/s delivered = messages received by all clients together / (last receipt - first send); "
             "delay = receipt - send, over every message at every client; medians of alternated rounds")
    rows, med = [], {}
    for t in tools:
        s = timed_stats(c.rows, t, "msgs_per_s")
        if not s["ok"]:
            rows.append([t, None, None, None, s["runs"], s["why"][:150]])
            continue
        p99 = statistics.median(float(r["p99_ms"]) for r in s["okrows"])
        p50 = statistics.median(float(r["p50_ms"]) for r in s["okrows"])
        med[t] = (s["median"], p99)
        rows.append([t, s["median"], p50, p99, s["runs"], "every client got every message, in order"])
    rep.table(None, [("tool", None), ("msg/s", "%.0f"), ("p50 ms", "%.2f"), ("p99 ms", "%.2f"), ("runs", None), ("checks", None)], rows)
    if "nsock" in med and "ncat" in med:
        (a, ad), (b, bd) = med["nsock"], med["ncat"]
        rep.compare("nsock --broker vs ncat --broker: %.0f vs %.0f msg/s (x%.2f), p99 %.2f vs %.2f ms" % (a, b, a / b, ad, bd),
                    ratio_rate=a / b, p99_nsock=ad, p99_ncat=bd)
    return rep


# ================================================================ scenario: forward

def forward(c):
    k = c.k
    k.positive("ROUNDS", "BYTES")
    tools = k.TOOLS.split()
    ensure_tools("socat", "timeout")
    c.nsock = ensure_nsock()
    prepare_data(c, k.BYTES, k.DATA_FILE)
    # TLS=1: each forwarder terminates TLS (nsock forward --tls, socat OPENSSL-LISTEN) and the sender speaks it
    # (socat OPENSSL:, the same client for both); the forwarder decrypts and passes plain bytes to the sink.
    cert, key = c.path("cert.pem"), c.path("key.pem")
    if k.TLS:
        ensure_tools("openssl")
        check_once(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert], 0, 60)

    def run(phase, tool, rnd):
        pin = k.PIN_CPU if phase == "pinned" else None
        why, secs = [], 0.0
        serr, ferr = c.path("sink.err"), c.path("fwd.err")
        with open(serr, "w") as ef:  # the sink: one client, its bytes to /dev/null, counted in its closed event
            sp = PROCS.start([c.nsock, "listen", "%s:0" % HOST, "--json"], c.run_timeout, pin, stderr=ef)
        sink = wait_ready(sp, lambda: ready_port(serr))
        fp = None
        try:
            if not sink:
                raise Fail("sink not ready: " + tail(serr))
            with open(ferr, "w") as ef:
                if tool in ("nsock", "nsock-copy", "nsock-splice"):
                    # nsock-copy: the same binary with splice(2) turned off (NSOCK_SPLICE=0); nsock-splice: with splice
                    # even though both ends are on this host (NSOCK_SPLICE=1; the default copies on loopback).
                    env = ["env", "NSOCK_SPLICE=0"] if tool == "nsock-copy" else ["env", "NSOCK_SPLICE=1"] if tool == "nsock-splice" else []
                    tls_args = ["--tls", "--cert", cert, "--key", key] if k.TLS else []
                    fp = PROCS.start(env + [c.nsock, "forward", "%s:0" % HOST, "%s:%s" % (HOST, sink), "--json"] + tls_args,
                                     c.run_timeout, pin, stdout=ef, stderr=ef)
                    port = wait_ready(fp, lambda: ready_port(ferr))
                else:
                    port = free_port()
                    listen = ("OPENSSL-LISTEN:%d,fork,reuseaddr,bind=%s,cert=%s,key=%s,verify=0" % (port, HOST, cert, key) if k.TLS
                              else "TCP-LISTEN:%d,fork,reuseaddr,bind=%s" % (port, HOST))
                    fp = PROCS.start(["socat", "-b", "1048576", listen,
                                      "TCP:%s:%s" % (HOST, sink)], c.run_timeout, pin, stderr=ef)
                    port = wait_ready(fp, listening(port))
            if not port:
                raise Fail("forward not ready: " + tail(ferr))
            t0 = time.perf_counter_ns()
            with open(c.path("send.err"), "w") as se:
                if k.TLS:
                    # Both ways, the answer to /dev/null: the client must read the TLS 1.3 session tickets the server
                    # sends, or its close with them unread is a reset, and a reset discards what the forwarder has not
                    # read yet (socat -u lost half the bytes so, through socat's forwarder as through nsock's).
                    sender = ["socat", "-b", "1048576", "-t", "30", "OPEN:%s!!OPEN:/dev/null" % c.data, "OPENSSL:%s:%s,verify=0" % (HOST, port)]
                else:
                    sender = ["socat", "-u", "-b", "1048576", "OPEN:" + c.data, "TCP:%s:%s" % (HOST, port)]
                s = PROCS.wait(PROCS.start(sender,
                                           c.run_timeout, pin, stderr=se))
            r = PROCS.wait(sp)
            secs = (time.perf_counter_ns() - t0) / 1e9
            if s.rc != 0:
                why.append("sender exit %d: %s" % (s.rc, tail(c.path("send.err"))))
            if r.rc != 0:
                why.append("sink exit %d: %s" % (r.rc, tail(serr)))
            closed = json_events(serr, "closed")
            n = closed[-1].get("bytesReceived") if closed else None
            if n != c.nbytes:
                why.append("the sink got %s of %d bytes" % (n, c.nbytes))
        except Fail as e:
            why.append(str(e))
        finally:
            if fp:
                PROCS.stop(fp)
            PROCS.stop(sp)
        status = status_of(why)
        return c.record({"tool": tool, "phase": phase, "round": rnd, "kind": "timed", "seconds": round(secs, 6), "status": status},
                        "%-8s %-10s %-7s %8.3f s %6.2f GB/s  %s" % (phase, tool, rnd, secs, c.nbytes / secs / 1e9 if secs else 0, status))

    labels = {"nsock": "nsock forward" + (" --tls" if k.TLS else ""), "nsock-copy": "nsock forward, NSOCK_SPLICE=0",
              "nsock-splice": "nsock forward, NSOCK_SPLICE=1",
              "socat": "socat OPENSSL-LISTEN,fork TCP" if k.TLS else "socat TCP-LISTEN,fork TCP"}
    rep = Report(c, "forward: %d bytes (%.2f GiB) through a forwarder%s, %s" % (
        c.nbytes, c.nbytes / 2**30, " terminating TLS" if k.TLS else "", HOST))
    rep.info("nsock %s; %s; sender socat -u OPEN:F, sink nsock listen (bytes counted)" % (first_line([c.nsock, "--version"]), socat_version()))
    for phase in ["unpinned"] + (["pinned"] if k.PINNED else []):
        log("== %s: %d bytes per run through each forwarder, %d rounds" % (phase, c.nbytes, k.ROUNDS))
        go = lambda t, r, phase=phase: run(phase, t, r)
        kept = warm_up(tools, go)
        alternate(kept, k.ROUNDS, go, "forward " + phase)
        rows = [r for r in c.rows if r.get("phase") == phase]
        title = "unpinned" if phase == "unpinned" else "pinned (sender, forwarder and sink on CPU %d)" % k.PIN_CPU
        med = seconds_table(rep, title, rows, tools, lambda t: labels.get(t, t), c.nbytes, lambda t: "bytes ok", "sha256")
        if "nsock" in med and "socat" in med:
            a, b = med["nsock"], med["socat"]
            rep.compare("%-8s nsock forward vs socat fork: %.2f vs %.2f GB/s  time x%.2f -> %s" % (
                phase, c.nbytes / a / 1e9, c.nbytes / b / 1e9, a / b, speed_verdict(a, b)), ratio_time=a / b)
    return rep


# ================================================================ scenario: tls

def tls(c):
    """A bounded stream over TLS into `openssl s_server` (one client, its bytes counted by wc): `nsock connect --tls`
    against `socat OPENSSL:`, both reading the same file, tools taking turns; unpinned, then every process on one CPU."""
    k = c.k
    k.positive("ROUNDS", "BYTES")
    tools = k.TOOLS.split()
    ensure_tools("socat", "openssl", "timeout")
    c.nsock = ensure_nsock()
    prepare_data(c, k.BYTES, k.DATA_FILE)
    cert, key = c.path("cert.pem"), c.path("key.pem")
    check_once(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-keyout", key, "-out", cert], 0, 60)

    def run(phase, tool, rnd):
        pin = k.PIN_CPU if phase == "pinned" else None
        why, secs = [], 0.0
        port, count, serr = free_port(), c.path("count"), c.path("server.err")
        # s_server -quiet writes what it receives to stdout, counted by wc; -naccept 1 ends it after the one client.
        # Its stdin is a pipe held open: at the end of its input s_server would close the connection.
        with open(serr, "w") as ef, open(count, "w") as cf:
            sp = PROCS.start(["openssl", "s_server", "-quiet", "-naccept", "1", "-accept", "%s:%d" % (HOST, port),
                              "-cert", cert, "-key", key], c.run_timeout, pin, stdin=PIPE, stdout=PIPE, stderr=ef)
            wp = PROCS.start(["wc", "-c"], c.run_timeout, pin, stdin=sp.stdout, stdout=cf)
        sp.stdout.close()
        try:
            if not wait_ready(sp, listening(port)):
                raise Fail("openssl s_server not ready: " + tail(serr))
            if tool == "nsock":
                argv = [c.nsock, "connect", "--tls", "--insecure", "%s:%d" % (HOST, port)]
            else:
                argv = ["socat", "-u", "-b", "1048576", "STDIN", "OPENSSL:%s:%d,verify=0" % (HOST, port)]
            t0 = time.perf_counter_ns()
            with open(c.data, "rb") as fi, open(c.path("client.err"), "w") as ce:
                cl = PROCS.wait(PROCS.start(argv, c.run_timeout, pin, stdin=fi, stderr=ce))
            sv = PROCS.wait(sp)
            secs = (time.perf_counter_ns() - t0) / 1e9
            PROCS.wait(wp)
            if cl.rc != 0:
                why.append("client exit %d: %s" % (cl.rc, tail(c.path("client.err"))))
            if sv.rc != 0:
                why.append("server exit %d: %s" % (sv.rc, tail(serr)))
            got = read_text(count).strip()
            if got != str(c.nbytes):
                why.append("s_server got %s of %d bytes" % (got or "no count", c.nbytes))
        except Fail as e:
            why.append(str(e))
        finally:
            sp.stdin.close()
            PROCS.stop(sp)
            PROCS.stop(wp)
        status = status_of(why)
        return c.record({"tool": tool, "phase": phase, "round": rnd, "kind": "timed", "seconds": round(secs, 6), "status": status},
                        "%-8s %-6s %-7s %8.3f s %6.2f GB/s  %s" % (phase, tool, rnd, secs, c.nbytes / secs / 1e9 if secs else 0, status))

    labels = {"nsock": "nsock connect --tls", "socat": "socat -u STDIN OPENSSL:"}
    rep = Report(c, "tls: %d bytes (%.2f GiB) over TLS into openssl s_server, %s" % (c.nbytes, c.nbytes / 2**30, HOST))
    rep.info("nsock %s; %s; %s; certificate EC P-256, both clients negotiate with the same OpenSSL library" % (
        first_line([c.nsock, "--version"]), socat_version(), first_line(["openssl", "version"])))
    for phase in ["unpinned"] + (["pinned"] if k.PINNED else []):
        log("== %s: %d bytes per run, %d rounds" % (phase, c.nbytes, k.ROUNDS))
        go = lambda t, r, phase=phase: run(phase, t, r)
        kept = warm_up(tools, go)
        alternate(kept, k.ROUNDS, go, "tls " + phase)
        rows = [r for r in c.rows if r.get("phase") == phase]
        title = "unpinned" if phase == "unpinned" else "pinned (client, s_server and wc on CPU %d)" % k.PIN_CPU
        med = seconds_table(rep, title, rows, tools, lambda t: labels.get(t, t), c.nbytes, lambda t: "bytes ok", "count")
        if "nsock" in med and "socat" in med:
            a, b = med["nsock"], med["socat"]
            rep.compare("%-8s nsock vs socat: %.2f vs %.2f GB/s  time x%.2f -> %s" % (
                phase, c.nbytes / a / 1e9, c.nbytes / b / 1e9, a / b, speed_verdict(a, b)), ratio_time=a / b)
    return rep


# ================================================================ the scenario table

# ================================================================ scenario: conns

def conns(c):
    """nsock conns vs ss -tanp while a holder process keeps N loopback connections: the time of one listing of every
    TCP socket with its owner, and the counts of the held ones (2N+1 each)."""
    k = c.k
    k.positive("N", "RUNS", "PASSES")
    ensure_tools("ss", "timeout", *([] if k.NO_HYPERFINE else ["hyperfine"]))
    c.nsock = ensure_nsock()
    holder = PROCS.start([sys.executable, os.path.join(HERE, "conns-holder.py"), k.N, 900], 960,
                         stdin=PIPE, stdout=PIPE, stderr=PIPE)
    ready, _, _ = select.select([holder.stdout], [], [], 90)  # its setup is bounded at 60 s
    line = holder.stdout.readline().decode().strip() if ready else ""
    m = re.fullmatch(r"ready (\d+) (\d+) (\d+)", line)
    if not m:
        raise Fail("the connection holder did not get ready: %s %s" % (line, holder.stderr.read1(300) if not PROCS.running(holder) else ""))
    port, held, holder_pid = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        want = 2 * held + 1
        flt = "( sport = :%d or dport = :%d )" % (port, port)
        ss_held = [l for l in check_once(["ss", "-tanpH", flt], 0, 60).splitlines() if l.strip()]
        ns_held = [l for l in check_once([c.nsock, "conns", "-t", "-p", str(port), "--json"], 0, 60).splitlines() if l.strip()]
        if len(ss_held) != want or len(ns_held) != want:
            raise Fail("held sockets: ss -tanp lists %d, nsock conns %d, of %d" % (len(ss_held), len(ns_held), want))
        owned = sum(1 for l in ns_held if json.loads(l).get("processId") == holder_pid)
        if owned != want:
            raise Fail("nsock conns names the holder as the owner of %d of its %d sockets" % (owned, want))
        os.makedirs(c.results, exist_ok=True)
        cmds = [("nsock conns -t", [c.nsock, "conns", "-t"], 0),
                ("ss -tanp", ["ss", "-tanp"], 0),
                ("nsock conns -t --port P", [c.nsock, "conns", "-t", "-p", str(port)], 0),
                ("ss -tanp '( sport = :P or dport = :P )'", ["ss", "-tanp", flt], 0)]
        times, method = time_commands(c, cmds, k.RUNS, k.PASSES, k.WARMUP, k.NO_HYPERFINE, 60, c.results)
        rep = Report(c, "nsock conns benchmark: every TCP socket with its owner, while %d loopback connections "
                        "(%d sockets) are held" % (held, want))
        rep.info("nsock %s (%s); %s" % (first_line([c.nsock, "--version"]), c.nsock, first_line(["ss", "-V"])))
        rep.info("open files: this shell's limit %s (the holder raises its own, up to the hard limit %s)" % resource_limits())
        rep.info(method)
        rep.info("counts of the held sockets: ss %d, nsock %d, expected %d (owner: the holder, pid %d)" % (
            len(ss_held), len(ns_held), want, holder_pid))
        med = ms_table(rep, times)
        rep.summary("median / median; target: nsock conns at least as fast as ss -tanp (same counts)")
        for a_name, b_name in ((cmds[0][0], cmds[1][0]), (cmds[2][0], cmds[3][0])):
            a, b = med[a_name], med[b_name]
            r = a / b
            ok = r <= 1.03
            rep.compare("%-28s vs %-40s %8.2f ms / %8.2f ms = time x%.2f  -> %s, %s" % (
                a_name, b_name, a, b, r, speed_verdict(a, b), "target met" if ok else "target MISSED"),
                inline=False, other=b_name, ratio_time=r, met=ok)
        return rep
    finally:
        PROCS.stop(holder)


# ================================================================ scenario: scale

def tree_memory(root):
    """(RSS, PSS) in KiB summed over every descendant of root (the `timeout` wrapper itself left out): one process
    for nsock, a process (and its program) per client for socat fork and ncat --exec."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    rss = pss = 0
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        for name, key in (("status", "VmRSS:"), ("smaps_rollup", "Pss:")):
            try:
                with open("/proc/%d/%s" % (pid, name)) as f:
                    kib = int(next(l for l in f if l.startswith(key)).split()[1])
            except (OSError, StopIteration, ValueError):
                continue
            if key == "VmRSS:":
                rss += kib
            else:
                pss += kib
    return rss, pss


def scale(c):
    """N idle loopback connections held against one listener: memory per connection (RSS and PSS of the listener's
    processes, held minus before, over N), how fast they are accepted (and served, for echo), a fresh client's
    round trip while they are held, and the memory left AFTER seconds after they all closed."""
    import resource
    k = c.k
    k.positive("N", "CMP_N", "AFTER", "RUN_TIMEOUT")
    tools, modes = k.TOOLS.split(), k.MODES.split()
    ensure_tools("timeout", *[t for t in ("socat", "ncat") if t in tools])
    c.nsock = ensure_nsock()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(k.N, k.CMP_N) + 256
    top = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft < top:
        resource.setrlimit(resource.RLIMIT_NOFILE, (top, hard))  # inherited by the listeners started below
    log("== open files: soft limit %s, hard limit %s (raised to %d for the listeners)" % (resource_limits() + (top,)))
    files_dir = c.path("received")
    os.makedirs(files_dir, exist_ok=True)

    def listener_argv(tool, mode, n, port):
        if tool == "nsock":
            base = [c.nsock, "listen", "%s:0" % HOST, "--json", "--max-clients", str(n + 100)]
            extra = {"echo": ["--echo", "-k"], "broker": ["--broker"], "relay": ["-k"],
                     "files": ["--receive-files", files_dir, "-k", "--idle-timeout", "600"]}.get(mode)  # MODES=none: only the bulk part
            return None if extra is None else base + extra
        if tool == "socat" and mode == "echo":
            return ["socat", "TCP-LISTEN:%d,bind=%s,fork,reuseaddr,backlog=512" % (port, HOST), "EXEC:cat"]
        if tool == "ncat" and mode == "echo":
            return ["ncat", "-k", "-l", HOST, str(port), "--max-conns", str(n + 10), "--exec", shutil.which("cat")]
        if tool == "ncat" and mode == "broker":
            return ["ncat", "--broker", "-l", HOST, str(port), "--max-conns", str(n + 10)]
        return None

    def run(tool, mode):
        n = k.N if tool == "nsock" else k.CMP_N
        port = None if tool == "nsock" else free_port()
        argv = listener_argv(tool, mode, n, port)
        if argv is None:
            return None
        why, row = [], {"tool": tool, "mode": mode, "kind": "timed"}
        err = c.path("l.err")
        with open(err, "w") as ef:
            # nsock's events go to stdout where stdout carries no data (echo, files), else to stderr: both in one file.
            lp = PROCS.start(argv, k.RUN_TIMEOUT, stdout=ef, stderr=ef)
        port = wait_ready(lp, (lambda: ready_port(err)) if tool == "nsock" else listening(port))
        cp = None
        try:
            if not port:
                raise Fail("listener not ready: " + tail(err))
            time.sleep(0.5)
            base = tree_memory(lp.pid)
            probes = k.PROBES if mode == "echo" else k.BROKER_PROBES if mode == "broker" else 0
            cp = PROCS.start([sys.executable, os.path.join(HERE, "scale-client.py"), port, n,
                              "echo" if mode == "echo" else "relay", probes], k.RUN_TIMEOUT, stdin=PIPE, stdout=PIPE, stderr=PIPE)

            def line(secs):
                ready, _, _ = select.select([cp.stdout], [], [], secs)
                text = cp.stdout.readline().decode().strip() if ready else ""
                if not text:
                    raise Fail("the load client stopped: %s" % (cp.stderr.read1(300).decode() if not PROCS.running(cp) else "no answer in time"))
                return text.split()

            held = line(150)
            count, setup = int(held[1]), float(held[2])
            time.sleep(2)  # settle: the last clients' events written, the GC done with the burst
            during = tree_memory(lp.pid)
            cp.stdin.write(b"probe\n")
            cp.stdin.flush()
            pr = line(30 + 5 * max(probes, 1))
            ok, total, p50, p99, pmax = int(pr[1]), int(pr[2]), float(pr[3]), float(pr[4]), float(pr[5])
            if mode == "files":  # a fresh sender is still served while the others are held silent
                sent = c.path("probe-file.bin")
                with open(sent, "wb") as f:
                    f.write(os.urandom(100000))
                r = PROCS.wait(PROCS.start([c.nsock, "send-file", "%s:%s" % (HOST, port), sent], 60))
                got = os.path.join(files_dir, "probe-file.bin")
                if r.rc != 0 or not os.path.isfile(got) or sha256_file(got) != sha256_file(sent):
                    why.append("a fresh sender's file did not arrive whole (send-file exit %d)" % r.rc)
                if os.path.isfile(got):
                    os.remove(got)
            loaded = tree_memory(lp.pid)
            cp.stdin.write(b"close\n")
            cp.stdin.flush()
            line(60)
            PROCS.wait(cp)
            after, t_end = tree_memory(lp.pid), time.monotonic() + k.AFTER
            while time.monotonic() < t_end:  # what is given back: the lowest in AFTER seconds
                time.sleep(0.5)
                m = tree_memory(lp.pid)
                after = (min(after[0], m[0]), min(after[1], m[1]))
            if ok != total:
                why.append("%d of %d probes answered correctly" % (ok, total))
            if not PROCS.running(lp):
                why.append("the listener died: " + tail(err))
            row.update(conns=count, setup_s=round(setup, 3), conn_per_s=round(count / setup, 1),
                       base_kib=base[0], held_kib=during[0], loaded_kib=loaded[0], after_kib=after[0],
                       rss_per_conn_kib=round((max(during[0], loaded[0]) - base[0]) / count, 2),
                       pss_per_conn_kib=round((max(during[1], loaded[1]) - base[1]) / count, 2),
                       probes=total, p50_ms=p50 if total else None, p99_ms=p99 if total else None,
                       max_ms=pmax if total else None)
        except (Fail, OSError, ValueError, IndexError) as e:
            why.append(str(e))
        finally:
            if cp:
                PROCS.stop(cp)
            PROCS.stop(lp)
        row["status"] = status_of(why)
        return c.record(row, "%-6s %-7s %6s conns  %s KiB/conn  p99 %s ms  after %s MiB  %s" % (
            tool, mode, row.get("conns", "-"), row.get("rss_per_conn_kib", "-"), row.get("p99_ms", "-"),
            "%.1f" % (row["after_kib"] / 1024) if "after_kib" in row else "-", row["status"]))

    for mode in modes:
        for tool in tools:
            log("== %s %s" % (tool, mode))
            run(tool, mode)
    speeds = scale_throughput(c) if k.THROUGHPUT_BYTES > 0 else {}
    rep = Report(c, "scale: idle loopback connections held against one listener (nsock N=%d, others N=%d)" % (k.N, k.CMP_N))
    rep.info("nsock %s (%s)%s%s" % (first_line([c.nsock, "--version"]), c.nsock,
                                    "; " + socat_version() if "socat" in tools else "",
                                    "; " + first_line(["ncat", "--version"]) if "ncat" in tools else ""))
    rep.info("open files: soft %s, hard %s; the listeners ran with a soft limit of %d" % (resource_limits() + (top,)))
    rep.info("KiB/conn = (memory while held - memory before) / connections, RSS (VmRSS) and PSS (shared pages split) "
             "summed over the listener's processes: one for nsock and ncat --broker, one per client (socat: socat and cat) "
             "for socat fork and ncat --exec. after = the lowest RSS in %d s after every client closed. setup = "
             "connect (echo: and one byte served back) every client, 256 in flight. probe = a fresh client's connect "
             "to its 32 bytes back (echo) or to another fresh client (broker) while the others are held" % k.AFTER)
    rows = []
    for r in c.rows:
        rows.append([r["tool"], r["mode"], r.get("conns"), r.get("conn_per_s"), r.get("base_kib", 0) / 1024 if "base_kib" in r else None,
                     max(r["held_kib"], r["loaded_kib"]) / 1024 if "held_kib" in r else None, r.get("rss_per_conn_kib"),
                     r.get("pss_per_conn_kib"), r["after_kib"] / 1024 if "after_kib" in r else None,
                     r.get("p50_ms"), r.get("p99_ms"), r["status"]])
    rep.table(None, [("tool", None), ("mode", None), ("conns", None), ("conn/s", "%.0f"), ("before MiB", "%.1f"),
                     ("held MiB", "%.1f"), ("RSS KiB/conn", "%.2f"), ("PSS KiB/conn", "%.2f"), ("after MiB", "%.1f"),
                     ("p50 ms", "%.2f"), ("p99 ms", "%.2f"), ("checks", None)], rows)
    if speeds:
        rep.table("bulk through the same modes: one client sends %d MiB (echo: and reads it back), alternated rounds" % (k.THROUGHPUT_BYTES >> 20),
                  [("binary", None), ("mode", None), ("median s", "%.3f"), ("MB/s", "%.0f"), ("min .. max s", None), ("runs", None)],
                  [[b, m, st["median"], k.THROUGHPUT_BYTES / st["median"] / 1e6, "%.3f .. %.3f" % (st["min"], st["max"]), st["runs"]]
                   for (b, m), st in sorted(speeds.items())])
        if k.BASELINE:
            for m in ("echo", "relay"):
                if ("nsock", m) in speeds and ("baseline", m) in speeds:
                    a, b = speeds[("nsock", m)]["median"], speeds[("baseline", m)]["median"]
                    rep.compare("bulk %s: nsock %.3f s vs baseline %.3f s = time x%.3f" % (m, a, b, a / b), ratio_time=a / b)
    for r in c.rows:
        if r["tool"] == "nsock" and r.get("rss_per_conn_kib") is not None:
            if r["conns"] < 1000:
                continue  # a few clients: the listener's fixed costs dominate; the target is about a crowd
            met = r["rss_per_conn_kib"] <= 8 and (r.get("p99_ms") is None or r["p99_ms"] < 5)
            rep.compare("nsock %-7s %d conns: %.2f KiB/conn (target <= 8), p99 %s ms (target < 5), after %.1f MiB (before %.1f) -> %s" % (
                r["mode"], r["conns"], r["rss_per_conn_kib"], "%.2f" % r["p99_ms"] if r.get("p99_ms") is not None else "-",
                r["after_kib"] / 1024, r["base_kib"] / 1024, "target met" if met else "target MISSED"), met=met)
    return rep


def scale_throughput(c):
    """The data path of the modes scale measures: a bulk stream through listen --echo -k (sent and read back) and
    listen -k (to /dev/null), by nsock connect; BASELINE (another binary) alternated with NSOCK when given."""
    k = c.k
    data = c.path("data.bin")
    write_random_file(data, k.THROUGHPUT_BYTES)
    bins = [("nsock", c.nsock)] + ([("baseline", k.BASELINE)] if k.BASELINE else [])
    times = {}
    for rnd in range(k.THROUGHPUT_ROUNDS + 1):  # round 0: warm-up
        for mode in ("echo", "relay"):
            for name, binary in bins:
                err = c.path("t.err")
                with open(err, "w") as ef:
                    argv = [binary, "listen", "%s:0" % HOST, "--json", "-k"] + (["--echo"] if mode == "echo" else [])
                    lp = PROCS.start(argv, 120, stdout=ef if mode == "echo" else DEVNULL, stderr=ef)
                port = wait_ready(lp, lambda: ready_port(err))
                try:
                    if not port:
                        raise Fail("listener not ready: " + tail(err))
                    out = c.path("t.out")
                    sink = "| wc -c > %s" % shlex.quote(out) if mode == "echo" else "> /dev/null"
                    t0 = time.monotonic()
                    cp = PROCS.start(["sh", "-c", "%s connect %s:%d < %s %s" % (shlex.quote(binary), HOST, port, shlex.quote(data), sink)], 120)
                    r = PROCS.wait(cp)
                    secs = time.monotonic() - t0
                    if r.rc != 0:
                        raise Fail("%s %s: connect exit %d" % (name, mode, r.rc))
                    if mode == "echo" and read_text(out).strip() != str(k.THROUGHPUT_BYTES):
                        raise Fail("%s echo: %s bytes came back of %d" % (name, read_text(out).strip(), k.THROUGHPUT_BYTES))
                finally:
                    PROCS.stop(lp)
                log("  bulk %-8s %-5s round %d: %.3f s" % (name, mode, rnd, secs))
                if rnd > 0:
                    times.setdefault((name, mode), []).append(secs)
    return {key: dict(median=statistics.median(v), min=min(v), max=max(v), runs=len(v)) for key, v in times.items()}


def resource_limits():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    show = lambda v: "unlimited" if v == resource.RLIM_INFINITY else str(v)
    return show(soft), show(hard)


SCENARIOS = {
    # name: (function, knobs and their defaults, --smoke values, what it measures)
    "throughput": (throughput, dict(BYTES=4 << 30, ROUNDS=5, PINNED=True, PIN_CPU=0, PINNED_ROUNDS=0,
                                    FILE_TOOLS="nsock nsock-stdin socat nc iperf3", PIPE_TOOLS="nsock nsock-connect socat nc",
                                    VERIFY_SHA=True, RUN_TIMEOUT=0, DATA_FILE=""),
                   dict(BYTES="1M", ROUNDS=1, PINNED_ROUNDS=1, PINNED=1, DATA_FILE=""),
                   "bulk TCP transfer, file and pipe into a socket: nsock vs socat vs nc, iperf3 as the ceiling"),
    "startup": (startup, dict(RUNS=200, PASSES=5, WARMUP=10, TARGET=1.5, HELLO_TFM="net10.0", NO_HYPERFINE=False,
                              HELLO_REBUILD=False),
                dict(RUNS=2, PASSES=1, WARMUP=1, HELLO_REBUILD=0),
                "process startup: nsock --version and a refused connect vs a bare native-AOT hello world"),
    "ping": (ping, dict(COUNT=10000, SIZE=32, ROUNDS=5, SETS="unpinned pinned split", PIN_CPU=0, SPLIT_CPU=1,
                        TARGET=1.5, TOOLS="nsock python c", RUN_TIMEOUT=60),
             dict(COUNT=200, ROUNDS=1),
             "UDP echo round trips: nsock ping -i 0 vs minimal Python and C send/recv loops"),
    "probe": (probe, dict(PORTS="1-1000", RUNS=100, PASSES=5, WARMUP=5, NO_HYPERFINE=False),
              dict(PORTS="1-100", RUNS=2, PASSES=1, WARMUP=1),
              "TCP connect probes of closed ports: nsock probe vs nc -z vs nmap -sT"),
    "http": (http, dict(BYTES=1 << 30, ROUNDS=5, PINNED=True, PIN_CPU=0, PINNED_ROUNDS=0, RSS_LIMIT_MIB=64.0,
                        RUN_TIMEOUT=0),
             dict(BYTES="1M", ROUNDS=1, PINNED_ROUNDS=1, PINNED=1),
             "HTTP GET of a large body into a file: nsock http vs curl, time and peak RSS"),
    "files": (files, dict(BYTES=2 << 30, ROUNDS=5, PINNED=True, PIN_CPU=0, PINNED_ROUNDS=0, TARGET_HASH=1.25,
                          PREFAULT=True, TOOLS="nsock nsock-sha256 nc socat send-alone recv-alone openssl sha256sum", RUN_TIMEOUT=0,
                          DATA_FILE=""),
              dict(BYTES="1M", ROUNDS=1, PINNED_ROUNDS=1, PINNED=1, DATA_FILE=""),
              "file to file over TCP, verified: nsock send-file vs nc and socat, openssl dgst as the hash ceiling"),
    "broker": (broker, dict(CLIENTS=100, MESSAGES=10000, SIZE=64, ROUNDS=5, TOOLS="nsock ncat", RUN_TIMEOUT=120),
               dict(CLIENTS=5, MESSAGES=200, ROUNDS=1),
               "one sender, many clients: nsock listen --broker vs ncat --broker, messages/s delivered to all and p99 delay"),
    "forward": (forward, dict(BYTES=1 << 30, ROUNDS=5, TOOLS="nsock socat", PINNED=True, PIN_CPU=0, RUN_TIMEOUT=0, DATA_FILE="",
                              TLS=False),
                dict(BYTES="1M", ROUNDS=1, PINNED=1, DATA_FILE=""),
                "a bounded stream through a forwarder: nsock forward vs socat TCP-LISTEN,fork TCP"),
    "tls": (tls, dict(BYTES=1 << 30, ROUNDS=5, TOOLS="nsock socat", PINNED=True, PIN_CPU=0, RUN_TIMEOUT=0, DATA_FILE=""),
            dict(BYTES="1M", ROUNDS=1, PINNED=1, DATA_FILE=""),
            "a bounded stream over TLS into openssl s_server: nsock connect --tls vs socat OPENSSL:"),
    "conns": (conns, dict(N=10000, RUNS=20, PASSES=4, WARMUP=2, NO_HYPERFINE=False),
              dict(N=50, RUNS=2, PASSES=1, WARMUP=1),
              "listing sockets with owners while N loopback connections are held: nsock conns vs ss -tanp"),
    "scale": (scale, dict(N=10000, CMP_N=1000, PROBES=200, BROKER_PROBES=20, MODES="echo broker relay files",
                          TOOLS="nsock socat ncat", AFTER=15, RUN_TIMEOUT=600,
                          THROUGHPUT_BYTES=512 << 20, THROUGHPUT_ROUNDS=5, BASELINE=""),
              dict(N=50, CMP_N=20, PROBES=5, BROKER_PROBES=2, AFTER=1, THROUGHPUT_BYTES="1M", THROUGHPUT_ROUNDS=1),
              "N idle connections held by one listener: memory per connection, accept rate, a fresh echo's p99, memory after"),
}


def run_scenario(name, size, smoke, as_json, stamp):
    fn, defaults, smoke_values, _ = SCENARIOS[name]
    work = tempfile.mkdtemp(prefix="nsock-%s." % name)
    ctx = None
    try:
        ctx = Context(name, Knobs(defaults, smoke_values if smoke else None, size), work, smoke, stamp)
        load = loadavg()
        log("== %s%s: load average before: %s%s" % (name, " (smoke)" if smoke else "", load,
                                                     "  (busy machine: expect noisy figures)" if float(load.split()[0]) > 1 else ""))
        rep = fn(ctx)
        if name not in ("startup", "probe"):
            rep.info("load average (1/5/15 min) at start: %s, at end: %s%s" % (load, loadavg(), busy_note(load)))
        text = rep.text()
        print(text, file=sys.stderr if as_json else sys.stdout, end="", flush=True)
        base = save_results(ctx, rep)
        log("== results: %s.{txt,tsv,json}" % base)
        failed = [r for r in ctx.rows if not str(r.get("status", "ok")).startswith("ok")]
        return dict(rep.data, runs=ctx.rows, failed_checks=len(failed), error=None)
    except Fail as e:
        log("error: %s: %s" % (name, e))
        return {"scenario": name, "error": str(e), "failed_checks": None, "runs": ctx.rows if ctx else []}
    finally:
        PROCS.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def show_default(name, v):
    if name == "BYTES":
        return "%dG" % (v >> 30) if v % (1 << 30) == 0 else str(v)
    if isinstance(v, bool):
        return str(int(v))
    if v == 0 and name in ("PINNED_ROUNDS", "RUN_TIMEOUT"):
        return "ROUNDS" if name == "PINNED_ROUNDS" else "<30 s + 1 s per 50 MB>"
    return '"%s"' % v if isinstance(v, str) and (" " in v or not v) else str(v)


def usage():
    lines = [__doc__.strip(), "", "scenarios and knobs (environment variables; defaults shown):"]
    for name, (_, defaults, _, what) in SCENARIOS.items():
        lines.append("  %-10s %s" % (name, what))
        lines.append("             " + "  ".join("%s=%s" % (k, show_default(k, v)) for k, v in defaults.items()))
    lines.append("  all:       NSOCK=<binary>  RESULTS_DIR=artifacts/bench")
    return "\n".join(lines)


def main(argv):
    as_json = "--json" in argv
    smoke = "--smoke" in argv
    if "--list" in argv or "-h" in argv or "--help" in argv:
        print(usage())
        return 0
    args = [a for a in argv if a not in ("--json", "--smoke")]
    unknown = [a for a in args if a.startswith("-")]
    names = [a for a in args if a in SCENARIOS]
    sizes = [a for a in args if a not in SCENARIOS and not a.startswith("-")]
    bad_words = [a for a in sizes if not re.fullmatch(r"\d+[KMGT]?(i?B)?", a, re.I)]
    if unknown or bad_words or len(sizes) > 1 or (not names and not smoke):
        print(usage(), file=sys.stderr)
        if unknown or bad_words:
            print("\nunknown: %s (a scenario, a size like 256M, --json, --smoke or --list)" % " ".join(unknown + bad_words),
                  file=sys.stderr)
        return 2
    if smoke and not names:
        names = list(SCENARIOS)

    def stop(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, stop)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = []
    try:
        for name in names:
            results.append(run_scenario(name, sizes[0] if sizes else None, smoke, as_json, stamp))
    except KeyboardInterrupt:
        log("interrupted")
        PROCS.stop_all()
        return 130
    bad = [r for r in results if r["error"] or r["failed_checks"]]
    if as_json:
        json.dump(results if len(results) > 1 else results[0], sys.stdout, indent=1)
        print()
    if smoke or len(results) > 1:
        log("")
        for r in results:
            log("%s %-10s %s" % ("smoke:" if smoke else "==", r["scenario"],
                                 "error: " + r["error"] if r["error"] else
                                 "%d checks FAILED" % r["failed_checks"] if r["failed_checks"] else
                                 "ok (%d runs, every check passed)" % len(r["runs"])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
