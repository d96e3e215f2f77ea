"""Move the pending French of src/segmentor/i18n.py into the gettext catalogues.

Run from the repository root (rerun whenever someone added keys to the dicts of i18n.py):

    PYTHONPATH=src python scripts/i18n_dicts_to_po.py

It rebuilds, from ``i18n.messages()`` (every key and its English text):

- ``src/segmentor/locale/segmentor.pot``: the template (msgctxt = key, msgid = English);
- ``src/segmentor/locale/fr/LC_MESSAGES/segmentor.po``: the French, taken from the pending
  dicts (FR, ATTRIBUTE_NAMES_FR, VALUES_FR, NOTES_FR, ERRORS_FR) first, else from the catalogue as it
  was. A translation whose English changed since is kept but marked fuzzy (the test then
  fails until a translator reviews it); a key without French gets an empty msgstr (the test
  fails too); keys that disappeared are dropped;
- ``segmentor.mo``, compiled from the ``.po`` with Babel;

and finally empties the pending dicts in i18n.py (their French is now in the catalogue).
``--check`` only reports what would change and exits 1 if anything would.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from segmentor import i18n

PENDING_DICTS = ("FR", "ATTRIBUTE_NAMES_FR", "VALUES_FR", "NOTES_FR", "ERRORS_FR")
LANGUAGE = "fr"


def po_path(lang: str = LANGUAGE) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def pot_path() -> Path:
    return i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"


def read_catalogue(path: Path) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE, domain=i18n.DOMAIN)


def _flags(english: str) -> list[str]:
    return ["python-brace-format"] if "{" in english else []


def build_catalogue(
    messages: dict[str, str], pending: dict[str, str], old: Catalog | None, lang: str | None
) -> Catalog:
    """The catalogue of ``messages`` (context -> English); with ``lang``, their translations."""
    created = old.creation_date if old is not None else datetime.now(UTC)
    catalogue = Catalog(
        locale=lang,
        domain=i18n.DOMAIN,
        project="segmentor",
        creation_date=created,
        revision_date=old.revision_date if old is not None else created,
        language_team="French" if lang else None,
        fuzzy=False,
    )
    for context, english in messages.items():
        flags = _flags(english)
        translation = ""
        if lang is not None:
            translation, fuzzy = _translation(context, english, pending, old)
            flags += ["fuzzy"] if fuzzy else []
        catalogue.add(english, translation, flags=flags, context=context)
    return catalogue


def _translation(
    context: str, english: str, pending: dict[str, str], old: Catalog | None
) -> tuple[str, bool]:
    if pending.get(context):
        return pending[context], False
    if old is None:
        return "", False
    same = old.get(english, context=context)
    if same is not None and same.string:
        return str(same.string), "fuzzy" in same.flags
    # The English changed: keep the old French for the translator, marked fuzzy.
    for message in old:
        if message.context == context and message.string:
            return str(message.string), True
    return "", False


def po_bytes(catalogue: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=96, sort_output=False, include_previous=False)
    return buffer.getvalue()


def mo_bytes(catalogue: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    return buffer.getvalue()


def emptied_module(source: str) -> str:
    """i18n.py's source with each pending dict assigned ``{}`` (comments inside dropped)."""
    lines = source.splitlines(keepends=True)
    spans = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.target.id in PENDING_DICTS and isinstance(node.value, ast.Dict):
                if node.value.keys:
                    spans.append((node.lineno, node.end_lineno, node.target.id))
    for start, end, name in sorted(spans, reverse=True):
        lines[start - 1 : end] = [f"{name}: dict[str, str] = {{}}\n"]
    return "".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report changes, write nothing")
    args = parser.parse_args()
    messages = i18n.messages()
    pending = i18n.pending_french()
    unknown = sorted(set(pending) - set(messages))
    if unknown:
        print(f"French without an English message (add them to EN first): {unknown}")
        return 2
    old = read_catalogue(po_path())
    french = build_catalogue(messages, pending, old, LANGUAGE)
    template = build_catalogue(messages, {}, old, None)
    module = Path(i18n.__file__)
    outputs = {
        pot_path(): po_bytes(template),
        po_path(): po_bytes(french),
        po_path().with_suffix(".mo"): mo_bytes(french),
        module: emptied_module(module.read_text(encoding="utf-8")).encode("utf-8"),
    }
    changed = [path for path, data in outputs.items() if _read(path) != data]
    for path in changed:
        print(f"{'would update' if args.check else 'updated'} {path}")
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(outputs[path])
    missing = [message.context for message in french if message.id and not message.string]
    fuzzy = [message.context for message in french if message.id and message.fuzzy]
    print(f"{len(messages)} messages; {len(pending)} moved from the dicts; ", end="")
    print(f"{len(missing)} without French {missing}; {len(fuzzy)} fuzzy {fuzzy}")
    return 1 if args.check and changed else 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


if __name__ == "__main__":
    sys.exit(main())
