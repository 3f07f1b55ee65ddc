"""A chat client as the socket tutorials nsock grew from write one (stdlib only): connect, a thread that prints
every line received, and each line typed on stdin sent as one UTF-8 line. Usage: chat_client.py HOST PORT.
It leaves (closes its socket) when stdin ends, and says '*** disconnected' when the server closes."""
import socket
import sys
import threading

# A terminal would be UTF-8 already; a test's pipes may not say so.
sys.stdin.reconfigure(encoding="utf-8")
sys.stdout.reconfigure(encoding="utf-8")

HOST, PORT = sys.argv[1], int(sys.argv[2])
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect((HOST, PORT))


def receive():
    pending = b""
    while True:
        try:
            data = client.recv(1024)
        except OSError:
            break
        if not data:
            print("*** disconnected", flush=True)
            break
        pending += data
        # A UTF-8 character may be split between two reads: decode whole lines only.
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            print(line.decode("utf-8", errors="replace"), flush=True)


threading.Thread(target=receive, daemon=True).start()

for message in sys.stdin:
    client.sendall(message.rstrip("\n").encode("utf-8") + b"\n")

client.close()
