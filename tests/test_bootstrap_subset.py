"""static/css/bootstrap-portal.css: the Bootstrap rules the pages use, committed."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from portal.management.commands.make_css import OUT, bootstrap_subset


def test_committed_subset_is_what_make_css_writes(tmp_path: Path) -> None:
    out = tmp_path / "bootstrap-portal.css"
    call_command("make_css", out=out, stdout=io.StringIO())
    assert out.read_text() == OUT.read_text(), "run `make css` and commit the file"


def test_a_rule_stays_when_every_class_it_needs_is_used() -> None:
    source = (
        "/*! Bootstrap */"
        ":root{--bs-blue:#0d6efd}"
        ".btn{padding:1rem}.btn-primary,.btn-unused{color:blue}"
        ".was-validated .form-control:valid{color:green}"
        ".collapse:not(.show){display:none}"
        "@media (min-width:992px){.navbar-expand-lg .navbar-collapse{display:flex}"
        ".offcanvas{display:none}}"
        ".alert-danger{color:red}.alert-dark{color:black}.toast{opacity:0}"
    )
    page = (
        '<button class="btn btn-primary">'
        '<div class="collapse navbar-collapse navbar-expand-lg">'
        '<div class="alert alert-{{ message.tags }}">'
    )
    css = bootstrap_subset(source, [page])
    kept = css.split("*/", 2)[-1]
    assert css.startswith('@charset "UTF-8";\n/*! Bootstrap')  # the licence stays
    assert ":root{--bs-blue:#0d6efd}" in kept
    assert ".btn{padding:1rem}.btn-primary{color:blue}" in kept  # not .btn-unused
    assert ".collapse:not(.show){display:none}" in kept
    assert "@media (min-width:992px){.navbar-expand-lg .navbar-collapse" in kept
    assert ".alert-danger" in kept and ".alert-dark" in kept  # alert-{{ … }}
    for dropped in ("was-validated", "offcanvas", "toast", "btn-unused"):
        assert dropped not in kept


def test_the_classes_of_every_page_are_in_the_subset() -> None:
    css = OUT.read_text()
    for name in (
        "navbar-collapse", "navbar-toggler", "collapse", "show", "container",
        "btn-primary", "btn-outline-secondary", "form-control", "form-select",
        "form-check-input", "is-invalid", "invalid-feedback", "alert-danger",
        "alert-success", "alert-info", "visually-hidden", "col-md-3", "d-flex",
        "badge", "table", "pagination", "text-body-secondary",
    ):  # fmt: skip
        assert f".{name}" in css, name
