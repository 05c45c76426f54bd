"""The lesson server: loopback only, its own endpoints, and a stop that leaves nothing behind."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from loopviz.localhttp import URL_ENV, LessonServer


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def server():
    with LessonServer() as lesson_server:
        yield lesson_server


def test_binds_loopback_only(server: LessonServer) -> None:
    host, port = server.address
    assert host == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{port}"
    assert URL_ENV == "LOOPVIZ_HTTP_URL"


def test_delay(server: LessonServer) -> None:
    start = time.perf_counter()
    status, body = get(server.url + "/delay/0.3")
    assert time.perf_counter() - start >= 0.3
    assert status == 200
    assert json.loads(body) == {"delayed": 0.3}


def test_index_and_not_found(server: LessonServer) -> None:
    status, body = get(server.url + "/")
    assert status == 200 and b"/delay/" in body
    assert get(server.url + "/etc/passwd")[0] == 404
    assert get(server.url + "/delay")[0] == 404


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", ""])
def test_bad_delay(server: LessonServer, value: str) -> None:
    assert get(server.url + f"/delay/{value}")[0] == 400


def test_quiet(server: LessonServer, capfd: pytest.CaptureFixture[str]) -> None:
    get(server.url + "/")
    get(server.url + "/missing")
    assert capfd.readouterr().err == ""


def test_stop_leaves_nothing_behind() -> None:
    before = set(threading.enumerate())
    server = LessonServer()
    server.start()
    url = server.url
    port = server.address[1]
    assert get(url + "/")[0] == 200

    # A slow request still in flight must not keep stop() waiting.
    in_flight = threading.Thread(target=lambda: get(url + "/delay/20", timeout=30))
    in_flight.start()
    time.sleep(0.2)
    start = time.perf_counter()
    server.stop()
    assert time.perf_counter() - start < 2.5
    server.stop()  # idempotent
    in_flight.join(5)
    assert not in_flight.is_alive()

    assert set(threading.enumerate()) == before
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    with pytest.raises(RuntimeError):
        _ = server.url


def test_restart_after_stop() -> None:
    server = LessonServer()
    first = server.start()
    assert server.start() == first  # starting twice keeps the same server
    server.stop()
    with server:
        assert get(server.url + "/")[0] == 200
    assert not server.running


def test_the_kernel_sees_it_listening_on_loopback_only(server: LessonServer) -> None:
    """/proc/net/tcp lists the socket as 127.0.0.1, and no other address of this machine
    accepts a connection on that port."""
    _, port = server.address
    rows = [
        line.split()[1]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[3] == "0A" and line.split()[1].endswith(f":{port:04X}")
    ]
    assert rows == [f"0100007F:{port:04X}"]
    others = {
        info[4][0]
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not info[4][0].startswith("127.")
    }
    for address in others:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_is_answered(server: LessonServer, method: str) -> None:
    request = urllib.request.Request(server.url + "/delay/0", method=method, data=b"x")
    assert get(request)[0] in (405, 501)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "path", ["/delay/../../etc/passwd", "/%2e%2e/etc/passwd", "//etc/passwd", "/delay/0/extra"]
)
def test_paths_outside_its_endpoints_are_refused(server: LessonServer, path: str) -> None:
    status, body = get(server.url + path)
    assert status in (400, 404)
    assert b"root:" not in body


def test_garbage_on_the_socket_does_not_stop_the_server(server: LessonServer) -> None:
    host, port = server.address
    for junk in (b"\x00\xff" * 5000 + b"\r\n\r\n", b"GET " + b"a" * 70000 + b" HTTP/1.0\r\n\r\n"):
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(junk)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536):
                pass
    assert get(server.url + "/")[0] == 200
