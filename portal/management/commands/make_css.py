"""Write static/css/bootstrap-portal.css: Bootstrap's CSS with only the rules the
portal's pages can use.

Bootstrap's stylesheet is 232 KB (31 KB compressed) and blocks the first render
of every page while the browser parses it; the pages use about a fifth of it. A
rule is kept when every class its selector needs is a word somewhere in the
templates, the scripts, the Python code (form widgets' classes) or the crispy
forms templates and code, or starts with a prefix that a template completes
(``alert-{{ ... }}``); rules without classes (variables, elements, themes) and
@font-face/@keyframes are kept as they are. Generous on purpose: a word that only
looks like a class keeps a rule, never the reverse.

The file is committed, so the portal needs no CSS tool at run time; run
`make css` after adding a Bootstrap class to a page (a test fails until then).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

OUT = settings.BASE_DIR / "static" / "css" / "bootstrap-portal.css"
# The portal's own sources; the packages that render its forms.
SOURCES = {
    settings.BASE_DIR: (
        "templates/**/*.html",
        "static/js/**/*.js",
        "portal/**/*.py",
        "accounts/**/*.py",
        "places/**/*.py",
        "feedback/**/*.py",
        "stats/**/*.py",
        "open311/**/*.py",
    ),
}
PACKAGES = ("crispy_forms", "crispy_bootstrap5")
_WORD = re.compile(r"[A-Za-z0-9_-]+")
# A class name a template or script completes: alert-{{ tag }}, btn-${kind}.
_PREFIX = re.compile(r"([a-z0-9-]+-)(?:\{\{|\{%|\$\{)")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")
_NOT = re.compile(r":not\([^()]*\)")
_GROUPS = ("media", "supports", "container", "layer")


def source_files() -> list[Path]:
    import importlib

    found: list[Path] = []
    for base, patterns in SOURCES.items():
        for pattern in patterns:
            found += [
                p
                for p in base.glob(pattern)
                # This file names classes and prefixes as examples, not uses.
                if "migrations" not in p.parts and p != Path(__file__)
            ]
    for name in PACKAGES:
        module = importlib.import_module(name)
        root = Path(str(module.__file__)).parent
        found += [*root.glob("**/*.html"), *root.glob("**/*.py")]
    return sorted(found)


def _split_selectors(prelude: str) -> list[str]:
    """``a, b:is(c, d)`` -> ["a", "b:is(c, d)"]: commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in prelude:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


class Subset:
    def __init__(self, texts: Iterable[str]) -> None:
        text = "\n".join(texts)
        self.words = set(_WORD.findall(text))
        self.prefixes = tuple(sorted(set(_PREFIX.findall(text))))

    def used(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)

    def keeps(self, selector: str) -> bool:
        # A class inside :not(...) is one the element must not have.
        return all(self.used(name) for name in _CLASS.findall(_NOT.sub("", selector)))

    def rules(self, rules: Iterable[Any]) -> list[str]:
        import tinycss2

        out: list[str] = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = tinycss2.serialize(rule.prelude)
                kept = [s for s in _split_selectors(prelude) if self.keeps(s)]
                if kept:
                    body = tinycss2.serialize(rule.content)
                    out.append(",".join(kept) + "{" + body + "}")
            elif rule.type == "at-rule":
                if rule.lower_at_keyword in _GROUPS and rule.content is not None:
                    inner = self.rules(
                        tinycss2.parse_rule_list(
                            rule.content, skip_comments=True, skip_whitespace=True
                        )
                    )
                    if inner:
                        head = "@" + rule.at_keyword + tinycss2.serialize(rule.prelude)
                        out.append(head + "{" + "".join(inner) + "}")
                elif rule.lower_at_keyword != "charset":
                    out.append(tinycss2.serialize([rule]))
        return out


def bootstrap_subset(source: str, texts: Iterable[str]) -> str:
    import tinycss2  # a development tool only: the committed file is served

    rules = tinycss2.parse_stylesheet(source, skip_whitespace=True)
    banner = next((r.value for r in rules if r.type == "comment"), "")
    kept = Subset(texts).rules(r for r in rules if r.type != "comment")
    return (
        '@charset "UTF-8";\n'
        f"/*{banner}\n * The rules the portal uses; made by `make css` "
        "(portal/management/commands/make_css.py). */\n" + "".join(kept) + "\n"
    )


class Command(BaseCommand):
    help = "Write static/css/bootstrap-portal.css from Bootstrap's CSS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=OUT)

    def handle(self, *args: Any, **options: Any) -> None:
        import xstatic.pkg.bootstrap

        source = Path(xstatic.pkg.bootstrap.BASE_DIR, "css", "bootstrap.min.css")
        texts = (p.read_text(errors="ignore") for p in source_files())
        css = bootstrap_subset(source.read_text(), texts)
        out: Path = options["out"]
        out.write_text(css)
        self.stdout.write(f"{out} ({len(css):,} bytes of {source.stat().st_size:,})")
