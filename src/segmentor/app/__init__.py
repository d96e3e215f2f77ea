"""The manager's Streamlit app: ``Home.py`` routes to ``pages/*.py``.

Pages stay thin: they draw widgets and call :mod:`segmentor.app.results` (scored files as
tables and lists), :mod:`segmentor.app.charts` (Altair charts), :mod:`segmentor.app.common`
(cached model and data, language) and the library (:mod:`segmentor.analysis.explain`,
:mod:`segmentor.analysis.market`). Start it with ``segmentor app``.
"""
