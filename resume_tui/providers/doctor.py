"""`resume-tui doctor`: which providers are configured and reachable — never printing a key.

Reachability is a cheap, free request (list models; `claude --version` for the CLI) with a
short timeout, so doctor is safe to run on a metered key and quick on a dead network.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

from resume_tui.config import Settings, key_source
from resume_tui.providers.base import ErrorKind, ProviderError
from resume_tui.providers.catalog import AUTO_MODEL, LOCAL_SERVERS, family_of, how_to_configure, redaction_on
from resume_tui.providers.errors_map import redact, transport_failure
from resume_tui.providers.health import safe_url
from resume_tui.providers.router import Router


@dataclass
class ProviderStatus:
    name: str
    family: str
    configured: bool
    reachable: bool | None  # None: not checked (not configured, or offline)
    model: str = ""
    base_url: str | None = None
    key_source: str | None = None  # "env ANTHROPIC_API_KEY", "config file" — never the key
    detail: str = ""
    in_chain: bool = False
    redacted: bool = False  # contact details replaced by placeholders before calls to it

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "family": self.family, "configured": self.configured, "reachable": self.reachable,
                "model": self.model, "base_url": self.base_url, "key_source": self.key_source, "detail": self.detail,
                "in_chain": self.in_chain, "redacted": self.redacted}


def check_providers(settings: Settings, *, timeout_s: float = 5.0, probe: bool = True) -> list[ProviderStatus]:
    """Synchronous entry point for the doctor command (runs its own event loop)."""
    return asyncio.run(acheck_providers(settings, timeout_s=timeout_s, probe=probe))


async def acheck_providers(settings: Settings, *, timeout_s: float = 5.0, probe: bool = True) -> list[ProviderStatus]:
    chain = settings.chain()
    names = list(dict.fromkeys(["anthropic", "openai", "gemini", "claude_cli", *settings.providers, *chain]))
    names = [n for n in names if n != "offline"]
    statuses = await _check(settings, names, timeout_s=timeout_s, probe=probe)
    statuses.append(offline_status())
    return statuses


async def acheck_provider(settings: Settings, name: str, *, timeout_s: float = 5.0, probe: bool = True) -> ProviderStatus:
    """One provider's status, as doctor reports it: the Settings screen's "test connection" and
    its check of a newly chosen provider (run in a worker; the probe is one free request)."""
    if name == "offline":
        return offline_status()
    (status,) = await _check(settings, [name], timeout_s=timeout_s, probe=probe)
    return status


def offline_status() -> ProviderStatus:
    return ProviderStatus(name="offline", family="offline", configured=True, reachable=True,
                          detail="deterministic engine, always last in the chain", in_chain=True)


async def _check(settings: Settings, names: list[str], *, timeout_s: float, probe: bool) -> list[ProviderStatus]:
    chain = settings.chain()
    router = Router(settings, cache=False, names=names)
    statuses = []
    for name in names:
        family = family_of(name)
        ps = settings.provider_settings(name)
        st = ProviderStatus(name=name, family=family, configured=router.configured(name), reachable=None,
                            model=router.model_for(name, "generate_plan", settings.level),
                            base_url=ps.base_url or LOCAL_SERVERS.get(name), key_source=key_source(name, settings),
                            in_chain=name in chain, redacted=redaction_on(settings, name))
        if not st.configured:
            st.detail = how_to_configure(name, family)
        statuses.append(st)
    try:
        if probe:
            await asyncio.gather(*(_probe(router, st, timeout_s) for st in statuses if st.configured))
    finally:
        await router.aclose()
    secrets = tuple(settings.secrets())
    for st in statuses:
        st.detail = redact(st.detail, secrets)
    return statuses


def status_line(st: ProviderStatus) -> str:
    """One sentence for the Settings screen: usable or not, and why — never the key itself."""
    if st.name == "offline":
        return "✓ offline: the deterministic engine serves every task; nothing is sent anywhere."
    where = f" at {safe_url(st.base_url)}" if st.base_url else ""
    key = f"; key from {st.key_source}" if st.key_source else ""
    if not st.configured:
        return f"✗ {st.name} is not set up ({st.detail}); runs would use the offline engine."
    if st.reachable is False:
        return f"✗ {st.name}{where}: {st.detail.rstrip('.')}; runs would fall back to the offline engine."
    if st.reachable:
        model = f" (model {st.model})" if st.model else ""
        return f"✓ {st.name} answered{where}{model}{key}."
    return f"· {st.name} is set up{where}{key}; not contacted yet (ctrl+t tests the connection)."


async def _probe(router: Router, st: ProviderStatus, timeout_s: float) -> None:
    try:
        await router._adapter(st.name, st.family, st.model).warm()
        await asyncio.wait_for(_ping(router, st, timeout_s), timeout_s + 1.0)
        st.reachable = True
        st.detail = st.detail or "reachable"
    except ProviderError as exc:
        st.reachable = False
        st.detail = exc.message
    except Exception as exc:  # noqa: BLE001 - doctor reports, it never crashes
        st.reachable = False
        adapter = router._adapter(st.name, st.family, st.model)
        err = adapter._map_error(exc) if not isinstance(exc, asyncio.TimeoutError) else None
        st.detail = err.message if err else f"no answer within {timeout_s:g} s"
        if transport_failure(exc) == "refused":  # the run's words for it (providers/health.py)
            st.detail = "connection refused: nothing is listening there; check the base URL and that the server is running"
        timed_out = isinstance(exc, asyncio.TimeoutError) or (err is not None and err.kind == ErrorKind.TIMEOUT)
        if timed_out and st.base_url and await _listening(st.base_url, min(timeout_s, 2.0)):
            # llama.cpp's server holds even its model list while it generates an answer
            st.detail = (f"it accepts connections but did not answer within {timeout_s:g} s; it may be busy "
                         "answering another request (local servers often answer one at a time).")


async def _listening(base_url: str, timeout_s: float) -> bool:
    """Whether something accepts TCP connections at the base URL's host and port."""
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, port), timeout_s)
    except (TimeoutError, OSError):
        return False
    writer.close()
    try:
        await writer.wait_closed()
    except OSError:
        pass
    return True


async def _ping(router: Router, st: ProviderStatus, timeout_s: float) -> None:
    adapter = router._adapter(st.name, st.family, st.model)
    try:
        if st.family == "claude_cli":
            import shutil

            proc = await asyncio.create_subprocess_exec(shutil.which("claude") or "claude", "--version",
                                                        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            try:
                out, _ = await asyncio.wait_for(proc.communicate(), timeout_s)
            except TimeoutError:
                proc.kill()
                await proc.wait()
                raise
            if proc.returncode != 0:
                raise RuntimeError("claude --version failed")
            st.detail = out.decode("utf-8", "replace").strip()[:80]
            return
        client = adapter._get_client()  # type: ignore[attr-defined]
        if st.family == "anthropic":
            await client.with_options(timeout=timeout_s).models.list(limit=1)
        elif st.family == "gemini":
            from google.genai import types

            await client.aio.models.list(config=types.ListModelsConfig(page_size=1, http_options=types.HttpOptions(timeout=int(timeout_s * 1000))))
        else:
            page = await client.with_options(timeout=timeout_s).models.list()
            ids = [m.id for m in getattr(page, "data", None) or [] if getattr(m, "id", None)]
            if st.model == AUTO_MODEL and ids:  # show what a local server will actually use
                st.model = PurePath(ids[0]).name if ids[0].startswith("/") else ids[0]
    finally:
        await adapter.aclose()
