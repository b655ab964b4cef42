"""Serve the sandbox app over real HTTP on loopback (`localcx sandbox serve`, and tests).

A threading wsgiref server, bound to 127.0.0.1 only: the emulator accepts any bearer token,
so it must never listen on a reachable interface. It is quiet unless `verbose`, and it turns
the app's injected network faults into what a client would see on a real network:
- ConnectionResetError → the connection is dropped (RST) with no response at all;
- TimeoutError → the connection is held open `timeout_seconds`, then closed, no response.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import sys
import threading
from collections.abc import Callable, Iterable
from typing import IO, Any, cast
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class _Handler(ServerHandler):
    """wsgiref's handler, minus the 500 page and traceback for injected faults."""

    fault: str | None = None

    def handle_error(self) -> None:
        if self.fault is None:
            super().handle_error()


class _RequestHandler(WSGIRequestHandler):
    server: SandboxServer

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _Handler(self.rfile, cast(IO[bytes], self.wfile), sys.stderr,
                           self.get_environ(), multithread=False)
        handler.request_handler = self  # type: ignore[attr-defined]
        app = self.server.get_app()
        assert app is not None

        def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            try:
                return app(environ, start_response)
            except ConnectionResetError:
                handler.fault = "reset"
                raise
            except TimeoutError:
                handler.fault = "timeout"
                raise

        handler.run(guarded)
        if handler.fault == "reset":
            self._abort()
        elif handler.fault == "timeout":
            self.server.stopping.wait(self.server.timeout_seconds)
            self._abort()

    def _abort(self) -> None:
        """Close with RST and make sure nothing more is written to the socket."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.wfile = cast(Any, _Sink())  # finish() flushes wfile: nothing left to send


class _Sink:
    closed = False

    def write(self, data: bytes) -> int:
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class SandboxServer(socketserver.ThreadingMixIn, WSGIServer):
    """The running server: `port`, `url`, `start()`, `stop()`; usable as a context manager."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: Callable[..., Iterable[bytes]], host: str, port: int, *,
                 timeout_seconds: float, verbose: bool):
        self.timeout_seconds = timeout_seconds
        self.verbose = verbose
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _RequestHandler)
        self.set_app(app)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SandboxServer:
        """Serve in a daemon thread and return at once."""
        self._thread = threading.Thread(target=self.serve_forever, name="localcx-sandbox",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        self.stopping.set()  # release connections held by injected timeouts
        super().shutdown()

    def server_close(self) -> None:
        self.stopping.set()
        super().server_close()

    def stop(self) -> None:
        """Stop serving, release held connections and close the socket."""
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_server(app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0, *,
                timeout_seconds: float = 30.0, verbose: bool = False) -> SandboxServer:
    """A bound (not yet serving) server; `port=0` picks a free port (read `server.port`)."""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"the sandbox listens on 127.0.0.1 only, not {host!r}: it accepts any "
                         "token, so it must not be reachable from other machines")
    return SandboxServer(app, "127.0.0.1", port, timeout_seconds=timeout_seconds, verbose=verbose)


def start_server(app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0, *,
                 timeout_seconds: float = 30.0, verbose: bool = False) -> SandboxServer:
    """make_server + start(): serving in a background thread; call `stop()` when done."""
    return make_server(app, host, port, timeout_seconds=timeout_seconds, verbose=verbose).start()


def serve(app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0, *,
          timeout_seconds: float = 30.0, verbose: bool = False,
          ready: Callable[[SandboxServer], None] | None = None) -> None:
    """Serve in the foreground until interrupted (Ctrl-C); `ready(server)` is called once
    bound, e.g. to print the URL."""
    server = make_server(app, host, port, timeout_seconds=timeout_seconds, verbose=verbose)
    try:
        if ready is not None:
            ready(server)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
