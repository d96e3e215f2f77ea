"""Mapping profiles: a :class:`~segmentor.domain.mapping.Mapping` saved under a name.

A profile is saved in the database (table ``mapping_profiles``) with the shape of the file
it was made for, so the app proposes it again for the next file of the same shape; or kept in
a YAML file (``--mapping crm.yaml``, read with ``yaml.safe_load``: no code is ever run).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from segmentor.domain.mapping import Mapping
from segmentor.domain.schema import CATEGORIES
from segmentor.errors import SegmentorError
from segmentor.io.store import MappingProfile, Store

MAPPING_FILE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_MAPPING_FILE_BYTES = 1024 * 1024


def is_mapping_file(spec: str) -> bool:
    """Whether ``--mapping`` names a file (by its suffix) rather than a saved profile."""
    return Path(spec).suffix.lower() in MAPPING_FILE_SUFFIXES


def read_mapping_file(path: Path) -> Mapping:
    """A mapping from a YAML (or JSON) file; any problem is one line naming the file."""
    import yaml

    try:
        if path.stat().st_size > MAX_MAPPING_FILE_BYTES:
            raise SegmentorError(
                "the mapping file is over 1 MiB", file=str(path), fix="keep only the mapping"
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SegmentorError(
            "no such mapping file", file=str(path), fix="check the path given to --mapping"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SegmentorError(
            f"the mapping file cannot be read ({type(error).__name__})",
            file=str(path),
            fix="save it as UTF-8 text",
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SegmentorError(
            f"the mapping file is not valid YAML{where}",
            file=str(path),
            fix="see docs/mapping.md for the format",
        ) from None
    if isinstance(data, dict) and not data.get("name"):
        data = {**data, "name": path.stem}
    return Mapping.from_dict(data, str(path), CATEGORIES)


def mapping_yaml(mapping: Mapping) -> str:
    """The YAML text of a mapping (for downloads and ``--mapping FILE.yaml``)."""
    import yaml

    return yaml.safe_dump(mapping.to_dict(), allow_unicode=True, sort_keys=False)


def resolve_mapping(spec: str, store: Store | None) -> Mapping:
    """``--mapping NAME|FILE.yaml``: a mapping file, else the profile saved under NAME."""
    if is_mapping_file(spec):
        return read_mapping_file(Path(spec).expanduser())
    if store is None:
        raise SegmentorError(
            f"no mapping file {spec!r} and no database to find a profile in",
            fix="give a .yaml mapping file, or save the profile in the app first",
        )
    return named_profile(store, spec)


def named_profile(store: Store, spec: str) -> Mapping:
    """The profile saved under ``spec`` (a one-line error listing the saved ones if none)."""
    mapping = load_profile(store, spec)
    if mapping is None:
        names = ", ".join(repr(name) for name in list_profiles(store)[:10]) or "none saved yet"
        raise SegmentorError(
            f"no mapping profile named {spec!r} (profiles: {names})",
            file=store.url,
            fix="give a saved profile's name, or a .yaml mapping file",
        )
    return mapping


def save_profile(store: Store, mapping: Mapping, shape: str) -> None:
    """Save (or replace) the profile ``mapping.name`` for files of ``shape``."""
    with store._errors(), Session(store.engine) as session, session.begin():
        profile = session.scalars(
            select(MappingProfile).where(MappingProfile.name == mapping.name)
        ).first()
        if profile is None:
            profile = MappingProfile(name=mapping.name)
            session.add(profile)
        profile.shape = shape
        profile.mapping = json.dumps(mapping.to_dict(), ensure_ascii=False)
        profile.created = datetime.now(UTC)


def load_profile(store: Store, name: str) -> Mapping | None:
    with store._errors(), Session(store.engine) as session:
        profile = session.scalars(select(MappingProfile).where(MappingProfile.name == name)).first()
    return None if profile is None else _mapping(profile)


def profile_for_shape(store: Store, shape: str) -> Mapping | None:
    """The newest profile saved for files of this shape (None if there is none)."""
    query = (
        select(MappingProfile)
        .where(MappingProfile.shape == shape)
        .order_by(MappingProfile.created.desc(), MappingProfile.id.desc())
    )
    with store._errors(), Session(store.engine) as session:
        profile = session.scalars(query).first()
    return None if profile is None else _mapping(profile)


def list_profiles(store: Store) -> list[str]:
    with store._errors(), Session(store.engine) as session:
        return list(session.scalars(select(MappingProfile.name).order_by(MappingProfile.name)))


def _mapping(profile: MappingProfile) -> Mapping:
    return Mapping.from_dict(json.loads(profile.mapping), f"profile {profile.name!r}", CATEGORIES)
