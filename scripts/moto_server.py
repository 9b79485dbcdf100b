#!/usr/bin/env python3
"""Serialising launcher for the AWS emulator (moto server) of the local stack.

Serves Cognito (incl. ``/<pool id>/.well-known/jwks.json``), DynamoDB and path-style S3 on one port, like
``moto_server``, but hands the emulator one request at a time: moto's DynamoDB transactions (and a few other
read-modify-write paths) are not thread-safe. Connections are still accepted concurrently; a request body is
read and a response is buffered outside the lock, so a slow client never holds the emulator.

Usage: moto_server.py [--host 127.0.0.1] [--port 5000]   (port also from $MOTO_PORT)
State is memory only: restarting the emulator means resetting the shop (README "Run it").
Set MOTO_LOG_REQUESTS=1 to log every request (server errors are always logged).
"""

import argparse
import io
import os
import signal
import sys
import threading
import time

from werkzeug.serving import make_server

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)

HEALTH_PATH = "/__launcher/health"


class QuietRequestHandler(MotoRequestHandler):
    """Logs only server errors unless MOTO_LOG_REQUESTS is set (the outbox relays poll all day)."""

    log_all = os.environ.get("MOTO_LOG_REQUESTS", "") not in ("", "0", "false")

    def log_request(self, code="-", size="-"):
        try:
            status = int(getattr(code, "value", code))
        except (TypeError, ValueError):
            status = 0
        if self.log_all or status >= 500:
            super().log_request(code, size)


class Serialised:
    """WSGI middleware: one call into the wrapped app at a time, response fully buffered under the lock."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == HEALTH_PATH:
            # Answered without the lock, so a liveness probe never waits for a long emulator call.
            body = b'{"status":"ok","server":"moto"}'
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]

        _buffer_request_body(environ)

        captured = {}

        def capture(status, headers, exc_info=None):
            captured["args"] = (status, headers, exc_info)
            return lambda data: captured.setdefault("written", []).append(data)

        with self.lock:
            result = self.app(environ, capture)
            try:
                chunks = [chunk for chunk in result]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()

        status, headers, exc_info = captured["args"]
        start_response(status, headers, exc_info)
        return captured.get("written", []) + chunks


def _buffer_request_body(environ):
    """Reads the whole request body before taking the lock (an upload may arrive slowly)."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isdigit():
        data = stream.read(int(length)) if int(length) > 0 else b""
    elif environ.get("wsgi.input_terminated"):
        data = stream.read()
    else:
        return
    environ["wsgi.input"] = io.BytesIO(data)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-H", "--host", default=os.environ.get("MOTO_HOST", "127.0.0.1"))
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("MOTO_PORT", "5000")))
    args = parser.parse_args(argv)

    # moto builds some self-referencing URLs from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(args.port)

    moto_app = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        args.host,
        args.port,
        Serialised(moto_app),
        threaded=True,
        request_handler=QuietRequestHandler,
    )

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    print(f"{stamp} moto (serialised) listening on http://{args.host}:{args.port} pid {os.getpid()}", flush=True)
    try:
        server.serve_forever()
    except SystemExit:
        pass
    finally:
        server.server_close()
        print(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} moto stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
