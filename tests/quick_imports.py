"""Loaded before every other plugin (``-p tests.quick_imports`` in pyproject.toml's addopts), so before nbval
imports nbformat and with it jsonschema: the three pytest processes then skip jsonschema's IRI grammar as the site
does (report.execute.skip_iri_grammar), 1.5 s of CPU each."""

from schoolclaims.report.execute import skip_iri_grammar

skip_iri_grammar()
