"""A local group-robot webhook for the notifier and scan tests: http.server on 127.0.0.1 in a thread.

It records every request (path, query, JSON body) and answers from a script of (status, JSON body) pairs
(per path, or for any path), then with the robots' success answer `{"errcode": 0, "errmsg": "ok"}`.
"""

import json
import threading
import urllib.parse
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK = (200, {"errcode": 0, "errmsg": "ok"})


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict


class WebhookServer:
    def __init__(self):
        self.received: list[Received] = []
        self.script: deque[tuple[int, dict | str]] = deque()
        self.scripts: dict[str, deque[tuple[int, dict | str]]] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                parts = urllib.parse.urlsplit(self.path)
                with server._lock:
                    server.received.append(Received(
                        path=parts.path, query=dict(urllib.parse.parse_qsl(parts.query)),
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=json.loads(raw.decode("utf-8"))))
                    queue = server.scripts.get(parts.path) or server.script
                    status, answer = queue.popleft() if queue else OK
                payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def respond(self, *answers: tuple[int, dict | str], path: str | None = None) -> None:
        """The next answers (to requests for `path`, or to any), in order; afterwards OK again."""
        (self.script if path is None else self.scripts.setdefault(path, deque())).extend(answers)

    def bodies(self, path: str) -> list[dict]:
        return [r.body for r in self.received if r.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
