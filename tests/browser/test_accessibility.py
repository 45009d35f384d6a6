"""axe-core (the npm package pinned in ``tests/browser/package.json``) run inside Chromium on
every page a shopper sees, signed out and signed in, at desktop and phone sizes.

Every rule axe runs by default, every impact: the test fails on any violation and prints
which rule, where, and why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import chromium
from tests.support.catalogs import Catalog
from tests.support.chromium import expect
from tests.support.processes import create_admin

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": chromium.DESKTOP, "phone": chromium.PHONE}

pytestmark = [
    pytest.mark.system,
    chromium.needs_chromium,
    pytest.mark.skipif(
        not AXE.exists(), reason="axe-core is not installed (make installs it with npm)"
    ),
]


async def violations(page: Any) -> list[str]:
    """axe's violations on the page as it stands, one line per failing node."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document)")
    found = []
    for rule in result["violations"]:
        for node in rule["nodes"]:
            found.append(
                f"{rule['id']} ({rule['impact']}) at {node['target']}: "
                f"{node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return found


async def audit(page: Any, url: str, name: str) -> list[str]:
    await page.goto(url)
    found = [f"{name}: {line}" for line in await violations(page)]
    chromium.ARTIFACTS.mkdir(exist_ok=True)
    (chromium.ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(found, indent=1))
    return found


@pytest.mark.parametrize("size", VIEWPORTS)
async def test_signed_out_pages_have_no_violations(
    browser: Any,
    live_server: str,
    size: str,
) -> None:
    context = await browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = await context.new_page()
    course = await chromium.first_course(page, live_server, "python")
    root = await page.evaluate(
        "() => document.querySelector('a[href^=\"/categories/\"]')?.getAttribute('href')"
    )
    pages = {
        "home": "/",
        "search": "/search?q=python",
        "search-filtered": "/search?q=python&level=beginner",
        "search-none": "/search?q=zzzzqqqq",
        "search-understood": "/search?q=pyhton+courses+under+%2450",
        "category": root or "/categories/development",
        "course": course.removeprefix(live_server),
        "login": "/login",
        "register": "/register",
    }
    found: list[str] = []
    for name, path in pages.items():
        found += await audit(page, live_server + path, f"{name}-{size}")
    await context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", VIEWPORTS)
async def test_signed_in_pages_have_no_violations(
    browser: Any,
    live_server: str,
    size: str,
) -> None:
    """A buyer with a course bought, one in the cart and a wishlist: cart, wishlists,
    My learning and the course page as its owner."""
    base = live_server
    context = await browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = await context.new_page()
    await chromium.sign_up(page, base)

    owned = await chromium.first_course(page, base, "docker")
    await page.goto(owned)
    await page.locator("form[action$='/cart/add'] button").first.click()
    await expect(page.locator("#cart-count")).to_contain_text("1")  # added in place
    await page.goto(f"{base}/cart")
    # On a phone the bar at the bottom has "Buy now" too: the summary's is the first.
    await page.get_by_role("button", name="Buy now").first.click()
    await page.wait_for_url(lambda u: "/orders/" in u)
    receipt = page.url.removeprefix(base)
    await page.goto(owned)
    instructor = await page.locator(".course-hero a[href^='/instructors/']").get_attribute("href")
    learn = "/learn/" + owned.rstrip("/").rsplit("/", 1)[-1]
    wanted = await chromium.first_course(page, base, "kubernetes")
    await page.goto(wanted)
    await page.locator("form[action$='/cart/add'] button").first.click()
    await expect(page.locator("#cart-count")).to_contain_text("1")
    await page.goto(f"{base}/wishlists")
    await page.get_by_label("New list").fill("Later")
    await page.get_by_role("button", name="Create").click()

    pages = {
        "course-owned": owned.removeprefix(base),
        "cart": "/cart",
        "wishlists": "/wishlists",
        "my-learning": "/my-learning",
        "home-signed-in": "/",
        "receipt": receipt,
        "learning": learn,
        "instructor": str(instructor),
        "zero-results": "/search?q=qwxzvbnmk",
    }
    found: list[str] = []
    for name, path in pages.items():
        found += await audit(page, base + path, f"{name}-{size}")
    # A mistake answered in place is a page too: the cart with a bad coupon.
    await page.goto(f"{base}/cart")
    await page.get_by_label("Coupon").fill("NOSUCHCODE")
    await page.get_by_role("button", name="Apply").click()
    found += [f"cart-bad-coupon-{size}: {line}" for line in await violations(page)]
    # And a form's errors beside its fields: sign-up with a bad address and a short password.
    await page.locator(".account-menu summary").click()
    await page.get_by_role("button", name="Log out").click()
    await page.goto(f"{base}/register")
    await page.get_by_label("First name").fill("Al")
    await page.get_by_label("Email").fill("not-an-address")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Sign up").click()
    await page.locator(".field-error").first.wait_for()
    found += [f"register-errors-{size}: {line}" for line in await violations(page)]
    await context.close()
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", VIEWPORTS)
async def test_admin_pages_have_no_violations(
    browser: Any, live_server: str, shop: Catalog, size: str
) -> None:
    import uuid

    email = f"ops-{uuid.uuid4().hex[:8]}@example.com"
    create_admin(shop.url, email, chromium.PASSWORD)
    context = await browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{live_server}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(chromium.PASSWORD)
    await page.get_by_role("button", name="Log in").click()
    await page.wait_for_url(lambda u: "/login" not in u)
    found: list[str] = []
    for name, path in {
        "admin-rules-find": "/admin/rules?find=python",
        "admin-insights": "/admin/search-insights?days=7",
    }.items():
        found += await audit(page, live_server + path, f"{name}-{size}")
    await page.goto(f"{live_server}/admin/rules")
    await page.get_by_label("Query").fill("python")
    await page.get_by_role("button", name="Preview first page").click()
    await page.locator("#preview-h").wait_for()
    found += [f"admin-rules-preview-{size}: {line}" for line in await violations(page)]
    await page.screenshot(
        path=str(chromium.ARTIFACTS / f"admin-rules-preview-{size}.png"), full_page=True
    )
    await context.close()
    assert not found, "\n".join(found)


async def test_the_audit_reports_what_it_finds(
    browser: Any,
    live_server: str,
) -> None:
    """The audit above can fail: an image without text and an unlabelled field are reported."""
    context = await browser.new_context(viewport=chromium.DESKTOP, bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{live_server}/login")
    await page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
           '<img src="/static/avatar.svg"><input name="unlabelled">')"""
    )
    found = " ".join(await violations(page))
    await context.close()
    assert "image-alt" in found and "label" in found, found
