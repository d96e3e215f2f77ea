"""The HTTP API: score customers sent as JSON or as a file; every scored batch is stored.

Thin, like the CLI: requests are read by :mod:`segmentor.io.readers` /
:mod:`segmentor.domain.schema` and scored by :mod:`segmentor.engines.scoring`.
:func:`create_app` takes everything as plain
arguments (no globals, no environment): ``segmentor serve`` builds them from the settings.

Answers: a :class:`~segmentor.errors.SegmentorError` (the same one-line message as the CLI)
becomes 422 in one place; an unusable database 503; a body over the size limit or a request
over the row limit 413; a missing or wrong ``X-API-Key`` 401.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import (
    APIRouter,
    Body,
    Depends,
    FastAPI,
    File,
    Form,
    Header,
    Query,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from foundation.errors import UserError
from segmentor import __version__
from segmentor.analysis.drift import existing_or_none, record_batch_check
from segmentor.api.checks import LatestChecks
from segmentor.api.deps import ApiKeyCheck, BodySizeLimit, RowLimit
from segmentor.api.docs import Cell, documented, serve_offline_docs
from segmentor.api.learning import learning_routes
from segmentor.api.outreach import PlaybookOut, Playbooks, outreach_routes, with_playbooks
from segmentor.domain.mapping import Mapping
from segmentor.domain.schema import CATEGORIES
from segmentor.domain.verdict import UnreadColumns
from segmentor.engines.scoring import ScoredTable, score_frame, score_records
from segmentor.errors import SegmentorError
from segmentor.io.profiles import named_profile
from segmentor.io.readers import ReadOptions, read_bytes
from segmentor.io.store import Store, StoreUnavailable
from segmentor.io.writers import to_csv_bytes
from segmentor.ml.conformal import DEFAULT_COVERAGE, MAX_COVERAGE, MIN_COVERAGE
from segmentor.ml.trained import TrainedModel

log = logging.getLogger("segmentor.api.app")


class Customer(BaseModel):
    """One prospect: the nine attributes (each may be missing) and an optional ID."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "ID": "458989",
                "Gender": "Female",
                "Ever_Married": "Yes",
                "Age": 36,
                "Graduated": "Yes",
                "Profession": "Engineer",
                "Work_Experience": 0,
                "Spending_Score": "Low",
                "Family_Size": 1,
                "Var_1": "Cat_6",
            }
        },
    )

    # Documented with the allowed values and ranges of domain.schema (api/docs.py).
    ID: Cell = None
    Gender: documented("Gender") = None
    Ever_Married: documented("Ever_Married") = None
    Age: documented("Age") = None
    Graduated: documented("Graduated") = None
    Profession: documented("Profession") = None
    Work_Experience: documented("Work_Experience") = None
    Spending_Score: documented("Spending_Score") = None
    Family_Size: documented("Family_Size") = None
    Var_1: documented("Var_1") = None


class Prediction(BaseModel):
    """One scored prospect: the columns of the CLI's output file."""

    ID: str
    Segmentation: Literal["A", "B", "C", "D"]
    Confidence: float = Field(ge=0, le=1)
    Prob_A: float = Field(ge=0, le=1)
    Prob_B: float = Field(ge=0, le=1)
    Prob_C: float = Field(ge=0, le=1)
    Prob_D: float = Field(ge=0, le=1)
    Source: Literal["known", "model", "reviewed"]
    Notes: str
    Segment_Set: str = Field(description="Segments holding the true one at the coverage: A|D.")
    Needs_Review: bool
    Playbook: PlaybookOut | None = None


class MappedValue(BaseModel):
    column: str
    from_: str = Field(alias="from")
    to: str | None
    rows: int


class MappingApplied(BaseModel):
    """What was read under another name than the schema's (nothing is mapped silently)."""

    name: str | None = Field(description="The mapping's name, 'built-in synonyms', or null.")
    columns: dict[str, str] = Field(description="Schema column -> the header it was read from.")
    values: list[MappedValue]


class Predictions(BaseModel):
    predictions: list[Prediction]
    batch_id: int = Field(description="The stored batch (see `segmentor history`).")
    mapping: MappingApplied | None = None


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    model_version: str


class Problem(BaseModel):
    detail: str


AcceptUnknown = Annotated[
    bool,
    Query(
        description="Score even when a column's values are mostly unrecognised (they then "
        "count as unknown, with a note per row); without it such a request answers 422 with "
        "the column, the values found and the way out."
    ),
]


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing or wrong X-API-Key"},
    413: {"model": Problem, "description": "Body over the size limit, or too many rows"},
    422: {"description": "Invalid payload (message as in the CLI)"},
    503: {"model": Problem, "description": "The database of batches is unavailable"},
}


def create_app(
    model: TrainedModel,
    store: Store,
    *,
    api_keys: Sequence[str] = (),
    auth: bool = True,
    max_body_bytes: int = 10 * 1024 * 1024,
    max_rows: int = 100_000,
) -> FastAPI:
    """The API app scoring with ``model`` and saving every batch to ``store``.

    With ``auth`` (the default) every route but ``/health`` and the docs needs one of
    ``api_keys`` in the ``X-API-Key`` header; ``auth=False`` is for loopback only (the
    ``serve`` command enforces that).
    """
    if auth and not api_keys:
        raise SegmentorError(
            "no API key is configured",
            fix="set SEGMENTOR_API_KEYS or SEGMENTOR_API_KEYS_FILE (or use --no-auth on loopback)",
        )
    checks = LatestChecks(store, model, existing_or_none(model))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        checks.close()  # the pending checks are stored before the process ends

    app = FastAPI(
        lifespan=lifespan,
        title="Segmentor API",
        version=__version__,
        docs_url=None,  # served from bundled assets below (the default page uses a CDN)
        redoc_url=None,
        description="Predict the customer segment (A, B, C, D) of prospects. "
        "Send the key in the `X-API-Key` header.",
    )
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    app.add_exception_handler(UserError, _user_error)
    serve_offline_docs(app)
    app.state.market_checks = checks  # flush() waits for the checks behind the responses

    @app.get("/health", tags=["service"])
    def health() -> Health:
        """Liveness: no key needed."""
        return Health(status="ok", version=__version__, model_version=model.version)

    check_key = ApiKeyCheck(api_keys if auth else None)
    playbooks = Playbooks(model, store)
    app.include_router(
        _scoring_routes(model, store, RowLimit(max_rows), playbooks, checks),
        dependencies=[Depends(check_key.dependency())],
    )
    app.include_router(
        learning_routes(store, checks),
        responses=ERRORS,
        dependencies=[Depends(check_key.dependency())],
    )
    app.include_router(
        outreach_routes(playbooks, store, RowLimit(max_rows)),
        dependencies=[Depends(check_key.dependency())],
        responses=ERRORS,
    )
    return app


Coverage = Annotated[
    float,
    Query(
        ge=MIN_COVERAGE,
        le=MAX_COVERAGE,
        description="Probability that Segment_Set holds the true segment.",
    ),
]


def _scoring_routes(
    model: TrainedModel,
    store: Store,
    rows: RowLimit,
    playbooks: Playbooks,
    checks: LatestChecks,
) -> APIRouter:
    router = APIRouter(responses=ERRORS)
    existing = checks.existing  # the reference of each batch's market check

    @router.get("/model", tags=["service"])
    def model_card() -> dict[str, Any]:
        """The model card: training data, metrics, library versions."""
        return {"version": model.version, **model.card}

    @router.post("/predict", tags=["predict"], response_model=Predictions)
    def predict(
        customers: Annotated[list[Customer], Body(min_length=1)],
        coverage: Coverage = DEFAULT_COVERAGE,
        accept_unknown: AcceptUnknown = False,
        mapping: Annotated[str | None, Query(max_length=100, description=_MAPPING_HELP)] = None,
        x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Response:
        """Score a JSON list of customers; one prediction per customer, in order, each with
        its prediction set, review flag and the playbook of its segment. The rows are kept in
        the history in one batch per API key and day (UTC), not one per call; the batch keeps
        the market check of its latest request of 20 rows or more (stored a moment after
        the answer)."""
        rows.check(len(customers), "customers in the request")
        records = [customer.model_dump(exclude_unset=True) for customer in customers]
        chosen = _mapping(mapping, store)
        scored = score_records(
            records,
            model,
            source="request",
            coverage=coverage,
            accept_unknown=accept_unknown,
            mapping=chosen,
        )
        day = datetime.now(UTC).date().isoformat()
        batch_id = store.append_to_group(
            f"api:{_client(x_api_key)}:{day}",
            scored.frame,
            f"API requests {day}",
            "api",
            model.version,
        )
        # A grouped batch keeps the check of its latest request of MIN_COMPARED rows or more,
        # run behind the response (api/checks.py).
        checks.submit(batch_id, records, "request")
        predictions = _records(scored.frame)
        with_playbooks(predictions, playbooks.current())
        mapped = scored.mapped.as_dict() if scored.mapped.applied else None
        answer = Predictions.model_validate(
            {"predictions": predictions, "batch_id": batch_id, "mapping": mapped}
        )
        # Serialised once by pydantic: returned as a model, FastAPI would validate and encode
        # it again (about 15 ms of a 1000-row request). by_alias as FastAPI would: a mapped
        # value's "from" (the field is from_), as the schema says.
        return Response(answer.model_dump_json(by_alias=True), media_type="application/json")

    @router.post(
        "/predict/file",
        tags=["predict"],
        responses={200: {"content": {"text/csv": {}}, "description": "Scored CSV"}},
        response_class=Response,
    )
    def predict_file(
        file: Annotated[
            UploadFile,
            File(description="Prospects: .csv (.gz, .zip), .xlsx, .xls, .ods or .parquet"),
        ],
        coverage: Coverage = DEFAULT_COVERAGE,
        accept_unknown: AcceptUnknown = False,
        mapping: Annotated[str | None, Form(max_length=100_000, description=_MAPPING_HELP)] = None,
        sheet: Annotated[str | None, Form(max_length=200)] = None,
        header_row: Annotated[int | None, Form(ge=1, le=1_000_000)] = None,
    ) -> Response:
        """Score an uploaded file; answers the scored CSV (formula-neutralised). The header
        ``X-Segmentor-Mapping`` says (as ASCII JSON) what was mapped, if anything."""
        name = file.filename or "upload"
        chosen = _mapping(mapping, store)
        options = ReadOptions(sheet=sheet, header_row=header_row)
        data = file.file.read()
        raw = read_bytes(data, name, options=options)
        rows.check(len(raw), f"rows in {name}")
        scored = score_frame(
            raw,
            model,
            source=name,
            coverage=coverage,
            accept_unknown=accept_unknown,
            mapping=chosen,
        )
        batch_id = _save(store, scored, name, model, raw, hashlib.sha256(data).hexdigest())
        record_batch_check(store, batch_id, raw, name, model, existing)
        stem = name.rsplit(".", 1)[0]
        return Response(
            to_csv_bytes(scored.frame),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{_ascii(stem)}.segments.csv"',
                "X-Batch-Id": str(batch_id),
                **_mapping_header(scored),
            },
        )

    return router


_MAPPING_HELP = (
    "How the columns and values map to the schema: a profile name saved in the app, or (file "
    "endpoint) a mapping document in YAML/JSON (see docs/mapping.md). Default: the built-in "
    "French and English synonyms."
)


def _mapping(spec: str | None, store: Store) -> Mapping | None:
    if spec is None or not spec.strip():
        return None
    if "\n" in spec or spec.lstrip().startswith("{"):
        import yaml

        try:
            data = yaml.safe_load(spec)
        except yaml.YAMLError:
            raise SegmentorError(
                "the mapping document is not valid YAML or JSON",
                column="mapping",
                fix="see docs/mapping.md for the format, or give a saved profile's name",
            ) from None
        return Mapping.from_dict(data, "mapping", CATEGORIES)
    return named_profile(store, spec.strip())  # never a path: the server's files stay private


def _mapping_header(scored: ScoredTable) -> dict[str, str]:
    if not scored.mapped.applied:
        return {}
    text = json.dumps(scored.mapped.as_dict(), ensure_ascii=True)
    return {"X-Segmentor-Mapping": text[:7000]}


def _save(
    store: Store,
    scored: ScoredTable,
    source_name: str,
    model: TrainedModel,
    raw: pd.DataFrame,
    content_sha256: str,
) -> int:
    """Keep a scored file with its own columns, once per distinct content and model."""
    batch_id = store.save_batch(
        scored.frame, source_name, "api", model.version, own=raw, content_sha256=content_sha256
    )
    log.info("batch %d holds %d rows from %s", batch_id, len(scored.frame), source_name)
    return batch_id


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, as ``to_dict("records")`` gives them, built
    from each column's ``tolist()``: 10 -> 1.6 ms for 1000 rows."""
    names = [str(name) for name in frame.columns]
    columns = [frame[name].tolist() for name in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _client(api_key: str | None) -> str:
    """A short, stable name of the caller for grouping: a digest, never the key itself."""
    if not api_key:
        return "open"
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:12]


async def _user_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, UserError)
    if isinstance(error, StoreUnavailable):
        log.error("database unavailable: %s", error.message)
        return JSONResponse({"detail": error.message}, status_code=503)
    if isinstance(error, UnreadColumns):
        return JSONResponse(
            {"detail": error.message, "verdict": error.verdict.to_dict()}, status_code=422
        )
    return JSONResponse({"detail": error.message}, status_code=422)


def _ascii(text: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in text)
    return safe[:100] or "upload"
