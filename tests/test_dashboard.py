"""The operator's dashboard in a real headless browser (Debian's Chromium through Playwright) on the real stack:
the page asks for a token and shows nothing without one, follows a sync to `completed`, and replays a dead
letter by a click. The browser is installed first when the machine has none (devtools/browser.py)."""

import time
from collections.abc import AsyncIterator
from pathlib import Path

import jwt
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from devtools.browser import LAUNCH_ARGS, BrowserUnavailable, ensure_chromium
from devtools.infra import Infra
from devtools.stack import Stack
from devtools.stack_client import StackClient
from tests.conftest import REPO, make_merchant

SCREENSHOT = REPO / ".run" / "dashboard.png"
SYNC_SECONDS = 120
# The page's own caller, so that its polling and the test's API calls count against different rate limits.
OPERATOR = "dashboard-operator"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, installed when missing; a clear failure (never a skip) when it cannot be."""
    try:
        return ensure_chromium()
    except BrowserUnavailable as exc:
        pytest.fail(f"the dashboard test needs a headless Chromium: {exc}", pytrace=False)


@pytest.fixture(scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(chromium), args=LAUNCH_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh tab (its own sessionStorage); fails the test on any uncaught error in the page's script."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    opened = await context.new_page()
    page_errors: list[str] = []
    opened.on("pageerror", lambda error: page_errors.append(str(error)))
    yield opened
    await context.close()
    assert page_errors == [], f"the page's script failed: {page_errors}"


async def open_dashboard(page: Page, stack: Stack) -> None:
    response = await page.goto(f"{stack.producer_url}/dashboard")
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    await expect(page.get_by_test_id("token-panel")).to_be_visible()


async def paste_token(page: Page, token: str) -> None:
    await page.get_by_label("Bearer token", exact=True).fill(token)
    await page.get_by_test_id("token-submit").click()


async def test_without_a_valid_token_the_page_shows_no_data(page: Page, stack: Stack, client: StackClient) -> None:
    await open_dashboard(page, stack)
    data = page.get_by_test_id("data")
    await expect(data).to_be_hidden()
    await expect(page.get_by_test_id("sync")).to_have_count(0)

    now = int(time.time())
    another_secret = "not-the-producer-secret-" + "x" * 16
    forged = jwt.encode({"sub": OPERATOR, "domains": ["*"], "exp": now + 600}, another_secret, algorithm="HS256")
    await paste_token(page, forged)
    alert = page.get_by_test_id("api-error")
    await expect(alert).to_contain_text("invalid token")
    await expect(alert).to_contain_text("401")
    await expect(data).to_be_hidden()
    await expect(page.get_by_test_id("token-panel")).to_be_visible()
    assert await page.evaluate("() => sessionStorage.length") == 0, "a refused token is not kept"

    expired = jwt.encode({"sub": OPERATOR, "domains": ["*"], "exp": now - 60}, client.jwt_secret, algorithm="HS256")
    await paste_token(page, expired)
    await expect(alert).to_contain_text("token has expired")
    await expect(data).to_be_hidden()

    await paste_token(page, client.token(["*"], subject=OPERATOR))
    await expect(data).to_be_visible()
    await expect(alert).to_be_hidden()
    await expect(page.get_by_test_id("session-info")).to_contain_text(OPERATOR)
    await expect(page.get_by_test_id("queue")).not_to_have_count(0)
    await page.reload()  # the token stays for this tab
    await expect(data).to_be_visible()
    await page.get_by_test_id("forget-token").click()
    await expect(data).to_be_hidden()
    await expect(page.get_by_test_id("queue")).to_have_count(0)
    assert await page.evaluate("() => sessionStorage.length") == 0

    # A token for one tenant asking for another's dead letters (a tenant remembered from before): the 403.
    await paste_token(page, client.token(["only-this.example"], subject=OPERATOR))
    await expect(page.get_by_label("Tenant", exact=True).locator("option[value='only-this.example']")).to_have_count(1)
    await page.evaluate("() => sessionStorage.setItem('commerce-sync.dashboard.domain', 'someone-else.example')")
    await page.reload()
    dead_letters_error = page.get_by_test_id("dead-letters-error")
    await expect(dead_letters_error).to_contain_text("may not see this tenant")
    await expect(dead_letters_error).to_contain_text("403")
    await expect(page.get_by_test_id("dead-letter")).to_have_count(0)
    await expect(data).to_be_visible()


async def test_an_operator_watches_a_sync_complete_and_replays_a_dead_letter(
    page: Page, stack: Stack, client: StackClient, infra: Infra
) -> None:
    merchant = await make_merchant(client, infra, size=12, seed=41)
    read_only = await make_merchant(client, infra, size=10, seed=42)
    await client.register_shop(read_only.shop, read_only.shopify_token, write_access=False)

    await open_dashboard(page, stack)
    await paste_token(page, client.token(["*"], subject=OPERATOR))
    await expect(page.get_by_test_id("data")).to_be_visible()

    # A comprehensive sync, started through the API, followed on the page until it completes.
    sync_id = await client.start_sync(merchant.domain, route="comprehensive-sync")
    tenant = page.locator(f'[data-testid="tenant"][data-domain="{merchant.domain}"]')
    card = tenant.locator(f'[data-testid="sync"][data-sync-id="{sync_id}"]')
    await expect(card).to_be_visible(timeout=10_000)
    await expect(card).to_have_attribute("data-state", "completed", timeout=SYNC_SECONDS * 1000)
    await expect(card.get_by_test_id("sync-state")).to_have_text("completed")
    status = await client.sync_status(sync_id)
    assert status["state"] == "completed" and status["totals"]["progress"]["failed"] == 0, status
    bars = card.get_by_test_id("step-progress")
    await expect(bars).to_have_count(len(status["steps"]))
    for index in range(len(status["steps"])):
        await expect(bars.nth(index)).to_have_attribute("aria-valuenow", "100")
    for name, step in status["steps"].items():
        row = card.locator(f'[data-testid="step"][data-step="{name}"]')
        await expect(row).to_have_attribute("data-state", "completed")
        await expect(row).to_have_attribute("data-succeeded", str(step["progress"]["succeeded"]))
    products = card.locator('[data-testid="step"][data-step="products"]')
    assert int(await products.get_attribute("data-succeeded") or 0) > 0
    products_done = page.locator('[data-testid="queue"][data-queue="product-mutations"] [data-column="done"]')
    await expect(products_done).not_to_have_text("0", timeout=10_000)

    # A shop without the write scope: every mutation of its sync is dead-lettered as access_denied.
    denied_sync = await client.start_sync(read_only.domain)
    denied_card = page.locator(f'[data-testid="sync"][data-sync-id="{denied_sync}"]')
    await expect(denied_card).to_have_attribute("data-state", "completed", timeout=SYNC_SECONDS * 1000)
    planned = (await client.sync_status(denied_sync))["totals"]["planned"]["creates"]
    assert planned >= 2
    denied_products = denied_card.locator('[data-testid="step"][data-step="products"]')
    await expect(denied_products).to_have_attribute("data-failed", str(planned))
    await expect(denied_card.get_by_test_id("sync-errors")).to_contain_text("access_denied")

    await page.get_by_label("Tenant", exact=True).select_option(read_only.domain)
    letters = page.get_by_test_id("dead-letter")
    await expect(letters).to_have_count(planned)
    first = letters.first
    await expect(first.get_by_test_id("error-class")).to_have_text("access_denied")
    await expect(first).to_contain_text("1 attempt")
    await expect(first.get_by_test_id("dead-message")).not_to_be_empty()

    # The merchant grants the write scope; the operator replays one dead letter by clicking.
    await client.register_shop(read_only.shop, read_only.shopify_token, write_access=True)
    replayed_id = await first.get_attribute("data-id")
    await first.get_by_role("button", name="Replay").click()
    await expect(page.get_by_test_id("notice")).to_contain_text("Replayed 1 dead letter")
    await expect(page.locator(f'[data-testid="dead-letter"][data-id="{replayed_id}"]')).to_have_count(0)
    await expect(letters).to_have_count(planned - 1)
    await expect(denied_products).to_have_attribute("data-succeeded", "1", timeout=SYNC_SECONDS * 1000)
    await expect(denied_card).to_have_attribute("data-state", "completed", timeout=SYNC_SECONDS * 1000)
    await expect(denied_products).to_have_attribute("data-failed", str(planned - 1))

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)

    # "Replay all" (after a confirmation) takes the rest; the sync completes without a failure.
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_test_id("replay-all").click()
    await expect(page.get_by_test_id("no-dead-letters")).to_be_visible(timeout=10_000)
    await expect(denied_products).to_have_attribute("data-succeeded", str(planned), timeout=SYNC_SECONDS * 1000)
    await expect(denied_card).to_have_attribute("data-state", "completed", timeout=SYNC_SECONDS * 1000)
    final = await client.sync_status(denied_sync)
    assert final["totals"]["progress"] == {"succeeded": planned, "failed": 0, "pending": 0}, final
