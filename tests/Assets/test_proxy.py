#!/usr/bin/env python3
"""A small SOCKS5 (RFC 1928/1929) or HTTP CONNECT proxy for nsock's tests. Python 3 standard library only.

Binds 127.0.0.1 (or --bind) on port 0 and prints "LISTENING <port>" first; then one line per request,
"REQUEST <atyp> <host> <port>" (atyp: ipv4, ipv6, domain; http: always domain-or-literal as sent) and
"AUTH ok <user>" / "AUTH failed <user>". Only loopback targets are served (the tests' network rule): any other
is refused as "not allowed" (SOCKS5 reply 2, HTTP 403).

  --kind socks5|http       which proxy (default socks5)
  --user U --password P    require this user name and password
  --socks-reply N          answer every CONNECT with SOCKS5 reply code N (no connect made)
  --http-status "403 No"   answer every CONNECT with this status (no connect made)
  --silent                 accept connections and never answer (a stuck proxy)
  --greeting TEXT          http: send TEXT right after the 200 head, in the same write (bytes the target would send)
"""
import argparse
import base64
import ipaddress
import socket
import struct
import sys
import threading


def log(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("peer closed")
        data += chunk
    return data


def is_loopback(host):
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return None
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_loopback for info in infos)


def connect_target(host, port):
    """(socket, None) or (None, reason) with reason in refused, timeout, unreachable, not-allowed, failure."""
    loop = is_loopback(host)
    if loop is None:
        return None, "unreachable"
    if not loop:
        return None, "not-allowed"
    try:
        return socket.create_connection((host, port), timeout=5), None
    except ConnectionRefusedError:
        return None, "refused"
    except socket.timeout:
        return None, "timeout"
    except OSError:
        return None, "failure"


def pump(src, dst):
    """Copies src to dst until src ends, then half-closes dst: a FIN through the tunnel stays a FIN."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def relay(a, b):
    t = threading.Thread(target=pump, args=(b, a), daemon=True)
    t.start()
    pump(a, b)
    t.join()
    a.close()
    b.close()


SOCKS_CODES = {"refused": 5, "timeout": 6, "unreachable": 4, "not-allowed": 2, "failure": 1}


def serve_socks(conn, args):
    ver, nmethods = recv_exact(conn, 2)
    methods = recv_exact(conn, nmethods)
    if args.user is not None:
        if 2 not in methods:
            conn.sendall(b"\x05\xff")
            return
        conn.sendall(b"\x05\x02")
        recv_exact(conn, 1)
        user = recv_exact(conn, recv_exact(conn, 1)[0]).decode("utf-8", "replace")
        password = recv_exact(conn, recv_exact(conn, 1)[0]).decode("utf-8", "replace")
        if user != args.user or password != args.password:
            log("AUTH failed " + user)
            conn.sendall(b"\x01\x01")
            return
        log("AUTH ok " + user)
        conn.sendall(b"\x01\x00")
    else:
        if 0 not in methods:
            conn.sendall(b"\x05\xff")
            return
        conn.sendall(b"\x05\x00")
    ver, cmd, _, atyp = recv_exact(conn, 4)
    if atyp == 1:
        host, kind = socket.inet_ntop(socket.AF_INET, recv_exact(conn, 4)), "ipv4"
    elif atyp == 4:
        host, kind = socket.inet_ntop(socket.AF_INET6, recv_exact(conn, 16)), "ipv6"
    elif atyp == 3:
        host, kind = recv_exact(conn, recv_exact(conn, 1)[0]).decode("ascii", "replace"), "domain"
    else:
        conn.sendall(b"\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00")
        return
    (port,) = struct.unpack("!H", recv_exact(conn, 2))
    log("REQUEST %s %s %d" % (kind, host, port))
    if cmd != 1:
        conn.sendall(b"\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00")
        return
    if args.socks_reply is not None:
        conn.sendall(bytes([5, args.socks_reply, 0, 1, 0, 0, 0, 0, 0, 0]))
        return
    target, why = connect_target(host, port)
    if target is None:
        conn.sendall(bytes([5, SOCKS_CODES[why], 0, 1, 0, 0, 0, 0, 0, 0]))
        return
    bound = target.getsockname()
    if ":" in bound[0]:
        reply = b"\x05\x00\x00\x04" + socket.inet_pton(socket.AF_INET6, bound[0].split("%")[0])
    else:
        reply = b"\x05\x00\x00\x01" + socket.inet_aton(bound[0])
    conn.sendall(reply + struct.pack("!H", bound[1]))
    relay(conn, target)


HTTP_STATUS = {"refused": "502 Bad Gateway", "timeout": "504 Gateway Timeout", "unreachable": "502 Bad Gateway",
               "not-allowed": "403 Forbidden", "failure": "502 Bad Gateway"}


def serve_http(conn, args):
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(1)
        if not chunk:
            return
        head += chunk
        if len(head) > 65536:
            return
    lines = head.decode("latin-1").split("\r\n")
    method, authority, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if method != "CONNECT":
        conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        return
    host, _, port = authority.rpartition(":")
    host = host.strip("[]")
    log("REQUEST %s %s %s" % ("domain" if not is_literal(host) else "literal", host, port))
    if "host" not in headers:
        conn.sendall(b"HTTP/1.1 400 Bad Request (no Host header)\r\nContent-Length: 0\r\n\r\n")
        return
    if args.user is not None:
        given = headers.get("proxy-authorization", "")
        expected = "Basic " + base64.b64encode(("%s:%s" % (args.user, args.password)).encode("utf-8")).decode("ascii")
        if given != expected:
            log("AUTH failed")
            conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            return
        log("AUTH ok " + args.user)
    if args.http_status is not None:
        conn.sendall(("HTTP/1.1 %s\r\nContent-Length: 0\r\n\r\n" % args.http_status).encode("latin-1"))
        return
    target, why = connect_target(host, int(port))
    if target is None:
        conn.sendall(("HTTP/1.1 %s\r\nContent-Length: 0\r\n\r\n" % HTTP_STATUS[why]).encode("latin-1"))
        return
    greeting = args.greeting.encode("utf-8") if args.greeting else b""
    conn.sendall(b"HTTP/1.1 200 Connection established\r\nProxy-Agent: nsock-test\r\n\r\n" + greeting)
    relay(conn, target)


def is_literal(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def handle(conn, args):
    try:
        if args.silent:
            conn.recv(65536)
            threading.Event().wait(600)
            return
        if args.kind == "socks5":
            serve_socks(conn, args)
        else:
            serve_http(conn, args)
    except (EOFError, OSError, ValueError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kind", choices=["socks5", "http"], default="socks5")
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--user")
    p.add_argument("--password", default="")
    p.add_argument("--socks-reply", type=int)
    p.add_argument("--http-status")
    p.add_argument("--silent", action="store_true")
    p.add_argument("--greeting")
    args = p.parse_args()
    family = socket.AF_INET6 if ":" in args.bind else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((args.bind, 0))
    server.listen(64)
    log("LISTENING %d" % server.getsockname()[1])
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn, args), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
