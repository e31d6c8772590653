"""An in-process, size-bounded cache of rendered personal pages, and the view decorator.

Each app server keeps its own; they agree through the revisions in the database, so several
workers and hosts never serve a page older than the data behind it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, make_response, request, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.pagecache.revisions import site_revision

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])

EXTENSION = "devtrack.page_cache"
# Where the page's CSRF token stood: each visitor gets their own session's token back.
CSRF_MARK = b"\x00devtrack-csrf\x00"
# Set when a request writes to the database. A page whose rendering wrote something (the
# access log's record of a read of someone else's data) is not kept: a cached copy would
# skip the write.
WROTE = "page_cache_request_wrote"


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    mimetype: str


class PageCache:
    """Least recently used pages first out, within `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[tuple[Any, ...], CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: CachedPage) -> None:
        if len(page.body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._pages[key] = page
            self.size += len(page.body)
            while self.size > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self.size -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._pages)


def page_cache_of(app: Flask) -> PageCache | None:
    found: PageCache | None = app.extensions.get(EXTENSION)
    return found


def page_cache() -> PageCache | None:
    return page_cache_of(current_app)


def current_site_revision() -> int:
    """Loaded with the signed-in person (auth's user loader); asked for only if it was not."""
    if "site_revision" not in g:
        g.site_revision = db.session.scalar(site_revision())
    return int(g.site_revision or 0)


def _key() -> tuple[Any, ...]:
    return (
        current_user.id,
        current_user.page_revision,
        current_site_revision(),
        str(get_locale()),
        today_in_denmark(),  # "overdue" and "this year's round" change at midnight
        request.full_path,
    )


def _storable(response: Response) -> bool:
    return (
        response.status_code == 200
        and not response.direct_passthrough
        and not g.get(WROTE)
        and not session.modified  # a page that changed the session must run every time
    )


def _keep(response: Response) -> CachedPage:
    body = response.get_data()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(str(token).encode(), CSRF_MARK)
    return CachedPage(body=body, mimetype=response.mimetype or "text/html")


def _serve(page: CachedPage) -> Response:
    body = page.body
    if CSRF_MARK in body:
        body = body.replace(CSRF_MARK, generate_csrf().encode())
    return Response(body, mimetype=page.mimetype)


def personal_page(view: F) -> F:
    """Serve the signed-in person's page from the cache while nothing it shows has changed.

    Goes inside `login_required` and on GET views whose page depends only on the signed-in
    person, the address, the language and the date. Pages with a message to show (flash),
    error pages and pages that logged a read of someone else's data are never kept.
    """

    @wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        cache = page_cache()
        if (
            cache is None
            or request.method != "GET"
            or not current_user.is_authenticated
            or "_flashes" in session
        ):
            return view(*args, **kwargs)
        key = _key()
        page = cache.get(key)
        if page is not None:
            return _serve(page)
        response = make_response(view(*args, **kwargs))
        if _storable(response):
            cache.put(key, _keep(response))
        return response

    return cached_view  # type: ignore[return-value]


@event.listens_for(Session, "after_flush")
def _note_write(_session: Session, _context: Any) -> None:
    if has_request_context():
        setattr(g, WROTE, True)


def init_app(app: Flask) -> None:
    import devtrack.pagecache.revisions  # noqa: F401  (the listeners that bump revisions)

    megabytes = int(app.config["PAGE_CACHE_MB"])
    app.extensions[EXTENSION] = PageCache(megabytes * 1024 * 1024) if megabytes > 0 else None
