"""Every label, message and chart title of the app, in English and in French.

``t(key, lang, **values)`` looks a string up and fills its ``{placeholders}``. Both
dictionaries hold exactly the same keys (a test checks it); an unknown key is a bug and
raises ``KeyError``. Attribute names and category values have their own helpers so that
tables and charts show "Niveau de dépenses: Faible" rather than "Spending_Score: Low".
Row notes are translated from their kind and fields (:data:`NOTES_FR`), never by parsing the
English text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    "batch.upload_help": "Click Upload or drop the file on the box (up to {limit} MB). CSV "
    "(any delimiter, French exports with decimal commas welcome), Excel .xlsx or Parquet. Extra "
    "columns (names, e-mails…) are kept in the segment lists.",
    "batch.use_bundled": "Bundled prospects",
    "batch.file_error": "This file cannot be used: {message}",
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
    "of `segmentor predict`, whichever language they were scored in.",
    "history.download.all": "Every prospect ({count})",
    "history.download.segment": "Segment {segment} ({count})",
    "history.origin.cli": "Command line",
    "history.origin.api": "API",
    "history.origin.app": "App",
    "col.batch": "Batch",
    "col.created": "Scored (UTC)",
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
}

FR: dict[str, str] = {
    "app.title": "Segmentor",
    "app.language": "Langue",
    "app.model": "Modèle {version}",
    "app.loading_model": "Chargement du modèle de segmentation…",
    "app.training_model": "Premier démarrage : entraînement du modèle sur les clients "
    "existants (environ une minute)…",
    "nav.section.customers": "Segments clients",
    "nav.section.reading": "Lecture",
    "nav.batch": "Fichier de prospects",
    "nav.prospect": "Un prospect",
    "nav.profiles": "Profils des segments",
    "nav.market": "Contrôle du marché",
    "nav.history": "Historique",
    "nav.books": "Livres",
    "segment": "Segment",
    "segment.n": "Segment {segment}",
    "unknown": "Inconnu",
    "source.known": "Client connu",
    "source.model": "Modèle",
    "dataset.bundled": "Affichage des prospects fournis ({rows} lignes, {name}).",
    "dataset.upload": "Affichage de votre fichier {name} ({rows} lignes).",
    "dataset.elsewhere": "Chargez un autre fichier sur la page **Fichier de prospects**.",
    "col.id": "ID",
    "col.row": "Ligne",
    "col.column": "Colonne",
    "col.value": "Valeur",
    "col.problem": "Problème",
    "col.segment": "Segment",
    "col.confidence": "Confiance",
    "col.source": "Origine",
    "col.notes": "Remarques",
    "col.similarity": "Similarité",
    "col.customers": "Clients",
    "col.share": "Part",
    "col.attribute": "Attribut",
    "col.psi": "PSI",
    "col.level": "Écart",
    "col.test": "Test",
    "col.p_value": "p-valeur",
    "col.shifted_value": "Valeur la plus changée",
    "col.existing_share": "Clients existants",
    "col.new_share": "Nouveaux prospects",
    "col.prob": "P({segment})",
    "batch.title": "Segmenter un fichier de prospects",
    "batch.intro": "Chargez une liste de prospects (CSV, Excel ou Parquet avec les neuf "
    "attributs clients). Chaque ligne reçoit un segment ; les clients existants gardent le "
    "segment que votre équipe leur a donné.",
    "batch.upload": "Fichier de prospects",
    "batch.upload_help": "Cliquez sur Upload ou déposez le fichier dans le cadre ({limit} Mo "
    "au plus). CSV (tout séparateur, exports français à virgule décimale acceptés), Excel "
    ".xlsx ou Parquet. Les colonnes en plus (noms, e-mails…) sont gardées dans les listes par "
    "segment.",
    "batch.use_bundled": "Prospects fournis",
    "batch.file_error": "Ce fichier est inutilisable : {message}",
    "batch.file_error_kept": "Les résultats ci-dessous restent ceux de {name}.",
    "batch.metric.rows": "Prospects",
    "batch.metric.known": "Clients connus",
    "batch.metric.model": "Prédits par le modèle",
    "batch.metric.notes": "Lignes avec remarques",
    "batch.metric.rows_help": "Lignes du fichier ; aucune n'est jamais écartée.",
    "batch.metric.known_help": "Clients existants retrouvés par leur ID avec les mêmes "
    "attributs stables : ils gardent le segment de votre équipe.",
    "batch.metric.segment_help": "Prospects du segment {segment} : {share} du fichier.",
    "batch.metric.share": "{share} du fichier",
    "batch.chart.counts": "Prospects par segment",
    "batch.chart.count": "Prospects",
    "batch.notes.title": "Remarques sur les lignes ({count})",
    "batch.notes.none": "Aucun problème dans les lignes.",
    "batch.notes.intro": "Ces valeurs étaient inutilisables et ont été traitées comme "
    "inconnues ; les lignes sont tout de même segmentées.",
    "batch.results": "Résultats",
    "batch.filter.segments": "Segments",
    "batch.filter.sources": "Origine",
    "batch.filter.confidence": "Confiance minimale",
    "batch.filter.confidence_help": "Garder les lignes dont le segment le plus probable a au "
    "moins cette probabilité.",
    "batch.filter.shown": "{shown} lignes affichées sur {rows}.",
    "batch.downloads": "Téléchargements",
    "batch.download.all": "Résultat complet",
    "batch.download.all_help": "Une ligne par prospect, dans l'ordre du fichier : ID, "
    "Segmentation, Confidence, les quatre probabilités, Source, Notes. Le fichier même de "
    "`segmentor predict`, pour d'autres outils : colonnes et remarques en anglais.",
    "batch.download.segment": "Segment {segment} ({count})",
    "batch.download.segment_help": "La liste de prospection du segment {segment} : les lignes "
    "de votre fichier avec toutes leurs colonnes, plus segment, confiance et origine.",
    "batch.download.csv": "CSV",
    "batch.download.excel": "Excel",
    "prospect.title": "Segmenter un prospect",
    "prospect.intro": "Décrivez le prospect ; laissez sur Inconnu ce que vous ne savez pas. "
    "Le segment, sa probabilité et les raisons se mettent à jour aussitôt.",
    "prospect.form": "Le prospect",
    "prospect.result": "Segment prédit",
    "prospect.confidence": "probabilité {share}",
    "prospect.chart.probabilities": "Probabilité de chaque segment",
    "prospect.chart.probability": "Probabilité",
    "prospect.reasons": "Pourquoi ce segment",
    "prospect.reasons.intro": "Chaque barre indique combien l'attribut pousse vers le segment "
    "{segment} (à droite) ou l'en éloigne (à gauche), en unités de score du modèle "
    "(valeurs SHAP).",
    "prospect.chart.reasons": "Ce qui pousse vers le segment {segment}",
    "prospect.chart.push": "Poussée vers le segment {segment}",
    "prospect.reason.toward": "**{attribute}** : {value} pousse vers {segment}",
    "prospect.reason.away": "**{attribute}** : {value} éloigne de {segment}",
    "prospect.lookalikes": "Les cinq clients existants les plus proches",
    "prospect.lookalikes.intro": "Les clients existants les plus proches de ce prospect sur "
    "les neuf attributs (similarité de Gower), avec le segment donné par votre équipe.",
    "prospect.lookalikes.none": "Renseignez au moins un attribut pour trouver des clients proches.",
    "prospect.direction.toward": "vers",
    "prospect.direction.away": "contre",
    "prospect.direction": "Sens",
    "prospect.chart.attribute": "Attribut : valeur",
    "profiles.title": "Profils des segments",
    "profiles.intro": "Ce qui caractérise chaque segment parmi vos clients existants, et à "
    "côté, les prospects prédits dans chaque segment.",
    "profiles.attribute": "Attribut",
    "profiles.existing": "Clients existants ({rows})",
    "profiles.prospects": "Prospects, prédits ({rows})",
    "profiles.chart.title": "{attribute} par segment",
    "profiles.chart.share": "Part du segment",
    "profiles.glance": "Les segments en un coup d'œil",
    "profiles.glance.intro": "Valeur typique par segment : la médiane pour les nombres, la "
    "valeur la plus fréquente pour les catégories.",
    "profiles.glance.existing": "Clients existants",
    "profiles.glance.prospects": "Prospects (prédits)",
    "market.title": "Contrôle du marché",
    "market.intro": "Le nouveau marché ressemble-t-il à l'actuel ? Les segments ont été appris "
    "sur vos clients existants ; ils ne s'appliquent que si les prospects leur ressemblent.",
    "market.metric.rows": "Lignes du fichier",
    "market.metric.known": "Clients connus écartés",
    "market.metric.compared": "Nouveaux prospects comparés",
    "market.metric.auc": "AUC du classifieur",
    "market.metric.auc_help": "ROC AUC en validation croisée d'un modèle qui distingue les "
    "clients existants des nouveaux prospects : 0,5 = indiscernables, 1 = totalement "
    "différents.",
    "market.chart.psi": "Écart de chaque attribut (PSI)",
    "market.table": "Par attribut",
    "market.method": "Comment fonctionne le contrôle",
    "market.method.text": (
        "**Par attribut** : l'indice de stabilité de population (PSI) compare la part des "
        "nouveaux prospects et celle des clients existants dans chaque valeur de l'attribut "
        "(nombres découpés aux déciles des clients existants ; les valeurs inconnues forment "
        "une valeur à part). PSI sous 0,10 : stable ; de 0,10 à 0,25 : écart modéré ; "
        "au-delà de 0,25 : écart majeur. À côté, un test à deux échantillons (khi-deux pour "
        "les catégories, Kolmogorov-Smirnov pour les nombres) donne la p-valeur : sur de gros "
        "fichiers, de petites p-valeurs signalent des écarts trop faibles pour compter, d'où "
        "un verdict fondé sur le PSI.\n\n"
        "**Globalement** : un petit modèle LightGBM essaie de distinguer les clients "
        "existants des nouveaux prospects, en validation croisée à 5 plis. Son ROC AUC vaut "
        "0,5 quand il ne les distingue pas. Sous 0,60 : semblables ; de 0,60 à 0,75 : "
        "modérément différents ; 0,75 ou plus : nettement différents.\n\n"
        "Les clients connus présents dans le fichier sont le marché existant lui-même : ils "
        "sont écartés de la comparaison."
    ),
    "market.level.similar": "stable",
    "market.level.moderate": "modéré",
    "market.level.major": "majeur",
    "market.test.chi-square": "khi-deux",
    "market.test.Kolmogorov-Smirnov": "Kolmogorov-Smirnov",
    "market.thresholds": "PSI : {psi_moderate} / {psi_major} · AUC : {auc_similar} / {auc_major}",
    "market.counts": "{compared} nouveaux prospects comparés à {existing} clients existants ; "
    "{known} clients connus du fichier ont été écartés.",
    "market.verdict.similar": "Les nouveaux prospects ressemblent à vos clients existants "
    "(AUC {auc} : un modèle les distingue à peine, et aucun attribut n'a bougé). Les "
    "segments devraient valoir pour ce marché.",
    "market.verdict.moderate": "Les nouveaux prospects diffèrent un peu de vos clients "
    "existants (AUC {auc}), surtout par : {attributes}. Utilisez les segments, mais vérifiez "
    "ces attributs dans les profils avant de planifier les campagnes.",
    "market.verdict.major": "Les nouveaux prospects diffèrent nettement de vos clients "
    "existants (AUC {auc}), surtout par : {attributes}. Les segments prédits pour eux sont "
    "moins fiables : testez les campagnes sur un échantillon avant d'engager le budget.",
    "market.verdict.too_few": "Trop peu de nouveaux prospects pour juger le marché (il en faut "
    "au moins {minimum} en plus des clients connus).",
    # history page (store of scored batches)
    "history.title": "Historique des fichiers segmentés",
    "history.intro": "Chaque fichier segmenté dans cette application, par l'API ou par "
    "`segmentor predict --save` est conservé ici : choisissez-en un pour retélécharger ses "
    "listes.",
    "history.empty": "Aucun fichier segmenté pour l'instant. Les fichiers segmentés sur la "
    "page Fichier de prospects apparaîtront ici.",
    "history.error": "L'historique n'est pas disponible : {message}",
    "history.save_error": "Ce fichier n'a pas pu être conservé dans l'historique : {message}",
    "history.pick": "Lot",
    "history.batch_label": "n° {id} · {name} · {created} ({rows} lignes)",
    "history.downloads": "Retélécharger",
    "history.downloads.intro": "Les lots tels qu'ils ont été enregistrés : colonnes et "
    "remarques en anglais de `segmentor predict`, quelle que soit la langue de segmentation.",
    "history.download.all": "Tous les prospects ({count})",
    "history.download.segment": "Segment {segment} ({count})",
    "history.origin.cli": "Ligne de commande",
    "history.origin.api": "API",
    "history.origin.app": "Application",
    "col.batch": "Lot",
    "col.created": "Segmenté (UTC)",
    "col.file": "Fichier",
    "col.origin": "Origine",
    "col.rows": "Lignes",
    "col.known": "Connus",
    "col.model": "Modèle",
    "books.unavailable": "Le conseiller de lecture n'est pas disponible : {message}",
    # feedback, models and drift
    "nav.drift": "Dérive dans le temps",
    "drift.title": "Dérive dans le temps",
    "drift.intro": "Chaque lot segmenté garde son contrôle du marché. Les voici dans le temps : "
    "le PSI le plus fort des attributs et l'AUC du classifieur par lot, et la précision réelle "
    "là où l'équipe commerciale a confirmé les vrais segments. Une hausse signale que le "
    "nouveau marché commence à différer.",
    "drift.empty": "Aucun lot segmenté pour l'instant : segmentez un fichier (avec --save, dans "
    "l'application ou par l'API).",
    "drift.error": "La base de données est inutilisable : {message}",
    "drift.chart.psi": "PSI le plus fort des attributs par lot",
    "drift.chart.auc": "AUC du classifieur par lot (0,5 : indiscernables)",
    "drift.chart.live": "Précision réelle par lot (intervalle à 95 %)",
    "drift.col.psi": "PSI le plus fort",
    "drift.col.psi_attribute": "Attribut",
    "drift.col.auc": "AUC",
    "drift.col.level": "Niveau",
    "drift.col.feedback": "Confirmés",
    "drift.col.live": "Précision réelle",
    "drift.models": "Versions du modèle (★ champion : le modèle qui segmente par défaut)",
    "drift.models.none": "Pas encore de registre de modèles (`segmentor models` le crée).",
    "drift.col.version": "Version",
    "drift.col.champion": "Champion",
    "drift.col.cv": "Précision en validation croisée",
    "drift.col.promoted_by": "Promu par",
    "drift.level.none": "non contrôlé",
    "drift.level.too_few": "trop peu pour juger",
    # review queue and playbooks
    "nav.review": "File de revue",
    "nav.playbooks": "Fiches segments",
    "persona.more": "{value} {lift} fois plus fréquent",
    "persona.more_of": "{attribute} {value} {lift} fois plus fréquent",
    "persona.married": "{share} marié(e)s",
    "persona.never_married": "{share} jamais marié(e)s",
    "persona.graduated": "{share} diplômé(e)s",
    "persona.not_graduated": "{share} non diplômé(e)s",
    "persona.spending": "dépenses {value} {lift} fois plus fréquentes",
    "persona.median": "{attribute} médian(e) {value} (tous : {overall})",
    "persona.traits": "Ce qui le distingue",
    "profiles.traits.intro": "Les traits qui distinguent le plus chaque segment de l'ensemble "
    "du fichier : combien de fois plus souvent une valeur y apparaît (parmi les valeurs "
    "d'au moins 15 % du segment) et la médiane de chaque nombre à côté de celle de l'ensemble.",
    "review.state.pending": "à revoir",
    "review.state.reviewed": "revu",
    "review.state.confident": "segment unique",
    "review.state.known": "client connu",
    "review.title": "File de revue",
    "review.intro": "Les prospects dont l'ensemble de prédiction contient plus d'un segment "
    "à une couverture de {coverage} : le modèle ne peut honnêtement pas trancher. Choisissez "
    "le segment ; le choix est enregistré avec votre nom et utilisé dans chaque export du lot.",
    "review.coverage": "Couverture des ensembles de prédiction",
    "review.none": "Aucun prospect de ce lot n'est à revoir à cette couverture.",
    "review.no_batch": "Segmentez d'abord un fichier de prospects (page Fichier de "
    "prospects) : la file liste ses prospects.",
    "review.counts": "{pending} à revoir, {reviewed} revus, {rows} prospects dans le lot {batch}.",
    "review.reviewer": "Votre nom (enregistré avec chaque choix)",
    "review.prospect": "Prospect {id} (ligne {row})",
    "review.candidates": "Segments candidats",
    "review.reasons": "Pourquoi : les attributs qui poussent le plus vers {segment}",
    "review.lookalikes": "Les cinq clients existants qui ressemblent le plus à ce prospect",
    "review.choose": "Segment choisi",
    "review.save": "Enregistrer mes choix",
    "review.saved": "{n} choix enregistrés pour le lot {batch}.",
    "review.need_name": "Indiquez votre nom avant d'enregistrer.",
    "review.download": "Télécharger la liste de prospection",
    "review.format": "Format du CRM",
    "review.state_filter": "Lignes",
    "review.state.all": "toutes",
    "playbooks.title": "Fiches segments",
    "playbooks.intro": "Ce que l'équipe commerciale fait de chaque segment : un nom, le "
    "persona, les produits parmi P1-P5 à proposer d'abord, le message et le canal. Chaque "
    "enregistrement ajoute une version (qui et quand). Le persona proposé est écrit à partir "
    "des clients existants.",
    "playbooks.name": "Nom",
    "playbooks.persona": "Persona",
    "playbooks.products": "Produits à proposer, dans l'ordre",
    "playbooks.message": "Message",
    "playbooks.channel": "Canal",
    "playbooks.author": "Votre nom",
    "playbooks.save": "Enregistrer la fiche du segment {segment}",
    "playbooks.saved": "Segment {segment} : version {version} enregistrée.",
    "playbooks.draft": "Proposition tirée des données (pas encore enregistrée)",
    "playbooks.version": "Version {version} par {author}, {created} UTC",
    "playbooks.history": "Versions précédentes",
    "crm.segment": "Segment",
    "crm.set": "Segments candidats",
    "crm.state": "État de revue",
    "crm.confidence": "Confiance",
    "crm.playbook": "Fiche",
    "crm.products": "Produits",
    "crm.message": "Message",
    "crm.channel": "Canal",
    "crm.reason": "Raison",
    "review.campaign": "ID de campagne Salesforce",
    "review.campaign.needed": "Indiquez l'ID de campagne Salesforce (15 ou 18 caractères) pour "
    "construire la liste des membres de campagne.",
}

ATTRIBUTES: dict[str, dict[str, str]] = {
    "en": {
        "Gender": "Gender",
        "Ever_Married": "Ever married",
        "Age": "Age",
        "Graduated": "Graduate",
        "Profession": "Profession",
        "Work_Experience": "Work experience (years)",
        "Spending_Score": "Spending score",
        "Family_Size": "Family size",
        "Var_1": "Category (Var_1)",
    },
    "fr": {
        "Gender": "Genre",
        "Ever_Married": "Déjà marié(e)",
        "Age": "Âge",
        "Graduated": "Diplômé(e)",
        "Profession": "Profession",
        "Work_Experience": "Expérience professionnelle (années)",
        "Spending_Score": "Niveau de dépenses",
        "Family_Size": "Taille du foyer",
        "Var_1": "Catégorie (Var_1)",
    },
}

# Category values in French (English shows the data's own spelling).
VALUES_FR: dict[str, str] = {
    "Male": "Homme",
    "Female": "Femme",
    "Yes": "Oui",
    "No": "Non",
    "Artist": "Artiste",
    "Doctor": "Médecin",
    "Engineer": "Ingénieur",
    "Entertainment": "Spectacle",
    "Executive": "Cadre dirigeant",
    "Healthcare": "Santé",
    "Homemaker": "Au foyer",
    "Lawyer": "Juriste",
    "Marketing": "Marketing",
    "Low": "Faible",
    "Average": "Moyen",
    "High": "Élevé",
}

# The French template of every kind of row note (schema.NOTE_TEMPLATES holds the English ones;
# a test checks that both have the same kinds and fields).
NOTES_FR: dict[str, str] = {
    "duplicated_id": "ID en double (déjà vu ligne {first}) ; ligne segmentée à part",
    "unknown_category": "valeur inconnue {value} (valeurs attendues : {expected}) ; traitée "
    "comme manquante",
    "not_a_number": "{value} n'est pas un nombre ; valeur traitée comme manquante",
    "out_of_range": "{value} est hors de la plage plausible {low}-{high} ; valeur traitée "
    "comme manquante",
    "known_differs": "l'ID est celui d'un client connu, mais avec d'autres valeurs de "
    "{columns} ; segment prédit par le modèle",
}

_STRINGS = {"en": EN, "fr": FR}


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language code, else ``en``."""
    return lang if lang in LANGUAGES else "en"


def t(key: str, lang: str = "en", **values: object) -> str:
    """The string ``key`` in ``lang`` ("en" or "fr"), its placeholders filled from ``values``."""
    text = _STRINGS[check_language(lang)][key]
    return text.format(**values) if values else text


def note_problem(note: RowNote, lang: str = "en") -> str:
    """A row note's problem in ``lang``: the English text as the CLI writes it, or the
    French template of its kind filled with its fields."""
    template = NOTES_FR.get(note.kind) if check_language(lang) == "fr" else None
    return note.problem if template is None else template.format_map(dict(note.fields))


def note_text(note: RowNote, lang: str = "en") -> str:
    """A row note as the Notes column shows it: "Age: 250 is outside…" ("Age : 250 est…")."""
    if check_language(lang) == "en":
        return note.text()
    return f"{note.column} : {note_problem(note, lang)}"


def attribute_label(attribute: str, lang: str = "en") -> str:
    """A customer attribute's display name ("Spending_Score" -> "Niveau de dépenses")."""
    return ATTRIBUTES[check_language(lang)].get(attribute, attribute)


def value_label(value: object, lang: str = "en") -> str:
    """A category value or bin for display; None, NA and ``missing`` read "Unknown"."""
    if value is None or value == MISSING or value != value:  # NaN != NaN
        return t("unknown", lang)
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return VALUES_FR.get(text, text) if check_language(lang) == "fr" else text


def percent(share: float, lang: str = "en", digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: "23.4%" in English, "23,4 %" in French."""
    text = f"{share * 100:.{digits}f}"
    return f"{text.replace('.', ',')}\u202f%" if check_language(lang) == "fr" else f"{text}%"


def percent_format(lang: str = "en", digits: int = 0) -> str:
    """A printf format of a number already in percent, for Streamlit's columns and sliders:
    "%.0f%%" ("42%") in English, "%.0f\u202f%%" ("42 %") in French."""
    return f"%.{digits}f\u202f%%" if check_language(lang) == "fr" else f"%.{digits}f%%"


def number(value: float, lang: str = "en", digits: int = 0) -> str:
    """A number with thousands separators: "2,627" in English, "2 627" in French."""
    text = f"{value:,.{digits}f}"
    if check_language(lang) == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text
