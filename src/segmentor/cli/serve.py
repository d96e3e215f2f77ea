"""``segmentor serve``: the HTTP API (FastAPI on uvicorn)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from segmentor import services
from segmentor.api.app import create_app
from segmentor.cli import app
from segmentor.cli.core import ModelOption, console, load_model
from segmentor.errors import SegmentorError
from segmentor.io.store import Store
from segmentor.ml import trained
from segmentor.settings import Settings, get_settings


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    no_auth: Annotated[
        bool,
        typer.Option("--no-auth", help="No API key needed (only allowed on a loopback host)."),
    ] = False,
    model: ModelOption = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes sharing the port (one per core uses every core: a process "
            "runs its Python on one core at a time). Each loads the model.",
        ),
    ] = 1,
) -> None:
    """Serve the API: POST /predict, POST /predict/file, GET /model, GET /health, /docs."""
    settings = get_settings()
    keys = () if no_auth else api_keys(settings)
    check_host(host, no_auth)
    fitted = load_model(model)  # trains the default model first if there is none
    served = ServedApi(
        model_dir=model or settings.model_path,
        api_keys=keys,
        auth=not no_auth,
        database_url=settings.database_url,
        max_body_bytes=settings.max_body_bytes,
        max_rows=settings.max_rows,
        cache_dir=settings.compiled_cache,
    )
    store = services.batch_store(settings.database_url)
    auth = "no key needed (--no-auth)" if no_auth else f"{len(keys)} API key(s)"
    processes = f", {workers} processes" if workers > 1 else ""
    console.print(
        f"Serving on http://{host}:{port} ({auth}{processes}); batches stored in {store.url}"
    )
    try:
        if workers == 1:
            uvicorn.run(served.create(fitted, store), host=host, port=port, log_level="info")
        else:
            del fitted  # each worker loads its own
            config = uvicorn.Config(
                served, factory=True, host=host, port=port, workers=workers, log_level="info"
            )
            Multiprocess(config, sockets=[tcp_listener(config.bind_socket())]).run()
    finally:
        store.close()


def tcp_listener(sock: socket.socket) -> socket.socket:
    """The listening socket, saying it is TCP, so that asyncio turns Nagle's algorithm off
    on each connection it accepts.

    uvicorn's ``Config.bind_socket`` leaves the socket's protocol at 0 and asyncio sets
    TCP_NODELAY only on sockets that report IPPROTO_TCP: with ``--workers`` every answer
    after a connection's first waited for the client's delayed ACK, about 40 ms (GET /health
    1.1 -> 44 ms at the median; uvicorn issue #3149). The same descriptor, re-wrapped.
    """
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


@dataclass(frozen=True)
class ServedApi:
    """What a server process builds its API from: plain values, so that uvicorn can hand
    them to its worker processes (``--workers``), where the instance is the app factory."""

    model_dir: Path
    api_keys: tuple[str, ...]
    auth: bool
    database_url: str
    max_body_bytes: int
    max_rows: int
    cache_dir: Path | None

    def create(self, fitted: trained.TrainedModel, store: Store) -> FastAPI:
        return create_app(
            fitted,
            store,
            api_keys=self.api_keys,
            auth=self.auth,
            max_body_bytes=self.max_body_bytes,
            max_rows=self.max_rows,
        )

    def __call__(self) -> FastAPI:
        """A worker's API: the model (already trained by the parent) and its own store."""
        fitted = trained.load(self.model_dir, cache_dir=self.cache_dir)
        return self.create(fitted, services.batch_store(self.database_url))


def api_keys(settings: Settings) -> tuple[str, ...]:
    """The accepted keys: SEGMENTOR_API_KEYS plus SEGMENTOR_API_KEYS_FILE (one per line,
    blank lines and ``#`` comments ignored). Refuses to go on with none."""
    keys = list(settings.api_keys)
    if settings.api_keys_file is not None:
        keys.extend(read_keys_file(settings.api_keys_file))
    if not keys:
        raise SegmentorError(
            "no API key is configured; the server will not start without one",
            fix="set SEGMENTOR_API_KEYS=key1,key2 or SEGMENTOR_API_KEYS_FILE, "
            "or use --no-auth on a loopback host",
        )
    return tuple(dict.fromkeys(keys))


def read_keys_file(path: Path) -> list[str]:
    """The keys of a keys file."""
    try:
        # utf-8-sig: Notepad's BOM must not become part of the first key.
        lines = path.expanduser().read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SegmentorError(
            f"cannot read the API keys file ({getattr(error, 'strerror', None) or error})",
            file=str(path),
            fix="check SEGMENTOR_API_KEYS_FILE: a readable UTF-8 file, one key per line",
        ) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def check_host(host: str, no_auth: bool) -> None:
    """With --no-auth, only a loopback address (127.0.0.1, ::1, localhost) is allowed."""
    if no_auth and not is_loopback(host):
        raise SegmentorError(
            "--no-auth is only allowed on a loopback address",
            value=host,
            fix="use --host 127.0.0.1, or configure API keys to listen on other addresses",
        )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
