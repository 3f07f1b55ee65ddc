"""A TCP echo server for interop tests: binds HOST (default 127.0.0.1) port 0, prints the port, then echoes
every client until it half-closes, and half-closes back so the client sees the end of its echo."""
import socket
import socketserver
import sys


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                break
            self.request.sendall(data)
        self.request.shutdown(socket.SHUT_WR)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True


host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
Server.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
with Server((host, 0), Echo) as server:
    print(server.server_address[1], flush=True)
    server.serve_forever()
