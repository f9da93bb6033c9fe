"""A loopback web server for posting fetch tests: job pages, redirects, errors, slow and huge bodies.

Routes map a path to a `Route` (status, content type, body, extra headers, a delay before
answering, or a streamed body of N bytes without Content-Length). Every request's path is
recorded so a test can tell whether a re-run fetched again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Route:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    stream_bytes: int = 0  # > 0: send this many bytes chunked, without Content-Length


class PostingServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                return

            def do_GET(self) -> None:
                outer.requests.append(self.path)
                route = outer.routes.get(self.path, Route(status=404, body="<html><body>Not found</body></html>"))
                if route.delay_s and outer.stop.wait(route.delay_s):
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                try:
                    if route.stream_bytes:
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                        sent = 0
                        while sent < route.stream_bytes and not outer.stop.is_set():
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                            sent += len(chunk)
                        self.wfile.write(b"0\r\n\r\n")
                        return
                    body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client stopped reading: what the size cap is for

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                return  # a client that hung up (timeout, size cap) is what these tests provoke

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        time.sleep(0)
