"""``segmentor app``: the manager's web app (Streamlit), headless on localhost."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Annotated, Literal

import typer

from segmentor import services
from segmentor.cli import app
from segmentor.cli.core import ModelOption, console, model_directory
from segmentor.ml import trained

APP_ENTRY = Path(__file__).resolve().parent.parent / "app" / "Home.py"
MAX_UPLOAD_MB = 50


@app.command("app")
def run_app(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port on 127.0.0.1.")] = 8501,
    lang: Annotated[
        Literal["en", "fr"] | None,
        typer.Option("--lang", help="Default language: en or fr (default: SEGMENTOR_LANG)."),
    ] = None,
    model: ModelOption = None,
) -> None:
    """Open the web app: segment prospects one by one or by file, profiles, market check."""
    directory = model_directory(model)
    ensure_model(directory)
    url = f"http://127.0.0.1:{port}"
    console.print(f"Starting the Segmentor app on {url} …  (Ctrl+C to stop)")
    process = subprocess.Popen(streamlit_command(port), env=app_environment(directory, lang))
    threading.Thread(target=warm_up, args=(port, url), daemon=True).start()
    try:
        code = process.wait()
    except KeyboardInterrupt:
        process.terminate()
        code = process.wait()
    raise typer.Exit(code=code)


def warm_up(port: int, url: str) -> None:
    """Run the app's script once in a throwaway session as soon as the server is up.

    Streamlit only runs a script when a browser connects; this run imports the libraries,
    loads the model and scores the bundled prospects into the server's caches, so the
    manager's first page opens at once. Best effort: any failure is left to the real run.
    """
    try:
        wait_until_healthy(port, timeout=120)
        with urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=180):
            pass
    except OSError:
        return
    console.print(f"Segmentor app ready: {url}")


def ensure_model(directory: Path) -> None:
    """Train the default model first if there is none, so the first page opens quickly."""
    if trained.exists(directory):
        return
    with console.status("Training the segment model (first start only)…"):
        services.load_model(None, directory, progress=console.print)


def streamlit_command(port: int) -> list[str]:
    """The ``streamlit run`` command line of the app, headless on 127.0.0.1."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_ENTRY),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.maxUploadSize",
        str(MAX_UPLOAD_MB),
        # /_stcore/script-health-check, used by warm_up() to fill the caches at start.
        "--server.scriptHealthCheckEnabled",
        "true",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--theme.primaryColor",
        "#4E79A7",
    ]


def app_environment(directory: Path, lang: str | None) -> dict[str, str]:
    """The environment of the app: settings travel as SEGMENTOR_* variables."""
    env = dict(os.environ)
    env["SEGMENTOR_MODEL_DIR"] = str(directory)
    if lang is not None:
        env["SEGMENTOR_LANG"] = lang
    return env


def wait_until_healthy(port: int, timeout: float = 60.0) -> None:
    """Block until Streamlit's health endpoint answers ``ok`` (TimeoutError otherwise)."""
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the app did not answer on port {port} within {timeout:.0f} s")
