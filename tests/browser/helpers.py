"""Helpers for browser tests: accessibility checks and screenshots."""

from __future__ import annotations

from functools import cache
from typing import Any

from captcha.models import CaptchaStore
from playwright.sync_api import Page

from tests.tools import AXE, ROOT

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"


@cache
def axe_source() -> str:
    """axe-core from node_modules, read on first use so collection never needs it."""
    return AXE.read_text()


def assert_accessible(page: Page) -> None:
    """Fail on any serious or critical axe-core violation (WCAG 2.1 A and AA)."""
    # Colours as they settle, not halfway through a transition (a button just
    # clicked fades its focus colours in over 0.15 s): finite animations end first.
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
            .map((a) => a.finished.catch(() => null)))"""
    )
    # Injected through evaluate: the portal's CSP would refuse a script tag.
    page.evaluate(axe_source())
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    serious = [
        violation
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"axe found violations on {page.url}:\n{details}"


def assert_accessible_without_script(page: Page) -> None:
    """assert_accessible for a page in a context with JavaScript off, where axe
    cannot run (its promises never settle): the same markup, at the same URL and
    width, is checked in a context that runs script."""
    browser = page.context.browser
    assert browser is not None
    checker = browser.new_context(viewport=page.viewport_size)
    try:
        copy = checker.new_page()
        copy.goto(page.url)
        copy.set_content(page.content())
        assert_accessible(copy)
    finally:
        checker.close()


def screenshots(page: Page, name: str, widths: tuple[int, ...] = (360, 1280)) -> None:
    """Save full-page screenshots at phone and desktop widths as test artefacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " > document.documentElement.clientWidth"
        )
        assert not overflow, f"{name} scrolls sideways at {width} px"


def solve_captcha(page: Page) -> None:
    """Type the real answer of the captcha shown on the page."""
    key = page.locator("input[name=captcha_0]").input_value()
    answer = CaptchaStore.objects.get(hashkey=key).response
    page.fill("input[name=captcha_1]", answer)
