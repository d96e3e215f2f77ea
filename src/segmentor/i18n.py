"""Every label, message and chart title of segmentor, in English and in French.

``t(key, lang, **values)`` looks a message up and fills its ``{placeholders}``. The English
text lives here (:data:`EN`, :data:`ATTRIBUTE_NAMES`; row notes in
``domain.schema.NOTE_TEMPLATES``); the French lives in the gettext catalogue
``locale/fr/LC_MESSAGES/segmentor.po`` (``msgctxt`` = the key, ``msgid`` = the English,
``msgstr`` = the French), compiled to the ``.mo`` read at run time, so that a translator works
with ordinary gettext tools. An unknown key is a bug and raises ``KeyError``.

French written into the *pending* dicts below (:data:`FR`, :data:`ATTRIBUTE_NAMES_FR`,
:data:`VALUES_FR`, :data:`NOTES_FR`) is used at once and moved into the catalogue by
``scripts/i18n_dicts_to_po.py``. Numbers and percentages are formatted by Babel with the
language's CLDR conventions. Row notes are translated from their kind and fields, never by
parsing the English text.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.numbers import format_decimal, format_percent

from foundation.errors import ErrorWording, UserError
from segmentor.domain.schema import CATEGORIES, NOTE_TEMPLATES

if TYPE_CHECKING:
    from segmentor.domain.schema import RowNote

LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
MISSING = "missing"

EN: dict[str, str] = {
    # navigation and shell
    "app.title": "Segmentor",
    "app.language": "Language",
    "app.model": "Model {version}",
    "app.loading_model": "Loading the segment model…",
    "app.training_model": "First start: training the segment model on the existing customers "
    "(about a minute)…",
    "nav.section.customers": "Customer segments",
    "nav.section.reading": "Reading",
    "nav.batch": "Prospect file",
    "nav.prospect": "One prospect",
    "nav.profiles": "Segment profiles",
    "nav.market": "Market check",
    "nav.history": "History",
    "nav.books": "Books",
    # shared
    "segment": "Segment",
    "segment.n": "Segment {segment}",
    "unknown": "Unknown",
    "source.known": "Known customer",
    "source.model": "Model",
    "dataset.bundled": "Showing the bundled prospects ({rows} rows, {name}).",
    "dataset.upload": "Showing your file {name} ({rows} rows).",
    "dataset.elsewhere": "Upload another file on the **Prospect file** page.",
    "col.id": "ID",
    "col.row": "Row",
    "col.column": "Column",
    "col.value": "Value",
    "col.problem": "Problem",
    "col.segment": "Segment",
    "col.confidence": "Confidence",
    "col.source": "Source",
    "col.notes": "Notes",
    "col.similarity": "Similarity",
    "col.customers": "Customers",
    "col.share": "Share",
    "col.attribute": "Attribute",
    "col.psi": "PSI",
    "col.level": "Shift",
    "col.test": "Test",
    "col.p_value": "p-value",
    "col.shifted_value": "Most changed value",
    "col.existing_share": "Existing customers",
    "col.new_share": "New prospects",
    "col.prob": "P({segment})",
    # batch page
    "batch.title": "Segment a prospect file",
    "batch.intro": "Upload a list of prospects (CSV, Excel or Parquet with the nine customer "
    "attributes). Every row gets a segment; existing customers keep the segment your team "
    "gave them.",
    "batch.upload": "Prospect file",
    "batch.upload_button": "Upload",
    "batch.upload_limits": "{limit} MB per file • {types}",
    "batch.upload_help": "Click Upload or drop the file on the box (up to {limit} MB). CSV "
    "(any delimiter, French exports with decimal commas welcome), Excel .xlsx or Parquet. Extra "
    "columns (names, e-mails…) are kept in the segment lists.",
    "batch.use_bundled": "Bundled prospects",
    "batch.file_error": "This file cannot be used: {message}",
    # the words around a user error (foundation.errors.ErrorWording)
    "error.row": "row {row}",
    "error.column": "column {column!r}",
    "error.got": " (got {value!r})",
    "error.fix": ". Fix: {fix}",
    "error.separator": ": ",
    "batch.file_error_kept": "The results below are still those of {name}.",
    "batch.metric.rows": "Prospects",
    "batch.metric.known": "Known customers",
    "batch.metric.model": "Predicted by the model",
    "batch.metric.notes": "Rows with notes",
    "batch.metric.rows_help": "Rows in the file; none is ever dropped.",
    "batch.metric.known_help": "Existing customers found by ID with the same stable "
    "attributes: they keep your team's segment.",
    "batch.metric.segment_help": "Prospects of segment {segment}: {share} of the file.",
    "batch.metric.share": "{share} of the file",
    "batch.chart.counts": "Prospects per segment",
    "batch.chart.count": "Prospects",
    "batch.notes.title": "Row notes ({count})",
    "batch.notes.none": "No problem found in the rows.",
    "batch.notes.intro": "These values were unusable and treated as unknown; the rows are "
    "still scored.",
    "batch.results": "Results",
    "batch.filter.segments": "Segments",
    "batch.filter.sources": "Source",
    "batch.filter.confidence": "Minimum confidence",
    "batch.filter.confidence_help": "Keep the rows whose most likely segment has at least "
    "this probability.",
    "batch.filter.shown": "{shown} of {rows} rows shown.",
    "batch.downloads": "Downloads",
    "batch.download.all": "Full result",
    "batch.download.all_help": "One row per prospect, in file order: ID, Segmentation, "
    "Confidence, the four probabilities, Source, Notes. The same file as `segmentor predict` "
    "writes, for other tools.",
    "batch.download.segment": "Segment {segment} ({count})",
    "batch.download.segment_help": "The outreach list of segment {segment}: your file's "
    "rows with all their columns, plus segment, confidence and source.",
    "batch.download.csv": "CSV",
    "batch.download.excel": "Excel",
    # prospect page
    "prospect.title": "Segment one prospect",
    "prospect.intro": "Describe the prospect; leave anything you do not know as Unknown. The "
    "segment, its probability and the reasons update at once.",
    "prospect.form": "The prospect",
    "prospect.result": "Predicted segment",
    "prospect.confidence": "{share} probability",
    "prospect.chart.probabilities": "Probability of each segment",
    "prospect.chart.probability": "Probability",
    "prospect.reasons": "Why this segment",
    "prospect.reasons.intro": "Each bar is how much the attribute pushes toward segment "
    "{segment} (right) or away from it (left), in the model's score units (SHAP values).",
    "prospect.chart.reasons": "What pushes toward segment {segment}",
    "prospect.chart.push": "Push toward segment {segment}",
    "prospect.reason.toward": "**{attribute}**: {value} pushes toward {segment}",
    "prospect.reason.away": "**{attribute}**: {value} pushes away from {segment}",
    "prospect.lookalikes": "The five most similar existing customers",
    "prospect.lookalikes.intro": "Existing customers nearest to this prospect over the nine "
    "attributes (Gower similarity), with the segment your team gave them.",
    "prospect.lookalikes.none": "Fill in at least one attribute to find similar customers.",
    "prospect.direction.toward": "toward",
    "prospect.direction.away": "away",
    "prospect.direction": "Direction",
    "prospect.chart.attribute": "Attribute: value",
    # profiles page
    "profiles.title": "Segment profiles",
    "profiles.intro": "What characterises each segment among your existing customers, and "
    "the prospects predicted in each segment beside them.",
    "profiles.attribute": "Attribute",
    "profiles.existing": "Existing customers ({rows})",
    "profiles.prospects": "Prospects, predicted ({rows})",
    "profiles.chart.title": "{attribute} by segment",
    "profiles.chart.share": "Share of the segment",
    "profiles.glance": "Segments at a glance",
    "profiles.glance.intro": "Typical value per segment: the median for numbers, the most "
    "frequent value for categories.",
    "profiles.glance.existing": "Existing customers",
    "profiles.glance.prospects": "Prospects (predicted)",
    # market page
    "market.title": "Market check",
    "market.intro": "Does the new market look like the existing one? The segments were "
    "learned on your existing customers; they carry over only if the prospects resemble them.",
    "market.metric.rows": "Rows in the file",
    "market.metric.known": "Known customers left out",
    "market.metric.compared": "New prospects compared",
    "market.metric.auc": "Classifier AUC",
    "market.metric.auc_help": "Cross-validated ROC AUC of a model telling existing customers "
    "from new prospects: 0.5 = indistinguishable, 1 = completely different.",
    "market.chart.psi": "Shift of each attribute (PSI)",
    "market.table": "Per attribute",
    "market.method": "How the check works",
    "market.method.text": (
        "**Per attribute**: the population stability index (PSI) compares the share of new "
        "prospects and of existing customers in each value of the attribute (numbers cut at "
        "the existing customers' deciles; unknown values are a value of their own). PSI "
        "below 0.10: stable; 0.10 to 0.25: moderate shift; above 0.25: major shift. Beside "
        "it, a two-sample test (chi-square for categories, Kolmogorov-Smirnov for numbers) "
        "gives the p-value: small p-values on large files can flag shifts too small to "
        "matter, which is why the verdict rests on the PSI.\n\n"
        "**As a whole**: a small LightGBM model tries to tell existing customers from new "
        "prospects, in 5-fold cross-validation. Its ROC AUC is 0.5 when it cannot tell them "
        "apart. Below 0.60: similar; 0.60 to 0.75: moderately different; 0.75 or more: "
        "clearly different.\n\n"
        "Known customers re-recorded in the file are the existing market itself: they are "
        "left out of the comparison."
    ),
    "market.level.similar": "stable",
    "market.level.moderate": "moderate",
    "market.level.major": "major",
    "market.test.chi-square": "chi-square",
    "market.test.Kolmogorov-Smirnov": "Kolmogorov-Smirnov",
    "market.thresholds": "PSI: {psi_moderate} / {psi_major} · AUC: {auc_similar} / {auc_major}",
    "market.counts": "Compared {compared} new prospects with {existing} existing customers; "
    "{known} known customers in the file were left out.",
    "market.verdict.similar": "The new prospects look like your existing customers (AUC "
    "{auc}: a model can hardly tell them apart, and no attribute shifted). The segments "
    "should carry over to this market.",
    "market.verdict.moderate": "The new prospects differ somewhat from your existing "
    "customers (AUC {auc}), mostly in: {attributes}. Use the segments, but check these "
    "attributes on the profiles before planning the campaigns.",
    "market.verdict.major": "The new prospects differ clearly from your existing customers "
    "(AUC {auc}), mostly in: {attributes}. Segments predicted for them are less reliable: "
    "test the campaigns on a sample before committing the budget.",
    "market.verdict.too_few": "Too few new prospects to judge the market (at least {minimum} "
    "are needed besides known customers).",
    # history page (store of scored batches)
    "history.title": "History of scored files",
    "history.intro": "Every file scored in this app, by the API or by `segmentor predict "
    "--save` is kept here: pick one to download its lists again.",
    "history.empty": "No scored file yet. Files scored on the Prospect file page appear here.",
    "history.error": "The history is not available: {message}",
    "history.save_error": "This file could not be kept in the history: {message}",
    "history.pick": "Batch",
    "history.batch_label": "#{id} · {name} · {created} ({rows} rows)",
    "history.downloads": "Download again",
    "history.downloads.intro": "The batches as they were stored: the columns and English notes "
    "of `segmentor predict`, whichever language they were scored in, then the file's own "
    "columns (names, e-mails…) of files scored in the app or sent to the API.",
    "history.shown": "The {shown} newest of {total} batches are shown.",
    "history.download.all": "Every prospect ({count})",
    "history.download.segment": "Segment {segment} ({count})",
    "history.origin.cli": "Command line",
    "history.origin.api": "API",
    "history.origin.app": "App",
    "col.batch": "Batch",
    "col.created": "Scored (local time)",
    "col.file": "File",
    "col.origin": "From",
    "col.rows": "Rows",
    "col.known": "Known",
    "col.model": "Model",
    # books page
    "books.unavailable": "The book recommender is not available: {message}",
    # feedback, models and drift
    "nav.drift": "Drift over time",
    "drift.title": "Drift over time",
    "drift.intro": "Every scored batch keeps its market check. Here they are in time: the "
    "largest attribute PSI and the classifier AUC per batch, and the live accuracy where the "
    "sales team has confirmed true segments. A rise means the new market starts to differ.",
    "drift.empty": "No scored batch yet: score a file (with --save, in the app or by the API).",
    "drift.error": "The database cannot be used: {message}",
    "drift.chart.psi": "Largest attribute PSI per batch",
    "drift.chart.auc": "Classifier AUC per batch (0.5: indistinguishable)",
    "drift.chart.live": "Live accuracy per batch (95% interval)",
    "drift.col.psi": "Largest PSI",
    "drift.col.psi_attribute": "Attribute",
    "drift.col.auc": "AUC",
    "drift.col.level": "Level",
    "drift.col.feedback": "Confirmed",
    "drift.col.live": "Live accuracy",
    "drift.models": "Model versions (★ champion: the model that scores by default)",
    "drift.models.none": "No model registry yet (`segmentor models` starts it).",
    "drift.col.version": "Version",
    "drift.col.champion": "Champion",
    "drift.col.cv": "CV accuracy",
    "drift.col.promoted_by": "Promoted by",
    "drift.level.none": "not checked",
    "drift.level.too_few": "too few to judge",
    # review queue and playbooks
    "nav.review": "Review queue",
    "nav.playbooks": "Segment playbooks",
    "persona.more": "{lift}x more {value}",
    "persona.more_of": "{lift}x more often {attribute} {value}",
    "persona.married": "{share} married",
    "persona.never_married": "{share} never married",
    "persona.graduated": "{share} graduates",
    "persona.not_graduated": "{share} not graduates",
    "persona.spending": "{lift}x more {value} spenders",
    "persona.median": "median {attribute} {value} (all: {overall})",
    "persona.traits": "What sets it apart",
    "profiles.traits.intro": "The traits that most distinguish each segment from the whole "
    "table: how many times more often a category value occurs in it (among values held by at "
    "least 15% of the segment) and the median of each number beside the whole table's.",
    "review.state.pending": "to review",
    "review.state.reviewed": "reviewed",
    "review.state.confident": "single segment",
    "review.state.known": "known customer",
    "review.title": "Review queue",
    "review.intro": "Prospects whose prediction set holds more than one segment at "
    "{coverage} coverage: the model cannot honestly pick one. Choose the segment; the choice "
    "is stored with your name and used in every export of the batch.",
    "review.coverage": "Coverage of the prediction sets",
    "review.none": "No prospect of this batch needs a review at this coverage.",
    "review.no_batch": "Score a prospect file first (page Prospect file): the queue lists "
    "its prospects.",
    "review.counts": "{pending} to review, {reviewed} reviewed, {rows} prospects in batch {batch}.",
    "review.reviewer": "Your name (stored with each choice)",
    "review.prospect": "Prospect {id} (row {row})",
    "review.candidates": "Candidate segments",
    "review.reasons": "Why: the attributes pushing most toward {segment}",
    "review.lookalikes": "The five existing customers most like this prospect",
    "review.choose": "Segment chosen",
    "review.save": "Save my choices",
    "review.saved": "{n} choices saved for batch {batch}.",
    "review.need_name": "Give your name before saving.",
    "review.download": "Download the outreach list",
    "review.format": "CRM format",
    "review.state_filter": "Rows",
    "review.state.all": "all",
    "playbooks.title": "Segment playbooks",
    "playbooks.intro": "What the sales team does with each segment: a name, the persona, the "
    "products among P1-P5 to offer first, the message and the channel. Every save adds a "
    "version (who and when). The draft persona is written from the existing customers.",
    "playbooks.name": "Name",
    "playbooks.persona": "Persona",
    "playbooks.products": "Products to offer, in order",
    "playbooks.message": "Message",
    "playbooks.channel": "Channel",
    "playbooks.author": "Your name",
    "playbooks.save": "Save the playbook of segment {segment}",
    "playbooks.saved": "Segment {segment}: version {version} saved.",
    "playbooks.draft": "Draft from the data (not saved yet)",
    "playbooks.version": "Version {version} by {author}, {created} UTC",
    "playbooks.history": "Earlier versions",
    "crm.segment": "Segment",
    "crm.set": "Candidate segments",
    "crm.state": "Review state",
    "crm.confidence": "Confidence",
    "crm.playbook": "Playbook",
    "crm.products": "Products",
    "crm.message": "Message",
    "crm.channel": "Channel",
    "crm.reason": "Reason",
    "review.campaign": "Salesforce Campaign ID",
    "review.campaign.needed": "Give the Salesforce Campaign ID (15 or 18 characters) to build "
    "the campaign member list.",
    # file verdict (columns not read) and the market check in the terminal
    "verdict.title": "{file} was not scored: some columns were not read.",
    "verdict.column": "{column}: {unread} of {present} values ({share}) are not recognised "
    "(found {values}).",
    "verdict.example": "“{value}” ({rows} rows)",
    "verdict.way_out": "Map the values to the expected ones (the mapping step of the app, or "
    "--mapping FILE.yaml on the command line), or score anyway: the unrecognised values then "
    "count as unknown.",
    "verdict.accept": "Score anyway (unrecognised values count as unknown)",
    "verdict.market": "The market check cannot judge this file: its columns were not read.",
    "market.p_value_note": "p-value: chi-square (categories), Kolmogorov-Smirnov (numbers)",
    "download.confidence_percent": "Confidence (%)",
    "market.counts.no_known": "Compared {compared} new prospects with {existing} existing "
    "customers; no known customer in the file.",
    # column and value mapping
    "mapping.title": "Columns and values of the file",
    "mapping.intro": "Say which column of the file holds each attribute, and what each "
    "unknown value means. The guesses come from a saved profile or from French and English "
    "synonyms (Sexe, Homme/Femme, Oui/Non, Faible/Moyen/Élevé...).",
    "mapping.sheet": "Sheet of the workbook",
    "mapping.no_column": "(no column)",
    "mapping.missing": "missing",
    "mapping.values": "values that are none of the expected ones",
    "mapping.name": "Profile name (to use it again, also with `--mapping NAME`)",
    "mapping.save": "Save as a profile for the next file of this shape",
    "mapping.apply": "Apply the mapping",
    "mapping.saved": "Profile {name} saved.",
    "mapping.waiting": "Some columns or values need your choice above before the file can "
    "be segmented.",
    "mapping.profile_used": "The saved profile {name} matches this file's columns: it is "
    "proposed below.",
    "mapping.applied": "Mapping applied: {mapping}",
}

# The display name of each customer attribute ("Spending_Score" -> "Spending score").
ATTRIBUTE_NAMES: dict[str, str] = {
    "Gender": "Gender",
    "Ever_Married": "Ever married",
    "Age": "Age",
    "Graduated": "Graduate",
    "Profession": "Profession",
    "Work_Experience": "Work experience (years)",
    "Spending_Score": "Spending score",
    "Family_Size": "Family size",
    "Var_1": "Category (Var_1)",
}

# ---------------------------------------------------------------- pending French
# French added here is used at once; scripts/i18n_dicts_to_po.py moves it into the
# catalogue (locale/fr/LC_MESSAGES/segmentor.po) and empties these dicts.
# FR: key of EN -> French; ATTRIBUTE_NAMES_FR: attribute -> French name; VALUES_FR: category
# value -> French; NOTES_FR: note kind (schema.NOTE_TEMPLATES) -> French template.
# User errors whose problem or fix text the app shows in French (the English is the text
# the code raises, verbatim; tests/segmentor/test_i18n_errors.py checks that it still is).
ERROR_CONTEXT = "error:"
ERROR_TEXTS: tuple[str, ...] = (
    "unsupported file type {suffix!r}",
    "this is not a valid {name} file",
    "save it again as {suffix} from the spreadsheet, or export it as CSV",
    "the file is not valid {encoding} text (byte {byte} at offset {offset} of a block)",
    "save it again as CSV UTF-8",
    "line {line} has {saw} fields but the header has {expected}",
    "quote the cells holding the delimiter {delimiter!r} or remove the extra fields",
    "this is not a valid Parquet file",
    "write it again as Parquet, or export it as CSV",
    "this is not a gzip file",
    "compress it again with gzip",
    "this is not a zip file",
    "zip it again",
    "this file is binary (Excel or Parquet), not CSV",
    "rename it with its real suffix (.xlsx, .xls or .parquet)",
    "this file is binary, not text",
    "give a CSV text file (or the real .xlsx / .parquet file)",
    "give a .csv, .xlsx, .xls, .ods or .parquet file (a .csv may be in a .gz/.zip)",
    "split it into smaller files",
    "compress the CSV again (gzip, or a zip holding one .csv)",
    "zip one .csv (or .xlsx) file, or unzip it and give the file",
    "the file is empty",
    "export the customer table again, with its header row",
    "line 2 has more fields than the header row",
    "check that every row has as many fields as the header",
    "the workbook is protected by a password",
    "save a copy without the password, or export the sheet as CSV",
    "open it in Excel or LibreOffice and save it again (.xlsx or .ods)",
    "the workbook has no sheet",
    "add the table",
    "write the file again as Parquet",
    "the file has no header row",
    "add a header row with the column names",
    "the file has a header but no customer rows",
    "add at least one customer row",
    "keep one column of that name",
    "no such row in the batch",
    "unknown segment",
    "use A, B, C or D",
    "a review needs the reviewer's name",
)

FR: dict[str, str] = {}
ATTRIBUTE_NAMES_FR: dict[str, str] = {}
VALUES_FR: dict[str, str] = {}
NOTES_FR: dict[str, str] = {}
ERRORS_FR: dict[str, str] = {}

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "segmentor"
# Babel's locale of each language (CLDR number, percent and separator conventions).
LOCALES = {"en": "en_US", "fr": "fr_FR"}
# Category values shown translated (Var_1's codes Cat_1..Cat_7 read the same everywhere).
TRANSLATED_VALUES: tuple[str, ...] = tuple(
    value for column, values in CATEGORIES.items() if column != "Var_1" for value in values
)
# Catalogue contexts of the messages that are not keys of EN.
ATTRIBUTE_CONTEXT = "attribute."
VALUE_CONTEXT = "value."
NOTE_CONTEXT = "note."


def messages() -> dict[str, str]:
    """Every message as catalogue context -> English text (what the catalogue translates)."""
    return {
        **EN,
        **{ATTRIBUTE_CONTEXT + name: label for name, label in ATTRIBUTE_NAMES.items()},
        **{VALUE_CONTEXT + value: value for value in TRANSLATED_VALUES},
        **{NOTE_CONTEXT + kind: template for kind, template in NOTE_TEMPLATES.items()},
        **{ERROR_CONTEXT + text: text for text in ERROR_TEXTS},
    }


def pending_french() -> dict[str, str]:
    """The French of the pending dicts, by catalogue context (not yet in the catalogue)."""
    return {
        **FR,
        **{ATTRIBUTE_CONTEXT + name: label for name, label in ATTRIBUTE_NAMES_FR.items()},
        **{VALUE_CONTEXT + value: label for value, label in VALUES_FR.items()},
        **{NOTE_CONTEXT + kind: template for kind, template in NOTES_FR.items()},
        **{ERROR_CONTEXT + text: french for text, french in ERRORS_FR.items()},
    }


@functools.cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


@functools.cache
def _pending() -> dict[str, str]:
    return pending_french()


def translate(context: str, english: str, lang: str = "en") -> str:
    """``english`` in ``lang``: the pending French, else the catalogue's (gettext pgettext)."""
    lang = check_language(lang)
    if lang == "en":
        return english
    return _pending().get(context) or _catalogue(lang).pgettext(context, english)


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language code, else ``en``."""
    return lang if lang in LANGUAGES else "en"


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang`` ("en" or "fr"), its placeholders filled from ``values``."""
    text = translate(key, EN[key], lang)
    return text.format(**values) if values else text


def error_text(error: UserError, lang: str = "en") -> str:
    """A user error's one line in ``lang``: the words around it, its problem and its fix
    translated where the catalogue has them (texts built with values stay in English)."""
    if check_language(lang) == "en":
        return error.message
    wording = ErrorWording(
        row=t("error.row", lang),
        column=t("error.column", lang),
        got=t("error.got", lang),
        fix=t("error.fix", lang),
        separator=t("error.separator", lang),
        translate=lambda text: translate(ERROR_CONTEXT + text, text, lang),
    )
    return error.render(wording)


def note_problem(note: RowNote, lang: str = "en") -> str:
    """A row note's problem in ``lang``: the English text as the CLI writes it, or the
    French template of its kind filled with its fields."""
    if check_language(lang) == "en" or note.kind not in NOTE_TEMPLATES:
        return note.problem
    template = translate(NOTE_CONTEXT + note.kind, NOTE_TEMPLATES[note.kind], lang)
    return template.format_map(dict(note.fields))


def note_text(note: RowNote, lang: str = "en") -> str:
    """A row note as the Notes column shows it: "Age: 250 is outside…" ("Age : 250 est…")."""
    if check_language(lang) == "en":
        return note.text()
    return f"{note.column} : {note_problem(note, lang)}"


def attribute_label(attribute: str, lang: str = "en") -> str:
    """A customer attribute's display name ("Spending_Score" -> "Niveau de dépenses")."""
    if attribute not in ATTRIBUTE_NAMES:
        return attribute
    return translate(ATTRIBUTE_CONTEXT + attribute, ATTRIBUTE_NAMES[attribute], lang)


def value_label(value: object, lang: str = "en") -> str:
    """A category value or bin for display; None, NA and ``missing`` read "Unknown"."""
    if value is None or value == MISSING or value != value:  # NaN != NaN
        return t("unknown", lang)
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text not in TRANSLATED_VALUES:
        return text
    return translate(VALUE_CONTEXT + text, text, lang)


def babel_locale(lang: str = "en") -> str:
    """The Babel locale of a language ("fr" -> "fr_FR")."""
    return LOCALES[check_language(lang)]


def percent(share: float, lang: str = "en", digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: "23.4%" in English, "23,4\u00a0%" in French."""
    locale = babel_locale(lang)
    pattern = Locale.parse(locale).percent_formats[None].pattern
    fraction = "." + "0" * digits if digits else ""
    return format_percent(share, pattern.replace("#,##0", "#,##0" + fraction, 1), locale=locale)


def percent_format(lang: str = "en", digits: int = 0) -> str:
    """A printf format of a number already in percent, for Streamlit's columns and sliders:
    "%.0f%%" ("42%") in English, "%.0f\u00a0%%" ("42 %") in French (the CLDR spacing)."""
    return f"%.{digits}f\u00a0%%" if check_language(lang) == "fr" else f"%.{digits}f%%"


def number(value: float, lang: str = "en", digits: int = 0) -> str:
    """A number with the language's separators: "2,627" / "0.35" / "-0.6" in English,
    "2\u202f627" / "0,35" / "-0,6" in French (Babel, CLDR)."""
    fraction = "." + "0" * digits if digits else ""
    return format_decimal(value, "#,##0" + fraction, locale=babel_locale(lang))
