"""A TLS server for interop tests: python3's ssl (OpenSSL) with CERT and KEY, offering the ALPN protocols given
comma-separated in PROTOCOLS. Binds 127.0.0.1 port 0, prints the port, serves one client: writes
"alpn=<chosen>\n" (or "alpn=-") and closes."""
import socket
import ssl
import sys

cert, key, protocols = sys.argv[1], sys.argv[2], sys.argv[3]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
context.set_alpn_protocols(protocols.split(","))
with socket.socket() as listener:
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    print(listener.getsockname()[1], flush=True)
    listener.settimeout(30)
    conn, _ = listener.accept()
    conn.settimeout(30)
    with context.wrap_socket(conn, server_side=True) as tls:
        tls.sendall(("alpn=" + (tls.selected_alpn_protocol() or "-") + "\n").encode())
        try:
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass
