"""Headless Chromium (Debian's package) driven by Playwright, shared by the browser tests.

Screenshots and axe-core reports are saved to ``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (bash .ci/run installs Debian's package)"
)


def expect(locator: Any) -> Any:
    from playwright.async_api import expect as playwright_expect

    return playwright_expect(locator)


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


PASSWORD = "correct horse battery staple"


async def sign_up(page: Any, base: str, first_name: str = "Ada") -> str:
    """A new account made through the sign-up page (the page is left signed in): its e-mail."""
    import uuid

    email = f"{first_name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    await page.goto(f"{base}/register")
    await page.get_by_label("First name").fill(first_name)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign up").click()
    await page.wait_for_url(lambda u: "/register" not in u)
    return email


async def log_out(page: Any) -> None:
    """Log out through the header's account menu."""
    await page.locator(".account-menu summary").click()
    await page.get_by_role("button", name="Log out").click()


async def first_course(page: Any, base: str, query: str) -> str:
    """The URL (without its query) of the first result for ``query``."""
    await page.goto(f"{base}/search?q={query}")
    href = await page.locator(".course-card h3 a").first.get_attribute("href")
    return str(base + href.split("?")[0])


async def add_first_to_cart(page: Any, base: str, query: str) -> str:
    """Add the first result for ``query`` to the cart from its page (the page is left on the
    course, its count in the header): the course's URL."""
    course = await first_course(page, base, query)
    await page.goto(course)
    await page.get_by_role("button", name="Add to cart").first.click()
    await expect(page.locator("#cart-count")).to_contain_text("1")
    return course


def shot(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)
