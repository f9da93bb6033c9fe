"""Fetch a job posting page by URL: bounded in time, size and redirects, no cookies kept.

httpx2 (the SDKs' own HTTP client, already installed with them) is imported lazily so
nothing pays for it unless a URL is given. Every failure becomes one InputError sentence
naming what went wrong and what to do: a 404, a timeout, a login wall, a page too big, a
file that is not a posting. The user's proxy settings (HTTP(S)_PROXY, NO_PROXY) are
honoured through `trust_env`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from resume_tui.errors import InputError

MAX_PAGE_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 5
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 20.0
TOTAL_TIMEOUT_S = 45.0  # a server dripping one byte per read timeout still ends
USER_AGENT = "resume-tui (job posting fetch; +https://pypi.org/project/resume-tui/)"

# content types we can read → what kind of document they are
_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "text",
    "text/x-markdown": "text",
    "application/json": "json",
    "application/ld+json": "json",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class FetchedPage:
    url: str  # what the user gave
    final_url: str  # after redirects
    kind: str  # "html", "text", "json", "pdf", "docx"
    body: bytes
    charset: str | None


def is_url(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def offline_refusal(url: str) -> InputError:
    return InputError(
        f"Offline mode sends nothing over the network, so the posting at {_host(url)} was not fetched — "
        "save the page (or its text) to a file and give that file instead, or run without offline mode."
    )


def fetch_page(
    url: str,
    *,
    offline: bool = False,
    max_bytes: int = MAX_PAGE_BYTES,
    connect_timeout_s: float = CONNECT_TIMEOUT_S,
    read_timeout_s: float = READ_TIMEOUT_S,
    total_timeout_s: float = TOTAL_TIMEOUT_S,
) -> FetchedPage:
    """GET `url` and return its body; raise InputError with one sentence on any failure."""
    url = url.strip()
    if offline:
        raise offline_refusal(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url!r} is not a web address — give an http:// or https:// link to the posting.")
    import httpx2

    host = parts.hostname
    timeout = httpx2.Timeout(connect=connect_timeout_s, read=read_timeout_s, write=read_timeout_s, pool=connect_timeout_s)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.5"}
    started = time.monotonic()
    try:
        # A fresh client per fetch, closed at once: no cookie outlives the request.
        with (httpx2.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
                            trust_env=True, headers=headers) as client,
              client.stream("GET", url) as response):
            _check_status(response.status_code, host)
            kind = _kind(response.headers.get("content-type", ""), host)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_big(host, max_bytes)
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise _too_big(host, max_bytes)  # stop reading: never hold more than the cap
                if time.monotonic() - started > total_timeout_s:
                    raise httpx2.ReadTimeout("total time exceeded")
            return FetchedPage(url=url, final_url=str(response.url), kind=kind, body=bytes(body),
                               charset=response.charset_encoding)
    except InputError:
        raise
    except httpx2.TooManyRedirects:
        raise InputError(f"{host} redirected more than {MAX_REDIRECTS} times — open the link in a browser "
                         "and give the address of the posting itself.") from None
    except httpx2.TimeoutException:
        raise InputError(f"{host} did not answer in time — check the link and your connection, or save the page "
                         "to a file and give that file instead.") from None
    except httpx2.ConnectError:
        raise InputError(f"Cannot connect to {host} — check the link, your connection and proxy settings, "
                         "or save the page to a file and give that file instead.") from None
    except (httpx2.HTTPError, httpx2.InvalidURL, UnicodeError) as exc:
        raise InputError(f"The posting at {host} could not be fetched ({type(exc).__name__}) — "
                         "save the page to a file and give that file instead.") from None


def _too_big(host: str, max_bytes: int) -> InputError:
    return InputError(f"The page at {host} is larger than {max_bytes // (1024 * 1024)} MB, too big for a job posting — "
                      "save just the posting's text to a file and give that file instead.")


def _check_status(status: int, host: str) -> None:
    if status < 400:
        return
    if status in (401, 403, 407):
        raise InputError(f"{host} asks for a login (HTTP {status}), so the posting cannot be read from the link — "
                         "open it in your browser, copy the posting's text and paste it (or save it to a file).")
    if status in (404, 410):
        raise InputError(f"{host} says the page does not exist (HTTP {status}) — the posting may be closed; "
                         "check the link.")
    if status == 429:
        raise InputError(f"{host} refused the request (HTTP 429, too many requests) — wait a minute and try again, "
                         "or save the page to a file.")
    raise InputError(f"{host} answered with an error (HTTP {status}) — try again later, or save the page to a file "
                     "and give that file instead.")


def _kind(content_type: str, host: str) -> str:
    mime = content_type.split(";", 1)[0].strip().lower()
    if not mime:
        return "html"  # servers that omit the header almost always send HTML; the parser checks
    kind = _TYPES.get(mime)
    if kind is None:
        raise InputError(f"The link at {host} is not a job posting page (it is {mime}) — give the link of the "
                         "posting's web page, or a PDF, DOCX or text file of it.")
    return kind
