"""The API's documentation: Swagger UI served from bundled files, and each Customer field's
allowed values and ranges, generated from the one schema (:mod:`segmentor.domain.schema`).

``/docs`` used FastAPI's default page, which loads Swagger UI from a CDN: blank offline. The
assets come from the ``swagger-ui-bundle-v2`` package instead (Swagger UI 5, which renders
OpenAPI 3.1) and are served by the app itself under ``/docs/assets``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import WithJsonSchema
from swagger_ui_bundle import swagger_ui_path

from segmentor.domain.schema import CATEGORIES, FEATURES, RANGES

# Any JSON scalar: unknown categories and odd numbers are the schema's business (a note per
# row, as in the CLI), not a reason to refuse the whole request.
Cell = str | int | float | bool | None
DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
UNKNOWN_NOTE = (
    "Missing or null: unknown. Any other value is accepted but counts as unknown, with a "
    "note on the row (and a file whose column is mostly unrecognised is refused, see "
    "accept_unknown)."
)


def field_schema(column: str) -> dict[str, Any]:
    """The documented JSON schema of one customer attribute: allowed values or range."""
    if column in CATEGORIES:
        allowed: dict[str, Any] = {"type": "string", "enum": list(CATEGORIES[column])}
        values = ", ".join(CATEGORIES[column])
        description = f"One of {values}. {UNKNOWN_NOTE}"
    else:
        low, high = RANGES[column]
        allowed = {"type": "number", "minimum": low, "maximum": high}
        description = (
            f"A number from {low:g} to {high:g} (decimal point or comma in text). {UNKNOWN_NOTE}"
        )
    return {"anyOf": [allowed, {"type": "null"}], "default": None, "description": description}


def documented(column: str) -> Any:
    """The annotation of a Customer field: validation stays lenient (any JSON scalar), the
    schema shows what is allowed."""
    return Annotated[Cell, WithJsonSchema(field_schema(column))]


def accepted_values_markdown() -> str:
    """The accepted values of every attribute as a Markdown table (docs and README)."""
    lines = ["| Column | Accepted values |", "| --- | --- |"]
    for column in FEATURES:
        if column in CATEGORIES:
            values = ", ".join(f"`{value}`" for value in CATEGORIES[column])
        else:
            low, high = RANGES[column]
            values = f"a number from {low:g} to {high:g}"
        lines.append(f"| {column} | {values} |")
    return "\n".join(lines) + "\n"


def serve_offline_docs(app: FastAPI) -> None:
    """Serve ``/docs`` with the bundled Swagger UI (create the app with ``docs_url=None``)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - docs",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon-32x32.png",
        )
