"""A class on JupyterHub, by one link: the smoke test.

What an instructor does, end to end, on 127.0.0.1: build the student tree and publish it as the
``student`` branch of a git repository (a local one, made here: no network), start a hub, and
give two students the link from ``powkit.student_tree.class_link``. Each student logs in, the
link pulls the course into their home and opens a lesson in JupyterLab (in headless Chromium),
every cell runs, and they answer a quiz question differently. Then: each one's answer is saved in
their own home and nowhere else, no solutions or instructor notes reached them, and when the
instructor publishes an update, a second click brings it without losing a student's edit.

The servers run in the test environment (the developer's set, so nbgrader's menus show here);
what the students' image installs is checked by tests/test_binder.py. Skipped with a reason
where JupyterHub, nbgitpuller, configurable-http-proxy or Chromium are missing; failing instead
under CI.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import hub as harness
import lab as labharness
import pytest
from availability import skip_or_fail

from powkit.banks import default_bank_dir, load_banks
from powkit.student_tree import (
    COURSE_FOLDER,
    build_student_tree,
    class_link,
    commit_to_branch,
)

REPO = Path(__file__).resolve().parent.parent
LESSON = "notebooks/08-captures-in-numbers.ipynb"

pytestmark = pytest.mark.browser


def _hub_or_skip() -> None:
    reason = harness.hub_unavailable_reason() or labharness.browser_unavailable_reason()
    skip_or_fail("the hub smoke test", reason)


@pytest.fixture(scope="module")
def course_repo(tmp_path_factory) -> Path:
    """The instructor's repository with a ``student`` branch built by ``student-tree``."""
    _hub_or_skip()
    root = tmp_path_factory.mktemp("instructor")
    repo = harness.instructor_repo(root / "class-repo")
    tree = root / "tree"
    build_student_tree(tree, REPO)
    commit_to_branch(tree, "student", repo)
    return repo


@pytest.fixture(scope="module")
def running_hub(course_repo, tmp_path_factory):
    server = harness.start_hub(tmp_path_factory.mktemp("hub"))
    yield server
    harness.stop_hub(server)


@pytest.fixture(scope="module")
def chromium(_chromium):
    """The session's headless Chromium (conftest.py): one Playwright per test run."""
    _hub_or_skip()
    return _chromium


def _follow_link_as(browser, hub, user: str, link: str):
    """A student logs in and clicks the class link; returns their tab once the lesson's
    kernel is ready."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(link)
    page.wait_for_selector("#username_input")  # not logged in yet: the hub asks who you are
    page.fill("#username_input", user)
    page.fill("#password_input", "any password")
    page.click("#login_submit")
    # The hub starts the server, nbgitpuller pulls the course, JupyterLab opens the lesson.
    page.wait_for_url(f"**/user/{user}/lab/tree/{COURSE_FOLDER}/**", timeout=180_000)
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    page.wait_for_function(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            return w && w.sessionContext && w.sessionContext.session &&
                   w.sessionContext.session.kernel &&
                   w.sessionContext.session.kernel.status === 'idle';
        }""",
        timeout=120_000,
    )
    return context, page


def _option_text(label: str) -> str:
    """An option as the bank writes it: without the letter the quiz puts in front."""
    return " ".join(re.sub(r"^[A-Z]\.\s+", "", label.strip()).split())


def _run_lesson_and_answer(page, avoid: str | None) -> str:
    """Run every cell, then answer the lesson's last quiz with the first option shown that is
    not ``avoid``; returns the option's text."""
    tab = labharness.LabPage(lab=None, page=page)
    tab.run_all(timeout_ms=180_000)
    assert tab.errors() == [], "error output in the lesson on the hub"
    quiz = page.locator(".powkit-quiz").last
    quiz.scroll_into_view_if_needed()
    # A radio button or a checkbox (the question shown first is drawn at random), each inside
    # the label that carries its text.
    inputs = quiz.locator(".powkit-option input")
    shown = [
        _option_text(inputs.nth(i).locator("xpath=ancestor::label[1]").inner_text())
        for i in range(inputs.count())
    ]
    pick = next(i for i, text in enumerate(shown) if text and text != avoid)
    inputs.nth(pick).check()
    page.wait_for_timeout(200)
    quiz.locator("button.powkit-check, .powkit-check button").first.click()
    quiz.locator(
        ".powkit-feedback .powkit-verdict-right, .powkit-feedback .powkit-verdict-wrong"
    ).first.wait_for(timeout=30_000)
    return shown[pick]


def _answers(home: Path) -> list[dict]:
    path = home / ".powkit" / "progress.json"
    assert path.is_file(), f"no progress saved in {home}"
    return json.loads(path.read_text(encoding="utf-8"))["answers"]


def test_a_class_by_one_link(running_hub, course_repo, chromium, tmp_path):
    link = class_link(running_hub.url, f"file://{course_repo}", "student", LESSON)
    tabs, picked = {}, {}
    try:
        for user in ("alice", "bob"):
            context, page = _follow_link_as(chromium, running_hub, user, link)
            tabs[user] = context
            picked[user] = _run_lesson_and_answer(page, avoid=picked.get("alice"))
        # JupyterLab as the image sets it up: no extension manager, no news from the internet.
        assert page.evaluate(
            "() => window.jupyterapp.hasPlugin('@jupyterlab/notebook-extension:tracker')"
        )
        assert (
            page.evaluate(
                "() => window.jupyterapp.hasPlugin('@jupyterlab/extensionmanager-extension:plugin')"
            )
            is False
        )
        settings = page.request.get(
            f"{running_hub.url}/user/bob/lab/api/settings/@jupyterlab/apputils-extension:notification"
        ).json()
        defaults = {k: v.get("default") for k, v in settings["schema"]["properties"].items()}
        assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False
    except Exception:
        print(running_hub.log_tail())
        raise

    # The course is in each home, without the answers.
    for user in ("alice", "bob"):
        course = running_hub.home(user) / COURSE_FOLDER
        assert (course / LESSON).is_file()
        assert (course / "exercises").is_dir() and (course / "data" / "gc3.json").is_file()
        assert not (course / "solutions").exists() and not (course / "instructor").exists()

    # Each answer is saved in its own student's home, and only there.
    for user in ("alice", "bob"):
        answers = _answers(running_hub.home(user))
        assert len(answers) == 1, answers
        (answer,) = answers
        bank = next(b for b in load_banks(default_bank_dir()) if b.id == answer["bank"])
        options = bank.question(answer["question"]).options
        saved = [_option_text(options[i].text) for i in answer["chosen"]]
        assert saved == [picked[user]], (user, saved, picked[user])
    files = sorted(
        p.relative_to(running_hub.workdir).as_posix()
        for p in running_hub.workdir.rglob("progress.json")
    )
    assert files == ["home/alice/.powkit/progress.json", "home/bob/.powkit/progress.json"]

    # The students' servers ran with the image's configuration (binder/jupyter-config).
    log = running_hub.log_path.read_text(errors="replace")
    assert "Culling kernels with idle durations > 3600 seconds" in log
    assert "jupyter_lsp | extension was successfully loaded" not in log
    assert "nbgitpuller | extension was successfully loaded" in log

    # The instructor publishes an update; Alice has edited her copy; she clicks the link again.
    mine = running_hub.home("alice") / COURSE_FOLDER / "exercises" / "my-notes.md"
    mine.write_text("Alice's notes\n")
    update = tmp_path / "update"
    shutil.copytree(course_repo.parent / "tree", update)
    (update / "notebooks" / "announcement.md").write_text("Seminar moved to Thursday.\n")
    commit_to_branch(update, "student", course_repo)
    page = tabs["alice"].new_page()
    page.goto(link)
    page.wait_for_url(f"**/user/alice/lab/tree/{COURSE_FOLDER}/**", timeout=120_000)
    course = running_hub.home("alice") / COURSE_FOLDER
    assert (course / "notebooks" / "announcement.md").read_text() == "Seminar moved to Thursday.\n"
    assert mine.read_text() == "Alice's notes\n"
    for context in tabs.values():
        context.close()
