"""The review queue and playbooks pages through Streamlit's AppTest, on the real model and a
real SQLite store: a choice made on the page is stored with who and when and used in exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_driver import start_app

from segmentor.io.store import open_store


@pytest.fixture
def db_url(monkeypatch: pytest.MonkeyPatch, trained_model_dir: Path, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("SEGMENTOR_MODEL_DIR", str(trained_model_dir))
    monkeypatch.setenv("SEGMENTOR_DB_URL", url)
    monkeypatch.delenv("SEGMENTOR_LANG", raising=False)
    return url


def _button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def test_a_choice_in_the_review_queue_is_stored_and_exported(db_url: str) -> None:
    at = start_app("pages/review.py")
    assert at.title[0].value == "Review queue"
    assert "to review" in at.info[0].value
    radios = [r for r in at.radio if r.key and r.key.startswith("choice_1_")]
    assert len(radios) == 10
    first = radios[0]
    row = int(first.key.rsplit("_", 1)[1])
    candidate = first.options[-1]
    at.text_input(key="reviewer").input("Ann Martin")
    first.set_value(candidate)
    _button(at, "Save my choices").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = open_store(db_url)
    reviews = store.reviews(1)
    assert list(reviews) == [row] and reviews[row].reviewer == "Ann Martin"
    exported = store.export(1)
    assert exported.at[row - 1, "Source"] == "reviewed"
    assert exported.at[row - 1, "Segmentation"] == candidate
    store.close()
    assert not any(r.key == f"choice_1_{row}" for r in at.radio)  # it left the queue


def test_a_choice_without_a_name_is_not_stored(db_url: str) -> None:
    at = start_app("pages/review.py")
    radio = next(r for r in at.radio if r.key and r.key.startswith("choice_1_"))
    radio.set_value(radio.options[-1])
    _button(at, "Save my choices").click().run()
    assert "Give your name" in at.error[0].value
    assert open_store(db_url).reviews(1) == {}


def test_the_review_queue_speaks_french(db_url: str) -> None:
    at = start_app("pages/review.py", lang="fr")
    assert at.title[0].value == "File de revue"
    assert "à revoir" in at.info[0].value


def test_a_playbook_saved_on_the_page_is_versioned(db_url: str) -> None:
    at = start_app("pages/playbooks.py")
    assert at.title[0].value == "Segment playbooks"
    persona_d = at.text_area[6].value  # tabs A-D, two text areas each
    assert "Healthcare" in persona_d
    at.text_input(key="playbook_author").input("Claire")
    at.text_input[1 + 3 * 2 + 0].input("Young first-time buyers")  # author, then name/channel
    at.multiselect[3].set_value(["P2", "P5"])
    _button(at, "Save the playbook of segment D").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = open_store(db_url)
    saved = store.playbooks()["D"]
    assert saved.version == 1 and saved.author == "Claire"
    assert (
        saved.playbook.products == ("P2", "P5") and saved.playbook.name == "Young first-time buyers"
    )
    store.close()
