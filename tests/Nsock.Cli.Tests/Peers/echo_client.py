"""A TCP client for interop tests: connects to HOST PORT, sends all of stdin (from a thread, so a large echo
cannot deadlock), half-closes, and copies everything the peer sends to stdout until it closes."""
import socket
import sys
import threading

host, port = sys.argv[1], int(sys.argv[2])
sock = socket.create_connection((host, port), timeout=20)


def send():
    while True:
        chunk = sys.stdin.buffer.read1(65536)
        if not chunk:
            break
        sock.sendall(chunk)
    sock.shutdown(socket.SHUT_WR)


sender = threading.Thread(target=send, daemon=True)
sender.start()
out = sys.stdout.buffer
while True:
    data = sock.recv(65536)
    if not data:
        break
    out.write(data)
out.flush()
sender.join(20)
