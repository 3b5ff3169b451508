"""Connect to a Label Studio server with the sdk, after checking that it answers and accepts the key.

Where the URL and the API key come from, first match wins (each one separately):

1. the arguments (``--url`` / ``--api-key`` in commands);
2. the environment: ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``;
3. the credentials file of the embedded server (``.counterclaim/credentials.json``).

Both kinds of Label Studio API key work:

- a legacy token (40 hex digits), sent as ``Authorization: Token <key>``; an organisation may have
  disabled these, the embedded server enables them;
- a personal access token, a JWT refresh token: the sdk exchanges it at ``/api/token/refresh/`` for a
  short-lived access token sent as ``Authorization: Bearer <access>``, and renews that when it expires.

No message, exception or ``repr`` made here contains the key: a key that could not go into an HTTP header (a control
character, a space, a character beyond ASCII) is refused before it is sent, without showing it, and an URL that
carries a user name, a password or a query (where tokens hide) is refused, shown with those parts masked.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from counterclaim.studio.credentials import default_credentials_path, read_credentials
from counterclaim.studio.errors import ApiKeyRejected, StudioError, StudioUnreachable

ENV_URL = "LABEL_STUDIO_URL"
ENV_API_KEY = "LABEL_STUDIO_API_KEY"
DEFAULT_TIMEOUT = 10.0

_START_HINT = "start it with `counterclaim studio serve` or pass --url"


@dataclass(frozen=True)
class Target:
    """A resolved URL and API key, with where each came from (for messages)."""

    url: str
    api_key: str = field(repr=False)
    url_source: str = "argument"
    key_source: str = "argument"


def redacted(url: str) -> str:
    """``url`` as it may be shown: a user name, password, query or fragment masked with ``***``."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "***"
    if not parts.scheme or not host:
        return "***" if any(not ch.isprintable() for ch in url) or "@" in url else repr(url.strip())[1:-1]
    netloc = ("***@" if "@" in parts.netloc else "") + (f"[{host}]" if ":" in host else host) + port
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "***" if parts.query else "",
                                    "***" if parts.fragment else ""))


def normalize_url(url: str) -> str:
    """``http://host:port`` without a trailing slash; raise on anything that is not an http(s) URL, and on an URL
    that carries credentials or a query (the message masks them)."""
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise StudioError(f"not a Label Studio URL: {redacted(text)}; expected something like "
                          "http://127.0.0.1:8080") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(not ch.isprintable() for ch in text):
        raise StudioError(f"not a Label Studio URL: {redacted(text)}; expected something like http://127.0.0.1:8080")
    if "@" in parts.netloc:
        raise StudioError(f"the Label Studio URL {redacted(text)} carries a user name or password; give the "
                          "server's address only (e.g. http://127.0.0.1:8080) and the key with --api-key or "
                          f"{ENV_API_KEY}")
    if parts.query or parts.fragment:
        raise StudioError(f"the Label Studio URL {redacted(text)} carries a query or fragment; give the server's "
                          "address only (e.g. http://127.0.0.1:8080) and the key with --api-key or "
                          f"{ENV_API_KEY}")
    return text.rstrip("/")


def check_api_key(key: str, source: str) -> str:
    """The key without surrounding white space; refused (never shown) if it cannot be sent in a header."""
    key = key.strip()
    where = "that was passed in" if source == "argument" else f"from {source}"
    if not key:
        raise StudioError(f"the API key {where} is empty; copy it from Account & Settings in Label Studio")
    for index, char in enumerate(key, start=1):
        if not char.isascii() or not char.isprintable() or char.isspace():
            what = "a control character" if not char.isprintable() else "white space" if char.isspace() else \
                "a character that is not ASCII"
            raise StudioError(f"the API key {where} contains {what} (character {index} of {len(key)}), so it cannot "
                              "be the key Label Studio gave; copy it again from Account & Settings")
    return key


def resolve(
    url: str | None = None,
    api_key: str | None = None,
    *,
    credentials_path: str | os.PathLike | None = None,
) -> Target:
    """Pick the URL and the key from arguments, then the environment, then the credentials file."""
    url_source = key_source = "argument"
    if not url and os.environ.get(ENV_URL):
        url, url_source = os.environ[ENV_URL], ENV_URL
    if not api_key and os.environ.get(ENV_API_KEY):
        api_key, key_source = os.environ[ENV_API_KEY], ENV_API_KEY
    if not url or not api_key:
        path = Path(credentials_path) if credentials_path is not None else default_credentials_path()
        if not path.exists():
            missing = "URL" if not url else "API key"
            flag = "--url" if not url else "--api-key"
            env = ENV_URL if not url else ENV_API_KEY
            raise StudioError(
                f"no Label Studio {missing}: pass {flag}, set {env}, or start the embedded server with "
                f"`counterclaim studio serve` (it writes {path})"
            )
        credentials = read_credentials(path)
        if not url:
            if not credentials.url:
                raise StudioError(
                    f"{path} names no server URL; start the server with `counterclaim studio serve` or pass --url"
                )
            url, url_source = credentials.url, str(path)
        if not api_key:
            api_key, key_source = credentials.api_key, str(path)
    return Target(url=normalize_url(url), api_key=check_api_key(api_key, key_source), url_source=url_source,
                  key_source=key_source)


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _unreachable(url: str, exc: Exception, secret: str = "") -> StudioUnreachable:
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc).lower()
        if "refused" in reason:
            why = "connection refused — is it running?"
        elif "name or service" in reason or "nodename" in reason or "getaddrinfo" in reason:
            why = "the host name does not resolve — check the URL"
        else:
            why = f"cannot connect ({_scrub(str(exc), secret)}) — is it running?"
    elif isinstance(exc, httpx.TimeoutException):
        why = "no answer in time — is the URL right, and is the server busy?"
    else:  # the exception's own words may quote a request header (the key): only its kind is shown
        why = f"{type(exc).__name__}"
    return StudioUnreachable(f"cannot reach Label Studio at {url}: {why} {_START_HINT}")


def check_health(url: str, *, timeout: float = DEFAULT_TIMEOUT, client: httpx.Client | None = None) -> None:
    """Raise StudioError unless ``GET URL/health`` answers 200."""
    own = client is None
    client = client or httpx.Client(timeout=timeout, trust_env=not _is_loopback(url))
    try:
        response = client.get(f"{url}/health")
    except httpx.HTTPError as exc:
        raise _unreachable(url, exc) from None
    finally:
        if own:
            client.close()
    if response.status_code != 200:
        raise StudioUnreachable(
            f"{url}/health answered HTTP {response.status_code}; is {url} a Label Studio server? "
            f"{_START_HINT}"
        )


def _rejected(target: Target, status: int | None, body: object) -> ApiKeyRejected:
    detail = body.get("detail") if isinstance(body, dict) else None
    detail = _scrub(str(detail), target.api_key) if detail else ""
    source = "that was passed in" if target.key_source == "argument" else f"from {target.key_source}"
    message = f"Label Studio at {target.url} rejected the API key {source} (HTTP {status}"
    message += f": {detail})" if detail else ")"
    if "legacy token" in detail.lower():
        message += (
            "; this organisation accepts only personal access tokens: create one under Account & Settings → "
            "Personal Access Token, or enable legacy tokens under Organization → API Tokens Settings"
        )
    else:
        message += "; check the key, or copy a fresh one from Account & Settings in the Label Studio UI"
    return ApiKeyRejected(message)


def server_url(ls) -> str:
    """The URL a client made by :func:`connect` talks to (the sdk keeps it in its client wrapper)."""
    return normalize_url(ls._client_wrapper.get_base_url())


def connect_project(layout, url: str | None = None, api_key: str | None = None):
    """A checked client for a project's server (arguments, environment, then the project's credentials file),
    and the URL it talks to."""
    target = resolve(url, api_key, credentials_path=layout.credentials_path)
    return connect(target.url, target.api_key), target.url


def connect(
    url: str | None = None,
    api_key: str | None = None,
    *,
    credentials_path: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
):
    """Return a ``label_studio_sdk.LabelStudio`` client that has just reached the server and been accepted.

    Raises StudioUnreachable or ApiKeyRejected (both StudioError) with a plain message.
    """
    from label_studio_sdk import LabelStudio
    from label_studio_sdk.core.api_error import ApiError

    target = resolve(url, api_key, credentials_path=credentials_path)
    check_health(target.url, timeout=timeout)
    # Long enough for imports and exports; a proxy from the environment is never used for a loopback URL.
    httpx_client = httpx.Client(
        timeout=max(timeout, 60.0), follow_redirects=True, trust_env=not _is_loopback(target.url)
    )
    try:
        ls = LabelStudio(base_url=target.url, api_key=target.api_key, httpx_client=httpx_client)
        ls.users.whoami()
    except ApiError as exc:
        httpx_client.close()
        if exc.status_code in (401, 403):
            raise _rejected(target, exc.status_code, exc.body) from None
        detail = exc.body.get("detail") if isinstance(exc.body, dict) else exc.body
        raise StudioError(
            f"Label Studio at {target.url} answered HTTP {exc.status_code} to a login check: "
            f"{_scrub(str(detail), target.api_key)[:300]}"
        ) from None
    except httpx.HTTPError as exc:
        httpx_client.close()
        raise _unreachable(target.url, exc, target.api_key) from None
    except ValueError as exc:  # e.g. an HTML page where the token refresh expects JSON
        httpx_client.close()
        raise StudioUnreachable(
            f"{target.url} gave an answer that is not Label Studio's to a login check ({type(exc).__name__}); "
            "is the URL right?"
        ) from None
    return ls


def api_call(what: str, fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)``, a call of the sdk; Label Studio's refusal becomes a :class:`StudioError` saying what
    was refused and why (the server's detail, cut at 500 characters)."""
    from label_studio_sdk.core.api_error import ApiError

    try:
        return fn(*args, **kwargs)
    except ApiError as exc:
        detail = exc.body.get("detail") if isinstance(exc.body, dict) else exc.body
        if isinstance(exc.body, dict) and not detail:
            detail = exc.body
        raise StudioError(f"Label Studio refused to {what} (HTTP {exc.status_code}): {str(detail)[:500]}") from None
