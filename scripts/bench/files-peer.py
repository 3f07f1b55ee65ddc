#!/usr/bin/env python3
"""A peer for nsock's file protocol that never hashes (the sink speaks version 2, the source version 1, which
receivers still take), so that the files scenario of scripts/bench/bench.py can time one end of a
verified transfer alone (as if the other end were another machine):

  files-peer.py sink                      listen on 127.0.0.1:0, print the port, take one sender; read every
                                          file's bytes into one buffer (discarded) and answer 'V' without checking;
                                          prints "received N bytes" at the end
  files-peer.py source PORT FILE SHA256   send FILE with sendfile(2) to 127.0.0.1:PORT, then SHA256 (hex, computed
                                          beforehand by the caller); exits 0 only on the receiver's 'V'

Only 127.0.0.1. Not a test of nsock's checks (the sink accepts anything): a load generator for the bench.
"""
import os
import socket
import struct
import sys


def exactly(s, n):
    b = bytearray()
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            sys.exit("the peer closed the connection early")
        b += chunk
    return bytes(b)


def sink():
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    print(ls.getsockname()[1], flush=True)
    c, _ = ls.accept()
    if exactly(c, 4) != b"NSFT":
        sys.exit("no NSFT greeting")
    version = exactly(c, 2)[0]
    if version not in (1, 2):
        sys.exit("the sender speaks version %d" % version)
    c.sendall(b"NSFT" + bytes([version, 0]))
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    total = 0
    while exactly(c, 1) == b"F":
        (n,) = struct.unpack(">H", exactly(c, 2))
        exactly(c, n)
        (size,) = struct.unpack(">q", exactly(c, 20)[:8])
        # Version 2 names the digest after the mtime: 1 XXH3-128 (16 bytes), 2 SHA-256 (32); version 1 is SHA-256.
        digest = 32 if version == 1 or exactly(c, 1) == b"\x02" else 16
        c.sendall(b"A" + struct.pack(">q", 0))
        left = size
        while left:
            k = c.recv_into(view, min(left, len(buf)))
            if not k:
                sys.exit("the sender closed the connection in the middle of a file")
            left -= k
        total += size
        exactly(c, digest)
        c.sendall(b"V")
    c.close()
    print("received %d bytes" % total, flush=True)


def source(port, path, sha):
    c = socket.create_connection(("127.0.0.1", int(port)))
    c.sendall(b"NSFT\x01\x00")
    if exactly(c, 4) != b"NSFT" or exactly(c, 2)[1] != 0:
        sys.exit("the receiver does not speak version 1")
    name = os.path.basename(path).encode()
    size = os.path.getsize(path)
    c.sendall(b"F" + struct.pack(">H", len(name)) + name + struct.pack(">qIq", size, 0o644, -(2**63)))
    answer = exactly(c, 1)
    if answer != b"A":
        sys.exit("the receiver did not accept the file: %r" % answer)
    (offset,) = struct.unpack(">q", exactly(c, 8))
    with open(path, "rb") as f:
        while offset < size:
            sent = os.sendfile(c.fileno(), f.fileno(), offset, size - offset)
            if sent == 0:
                sys.exit("the file ended early")
            offset += sent
    c.sendall(bytes.fromhex(sha))
    verdict = exactly(c, 1)
    if verdict != b"V":
        sys.exit("the receiver did not verify the file: %r" % verdict)
    c.sendall(b"E")
    c.shutdown(socket.SHUT_WR)
    while c.recv(65536):
        pass


if __name__ == "__main__":
    if sys.argv[1:2] == ["sink"]:
        sink()
    elif sys.argv[1:2] == ["source"] and len(sys.argv) == 5:
        source(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
