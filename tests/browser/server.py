"""The live server the browser tests drive: Werkzeug's threaded server on the test app.

A browser drops connections it no longer needs (a page left before its fonts arrived). When
the drop lands while Werkzeug discards the request's unread input, Werkzeug skips closing the
response, and a static file's handle is left to the garbage collector: a `ResourceWarning`
that the suite's warnings-as-errors turns into a failure of whichever test is running. The
server here keeps each response in its request's environ and closes it when the connection
drops, as a production server does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

RESPONSE = "devtrack.tests.response"


class _ClosingRequestHandler(WSGIRequestHandler):
    def connection_dropped(
        self, error: BaseException, environ: WSGIEnvironment | None = None
    ) -> None:
        response: Any = (environ or {}).pop(RESPONSE, None)
        close = getattr(response, "close", None)
        if close is not None:
            close()


def _keeping_response(app: WSGIApplication) -> WSGIApplication:
    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        environ[RESPONSE] = response
        return response

    return application


@contextmanager
def serving(app: WSGIApplication, port: int = 0) -> Iterator[str]:
    """Serves `app` on 127.0.0.1 (`port` 0: a free one) until the block ends; yields its URL."""
    server = make_server(
        "127.0.0.1",
        port,
        _keeping_response(app),
        threaded=True,
        request_handler=_ClosingRequestHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
