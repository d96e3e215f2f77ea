"""Integrity of a model directory: per-file SHA-256, and native model texts checked before use.

LightGBM parses a model text in C++ and trusts it: a truncated or edited text can make it read
out of bounds and kill the process (a segfault, no message). :func:`lightgbm_text_problem`
checks, in Python and before LightGBM sees it, everything its parser relies on: the header,
each tree's declared size (``tree_sizes``), each tree's array lengths and child and feature
indices, and the closing sections.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from segmentor.errors import SegmentorError

_RETRAIN = "retrain with `segmentor train`"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

_TREE_ARRAYS_INNER = ("split_feature", "threshold", "decision_type", "left_child", "right_child")
_TREE_ARRAYS_LEAVES = ("leaf_value",)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def directory_hashes(directory: Path, names: tuple[str, ...]) -> dict[str, str]:
    """SHA-256 of each named file of a model directory."""
    return {name: file_sha256(directory / name) for name in names}


def mismatched_files(directory: Path, recorded: dict[str, str]) -> list[str]:
    """The files whose content is not the one recorded (missing files included)."""
    changed = []
    for name, digest in recorded.items():
        path = directory / name
        if not path.is_file() or file_sha256(path) != digest:
            changed.append(name)
    return changed


def card_problem(card: dict[str, Any]) -> str | None:
    """What is wrong with a model card's fields (None when the card is usable)."""
    if not isinstance(card.get("created"), str):
        return "'created' must be a date text"
    if not isinstance(card.get("data_sha256"), str):
        return "'data_sha256' must be a text"
    versions = card.get("versions")
    if not isinstance(versions, dict) or not isinstance(versions.get("segmentor"), str):
        return "'versions.segmentor' is missing"
    files = card.get("files")
    if not isinstance(files, dict) or not files:
        return "'files' (the SHA-256 of the model files) is missing: it predates them"
    if not all(isinstance(d, str) and _SHA256.match(d) for d in files.values()):
        return "'files' must map each file to its SHA-256"
    return None


def check_directory(directory: Path, card: dict[str, Any], model_file: str, version: str) -> None:
    """Refuse a model directory that is not the one its card describes, or was written by
    another segmentor version, or whose LightGBM texts could crash LightGBM."""
    trained_by = card["versions"]["segmentor"]
    if trained_by != version:
        raise SegmentorError(
            f"this model was trained by segmentor {trained_by}; this is segmentor {version}",
            file=str(directory),
            fix=_RETRAIN,
        )
    changed = mismatched_files(directory, card["files"])
    if changed:
        raise SegmentorError(
            f"{', '.join(changed)} changed since the model was saved (SHA-256 mismatch)",
            file=str(directory),
            fix=f"restore the original files or {_RETRAIN}",
        )
    for text in skops_lightgbm_texts(directory / model_file):
        problem = lightgbm_text_problem(text)
        if problem is not None:
            raise SegmentorError(problem, file=str(directory / model_file), fix=_RETRAIN)


def skops_lightgbm_texts(path: Path) -> list[str]:
    """The LightGBM model texts stored in a skops file, read without loading it ([] if the
    file cannot be read this way: skops' own checks then refuse it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
            bag = _find_attribute(schema, "lightgbm_model_")
            if isinstance(bag, dict) and isinstance(bag.get("file"), str):
                text = archive.read(bag["file"]).decode("utf-8")
            elif isinstance(bag, dict) and isinstance(bag.get("content"), str):
                # skops' JsonNode: the string itself, JSON-encoded.
                text = bag["content"]
                if bag.get("__loader__") == "JsonNode":
                    text = json.loads(text)
            else:
                return []
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return []
    if not isinstance(text, str):
        return []
    return text.split("\n\x1e\n")


def _find_attribute(node: object, name: str) -> object:
    if isinstance(node, dict):
        if name in node:
            return node[name]
        for value in node.values():
            found = _find_attribute(value, name)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find_attribute(value, name)
            if found is not None:
                return found
    return None


def lightgbm_text_problem(text: str) -> str | None:
    """What is wrong with one LightGBM model text (None when LightGBM can parse it safely)."""
    data = text.encode("utf-8")
    header_end = data.find(b"\n\n")
    if not data.startswith(b"tree\n") or header_end < 0:
        return "the LightGBM text has no header"
    header = _fields(data[:header_end].decode("utf-8", "replace"))
    try:
        sizes = [int(size) for size in header.get("tree_sizes", "").split()]
        features = int(header["max_feature_idx"]) + 1
    except (KeyError, ValueError):
        return "the LightGBM header has no valid tree_sizes / max_feature_idx"
    position = header_end + 2
    for index, size in enumerate(sizes):
        block = data[position : position + size]
        if len(block) != size or not block.startswith(f"Tree={index}\n".encode()):
            return f"LightGBM tree {index} is truncated or moved (declared {size} bytes)"
        problem = _tree_problem(block.decode("utf-8", "replace"), features)
        if problem is not None:
            return f"LightGBM tree {index}: {problem}"
        position += size
    rest = data[position:]
    if not rest.lstrip(b"\n").startswith(b"end of trees") or b"end of parameters" not in rest:
        return "the LightGBM text is truncated after its trees"
    return None


def _tree_problem(block: str, features: int) -> str | None:
    fields = _fields(block)
    try:
        leaves = int(fields["num_leaves"])
    except (KeyError, ValueError):
        return "no num_leaves"
    if leaves < 1:
        return "num_leaves below 1"
    if leaves == 1:
        return None
    expected = dict.fromkeys(_TREE_ARRAYS_INNER, leaves - 1)
    expected.update(dict.fromkeys(_TREE_ARRAYS_LEAVES, leaves))
    arrays: dict[str, list[str]] = {}
    for name, length in expected.items():
        arrays[name] = fields.get(name, "").split()
        if len(arrays[name]) != length:
            return f"{name} has {len(arrays[name])} values, expected {length}"
    try:
        children = [int(v) for v in arrays["left_child"] + arrays["right_child"]]
        split_features = [int(v) for v in arrays["split_feature"]]
    except ValueError:
        return "a child or feature index is not an integer"
    if any(not -leaves <= child < leaves - 1 for child in children):
        return "a child index is out of range"
    if any(not 0 <= feature < features for feature in split_features):
        return "a split feature is out of range"
    return None


def _fields(text: str) -> dict[str, str]:
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value
    return fields
