"""The journey of a person using the Todo Chatbot, in a real headless Chromium, against a base URL:
the container layer points it at a published frontend container, the cluster layer at a
port-forward to the frontend Service. The same steps prove both.

Chromium is Debian's `chromium` (installed on demand when root), driven by Playwright through
`executable_path`; Playwright's own browser download is never used. Each step that fails raises
JourneyFailed naming the step and the page, with a screenshot under build/artifacts/e2e/.
"""

import contextlib
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from deploykit.foundation import paths
from deploykit.foundation.errors import JourneyFailed, ToolMissing
from deploykit.tools import apt

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox: the suite runs as root, where Chromium refuses its sandbox. The rest keeps a headless
# run from phoning home (updates, sync, field trials), so its only traffic goes to base_url.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run")
STEP_TIMEOUT_MS = 15_000
SCREENSHOTS = paths.ARTIFACTS / "e2e"


@contextlib.contextmanager
def chromium(extra_args: tuple[str, ...] = ()):
    """A headless Chromium (Playwright Browser); raises ToolMissing with one line when it cannot run.
    extra_args: more switches (the edge's tests map the route's hostname to 127.0.0.1 and pin
    their test certificate)."""
    if not CHROMIUM.exists():
        apt.ensure_packages("chromium", why="the end-to-end browser test")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ToolMissing("the end-to-end browser test needs Playwright: `pip install playwright` "
                          "(never `playwright install`: Debian's chromium is used)") from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])
        except PlaywrightError as error:
            raise ToolMissing(f"{CHROMIUM} does not start headless: {_first_line(error)}") from None
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class JourneyReport:
    base_url: str
    email: str
    task_title: str
    steps_passed: list = field(default_factory=list)
    chat_notice: str = ""  # what the chat panel told the person
    console_errors: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def csp_violations(self) -> list[str]:
        return [error for error in self.console_errors if "Content Security Policy" in error]


class _Journey:
    def __init__(self, page, report: JourneyReport):
        self.page, self.report = page, report

    @contextlib.contextmanager
    def step(self, name: str):
        from playwright.sync_api import Error as PlaywrightError

        try:
            yield
        except (AssertionError, PlaywrightError) as error:
            raise JourneyFailed(f"step '{name}' failed at {self.page.url}: {_first_line(error)}; "
                                f"screenshot: {self._screenshot(name)}; browser console errors: "
                                f"{self.report.console_errors[-5:] or 'none'}") from None
        self.report.steps_passed.append(name)

    def _screenshot(self, name: str) -> str:
        target = SCREENSHOTS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.page.screenshot(path=str(target), full_page=True)
        except Exception as error:  # a crashed page cannot be photographed; say so instead
            return f"(none: {_first_line(error)})"
        return str(target)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def run_journey(browser, base_url: str) -> JourneyReport:
    """Sign up, add a task, see it, reload, still see it; live updates connect; the chat panel
    says clearly that chat is unavailable (no language-model key is configured)."""
    from playwright.sync_api import expect

    suffix = uuid.uuid4().hex[:8]
    report = JourneyReport(base_url.rstrip("/"), f"e2e-{suffix}@example.com", f"Buy milk {suffix}")
    context = browser.new_context(base_url=report.base_url)
    page = context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)

    def keep_console_error(message):
        if message.type == "error":
            report.console_errors.append(message.text)

    page.on("console", keep_console_error)
    page.on("pageerror", lambda error: report.console_errors.append(str(error)))
    journey, started = _Journey(page, report), time.perf_counter()
    task = page.get_by_test_id("task-title").filter(has_text=report.task_title)
    try:
        with journey.step("open the sign-up page"):
            page.goto("/signup")
        with journey.step("sign up"):
            page.get_by_label("Email", exact=True).fill(report.email)
            page.get_by_label("Password", exact=True).fill(f"pw-{uuid.uuid4().hex}")
            page.get_by_role("button", name="Sign up").click()
            expect(page.get_by_test_id("current-user")).to_have_text(report.email, timeout=STEP_TIMEOUT_MS)
        with journey.step("add a task and see it"):
            page.get_by_label("New task", exact=True).fill(report.task_title)
            page.get_by_role("button", name="Add task").click()
            expect(task).to_be_visible(timeout=STEP_TIMEOUT_MS)
        with journey.step("reload and still see the task"):
            page.reload()
            expect(task).to_be_visible(timeout=STEP_TIMEOUT_MS)
        with journey.step("connect live updates"):
            expect(page.get_by_test_id("live-status")).to_have_text("Live", timeout=STEP_TIMEOUT_MS)
        with journey.step("read that chat is unavailable"):
            page.get_by_label("Your message", exact=True).fill("Add a task to buy bread")
            page.get_by_role("button", name="Send").click()
            notice = page.get_by_test_id("chat-error")
            expect(notice).to_contain_text("unavailable", timeout=STEP_TIMEOUT_MS)
            report.chat_notice = notice.inner_text().strip()
    finally:
        report.seconds = time.perf_counter() - started
        context.close()
    return report
