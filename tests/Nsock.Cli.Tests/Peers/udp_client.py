"""A UDP client for interop tests: sends each argument after HOST PORT as one datagram to HOST PORT and
prints each reply on its own line."""
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
with socket.socket(family, socket.SOCK_DGRAM) as sock:
    sock.settimeout(10)
    for message in sys.argv[3:]:
        sock.sendto(message.encode(), (host, port))
        reply, _ = sock.recvfrom(65535)
        print(reply.decode(), flush=True)
