"""loopviz's own lesson HTTP server: slow answers on demand, no network needed.

Lecture halls rarely have reliable network, and a blocking-call lesson needs a
request that takes a known time. So loopviz serves ``GET /delay/<seconds>``
itself, on 127.0.0.1 only, and hands scenarios the base URL in the
``LOOPVIZ_HTTP_URL`` environment variable.

Endpoints (nothing else is served):

- ``GET /delay/<seconds>`` → 200 after that many seconds (float, capped at
  :data:`MAX_DELAY`) with the JSON body ``{"delayed": <seconds>}``; a bad
  value → 400.
- ``GET /`` → 200, a short text naming the endpoints.
- anything else → 404.

Run it by hand with ``python -m loopviz.localhttp [--port N]``; it prints the
``export LOOPVIZ_HTTP_URL=...`` line to paste into the shell that runs a
scenario. Stdlib only, Qt-free.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import socket
import socketserver
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

__all__ = ["HOST", "MAX_DELAY", "URL_ENV", "LessonServer", "main"]

URL_ENV = "LOOPVIZ_HTTP_URL"
HOST = "127.0.0.1"  # loopback only: the lesson server is never reachable from the network
MAX_DELAY = 30.0  # seconds; a typo like /delay/1000 must not hang a lecture

_STOP_JOIN_TIMEOUT = 2.0  # seconds stop() waits for request threads in total


class _Handler(BaseHTTPRequestHandler):
    """Serves the lesson endpoints; one connection per request (HTTP/1.0)."""

    server: _LessonHTTPServer
    server_version = "loopviz-lesson"
    timeout = 10  # seconds; a client that connects and says nothing is dropped

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self._reply(HTTPStatus.OK, "text/plain; charset=utf-8", _INDEX.encode())
        elif path.startswith("/delay/"):
            self._delay(path.removeprefix("/delay/"))
        else:
            self._reply(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

    def _delay(self, text: str) -> None:
        try:
            seconds = float(text)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            body = f"bad delay {text!r}: expected seconds, e.g. /delay/1.5\n".encode()
            self._reply(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", body)
            return
        seconds = min(seconds, MAX_DELAY)
        # Wait on the server's stop event, not time.sleep: stop() must not hang
        # behind requests still in flight.
        if self.server.stopping.wait(seconds):
            self._reply(HTTPStatus.SERVICE_UNAVAILABLE, "text/plain", b"server stopping\n")
            return
        body = json.dumps({"delayed": seconds}).encode()
        self._reply(HTTPStatus.OK, "application/json", body)

    def _reply(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a lesson's terminal shows the scenario's output, not an access log."""


_INDEX = (
    "loopviz lesson server\n"
    "GET /delay/<seconds>  answers after that many seconds "
    f'(at most {MAX_DELAY:g}) with JSON {{"delayed": <seconds>}}\n'
)


class _LessonHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its request threads, so stop() can end them."""

    daemon_threads = True
    block_on_close = False  # we join our own threads, with a timeout

    def __init__(self, port: int) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._requests: dict[threading.Thread, socket.socket] = {}
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, a DNS lookup that can
        # stall for seconds on a lecture-hall network; we know our name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request(self, request: socket.socket, client_address: object) -> None:
        # Runs on the serving thread, so after shutdown() every thread is registered.
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="loopviz-lesson-request",
            daemon=True,
        )
        with self._lock:
            self._requests[thread] = request
        thread.start()

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._requests.pop(threading.current_thread(), None)

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that hangs up, or stop() cutting a connection, is not an error
        # worth a traceback in the lecturer's terminal; a bug in a handler is.
        if self.stopping.is_set() or isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)

    def end_requests(self, timeout: float) -> None:
        """Cut open connections and wait (bounded) for their threads to finish."""
        with self._lock:
            pending = dict(self._requests)
        for request in pending.values():
            with contextlib.suppress(OSError):  # already closed by the client
                request.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))


class LessonServer:
    """The lesson server, serving on a daemon thread until stop().

    Usable as a context manager::

        with LessonServer() as server:
            os.environ[URL_ENV] = server.url
    """

    def __init__(self, port: int = 0) -> None:
        self._port = port  # 0: let the OS pick a free port
        self._httpd: _LessonHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> str:
        """Bind 127.0.0.1 and serve in the background; returns the base URL.

        Starting a running server just returns its URL. Raises OSError if the
        requested port is taken.
        """
        with self._lock:
            if self._httpd is None:
                httpd = _LessonHTTPServer(self._port)
                thread = threading.Thread(
                    target=httpd.serve_forever,
                    kwargs={"poll_interval": 0.05},
                    name="loopviz-lesson-server",
                    daemon=True,
                )
                thread.start()
                self._httpd, self._thread = httpd, thread
            return self._url(self._httpd)

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8123``; RuntimeError if not running."""
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError("the lesson server is not running; call start() first")
        return self._url(httpd)

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the listening socket is bound to."""
        if self._httpd is None:
            raise RuntimeError("the lesson server is not running; call start() first")
        host, port = self._httpd.socket.getsockname()[:2]
        return host, port

    @staticmethod
    def _url(httpd: _LessonHTTPServer) -> str:
        host, port = httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        """Stop serving, end requests in flight, close the socket, join the threads.

        Idempotent; returns within a couple of seconds even with slow requests open.
        """
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
        if httpd is None or thread is None:
            return
        httpd.stopping.set()  # wakes /delay handlers at once
        httpd.shutdown()  # serve_forever returns; no new requests are accepted
        thread.join()
        httpd.server_close()  # closes the listening socket
        httpd.end_requests(_STOP_JOIN_TIMEOUT)

    def __enter__(self) -> LessonServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """``python -m loopviz.localhttp``: serve in the foreground until Ctrl+C."""
    parser = argparse.ArgumentParser(
        prog="python -m loopviz.localhttp",
        description="Serve loopviz's lesson endpoints (GET /delay/<seconds>) on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free)")
    args = parser.parse_args(argv)

    server = LessonServer(args.port)
    try:
        url = server.start()
    except OSError as exc:
        print(f"cannot listen on {HOST}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"export {URL_ENV}={url}", flush=True)
    print("Lesson server running; press Ctrl+C to stop.", file=sys.stderr, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
