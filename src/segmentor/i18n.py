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
    # column and value mapping
    "mapping.title": "Colonnes et valeurs du fichier",
    "mapping.intro": "Indiquez quelle colonne du fichier contient chaque attribut, et ce que "
    "signifie chaque valeur inconnue. Les propositions viennent d'un profil enregistré ou des "
    "synonymes français et anglais (Sexe, Homme/Femme, Oui/Non, Faible/Moyen/Élevé...).",
    "mapping.sheet": "Feuille du classeur",
    "mapping.no_column": "(aucune colonne)",
    "mapping.missing": "manquante",
    "mapping.values": "valeurs qui ne sont aucune des valeurs attendues",
    "mapping.name": "Nom du profil (pour le réutiliser, aussi avec `--mapping NOM`)",
    "mapping.save": "Enregistrer comme profil pour le prochain fichier de cette forme",
    "mapping.apply": "Appliquer la correspondance",
    "mapping.saved": "Profil {name} enregistré.",
    "mapping.waiting": "Certaines colonnes ou valeurs attendent votre choix ci-dessus avant "
    "que le fichier puisse être segmenté.",
    "mapping.profile_used": "Le profil enregistré {name} correspond aux colonnes de ce "
    "fichier : il est proposé ci-dessous.",
    "mapping.applied": "Correspondance appliquée : {mapping}",
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
    "id_normalised": "ID {value} lu comme {id} ({why})",
    "ambiguous_number": "{value} peut valoir {thousands} (séparateur de milliers) ou {decimal} "
    "(virgule décimale) ; valeur traitée comme manquante",
    "ambiguous_point": "{value} peut valoir {thousands} (séparateur de milliers) ou {decimal} "
    "(point décimal) ; valeur traitée comme manquante",
    "number_read_as": "{value} lu comme {number} ({why})",
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
