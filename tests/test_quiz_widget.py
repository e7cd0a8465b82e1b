"""The Quiz and Scenario widgets, driven through their Python API the way a learner clicks."""

from __future__ import annotations

import html
import re
from pathlib import Path

import ipywidgets as widgets
import pytest
import yaml

from powkit import banks, convention
from powkit.progress import Progress
from powkit.quiz import Quiz, Scenario

REPO = Path(__file__).resolve().parent.parent


def _q(
    qid,
    topic="public_curiosity",
    difficulty=1,
    kind="single",
    correct=(0,),
    n=3,
    articles=("GCIII 13(2)",),
):
    return {
        "id": qid,
        "topic": topic,
        "difficulty": difficulty,
        "scenario": f"Situation of {qid}.",
        "prompt": f"Prompt of {qid}?",
        "kind": kind,
        "options": [
            {
                "text": f"{qid} option {i}",
                "correct": i in correct,
                "feedback": f"{qid} feedback {i}",
            }
            for i in range(n)
        ],
        "articles": list(articles),
    }


QUESTIONS = [
    _q("pc-01", correct=(0,)),
    _q("pc-02", difficulty=2, correct=(2,), articles=("GCIII 13(2)", "GCIII 7")),
    _q("pc-03", kind="multiple", correct=(0, 2), n=4, difficulty=3),
    _q("st-01", topic="status", correct=(1,), articles=("GCIII 17(4)",)),
    _q("st-02", topic="status", difficulty=2, correct=(0,)),
]


@pytest.fixture
def bank_path(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(
        yaml.safe_dump({"bank": "demo", "title": "Demo bank", "questions": QUESTIONS}),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def bank(bank_path):
    return banks.load_bank(bank_path)


def _first_line(citation: str) -> str:
    return html.escape(convention.resolve(citation)[0].text.split("\n")[0])


def answer(quiz: Quiz, right: bool = True) -> bool | None:
    """Choose the right (or a wrong) answer to the current question and check it."""
    good = quiz.correct_indexes
    if right:
        quiz.select(good if quiz.current.kind == "multiple" else good[0])
    else:
        wrong = next(i for i in range(len(quiz.options)) if i not in good)
        quiz.select(wrong)
    return quiz.check()


# --------------------------------------------------------------------------- one question


def test_check_shows_per_option_feedback_and_the_article_text(bank):
    quiz = Quiz(bank, seed=7, shuffle=False)
    q = quiz.current
    assert q.id == "pc-01"
    assert quiz.feedback_html == "" and quiz.articles_html == ""
    quiz.select(0)
    assert quiz.check() is True
    fb = quiz.feedback_html
    assert "Right." in fb
    for i in range(3):
        assert f"pc-01 feedback {i}" in fb
    assert "your answer" in fb
    assert _first_line("GCIII 13(2)") in quiz.articles_html
    assert quiz.score == (1, 1, 5)
    # the radio buttons are locked and Next is offered
    assert (
        quiz._option_widgets[0].disabled
        and quiz._check_button.disabled
        and not quiz._next_button.disabled
    )


def test_articles_are_in_panels_that_open_and_close(bank):
    """Each cited article in its own <details> panel, the first open, shown with the feedback in
    one HTML message (no widget per article)."""
    quiz = Quiz(bank, seed=7, shuffle=False)
    quiz.select(0)
    quiz.check()
    quiz.next()
    quiz.select(2)
    quiz.check()
    html_text = quiz.articles_html
    assert html_text.startswith('<div class="powkit-articles mathjax_ignore" role="group"')
    panels = re.findall(r"<details([^>]*)><summary>([^<]*)</summary>(.*?)</details>", html_text)
    assert len(panels) == 2
    assert " open" in panels[0][0] and " open" not in panels[1][0]
    assert panels[0][1].startswith("GCIII 13(2)") and panels[1][1].startswith("GCIII 7")
    assert _first_line("GCIII 7") in panels[1][2]
    # the panels end the feedback widget; feedback_html is the feedback alone
    assert quiz._feedback.value == quiz.feedback_html + html_text
    assert "powkit-verdict" in quiz.feedback_html and "<details" not in quiz.feedback_html
    assert not any(isinstance(w, widgets.Accordion) for w in quiz._question_box.children)


def test_feedback_and_articles_are_never_typeset_as_mathematics(bank):
    """Law text has no formulas, and a '$' in a feedback (an amount of money) must not start
    one; MathJax skipping them also spares the browser a scan of every word after Check."""
    quiz = Quiz(bank, seed=7, shuffle=False)
    quiz.select(0)
    quiz.check()
    assert 'class="powkit-feedback-body mathjax_ignore"' in quiz.feedback_html
    assert 'class="powkit-articles mathjax_ignore"' in quiz.articles_html


def test_the_articles_are_ready_before_check(bank, monkeypatch):
    """The cited articles are looked up and formatted when the question is shown, so that
    pressing Check only sends them."""
    from powkit import quiz as quiz_module

    quiz = Quiz(bank, seed=7, shuffle=False)
    made = []
    original = quiz_module._articles_panels
    monkeypatch.setattr(
        quiz_module, "_articles_panels", lambda c, **k: made.append(c) or original(c, **k)
    )
    quiz.select(0)
    quiz.check()
    assert made == [] and "<details" in quiz.articles_html
    quiz.next()
    assert len(made) == 1  # the next question's, made as it is shown
    quiz.select(0)
    quiz.check()
    assert len(made) == 1


def test_wrong_answer_is_marked_and_scored(bank):
    quiz = Quiz(bank, seed=1, shuffle=False)
    assert answer(quiz, right=False) is False
    assert "Not quite." in quiz.feedback_html
    assert quiz.score == (0, 1, 5)


def test_multiple_needs_every_correct_option(bank):
    quiz = Quiz(bank, shuffle=False, topics="public_curiosity", difficulty=3)
    assert quiz.current.id == "pc-03" and quiz.current.kind == "multiple"
    assert all(isinstance(w, widgets.Checkbox) for w in quiz._option_widgets)
    quiz.select([0])
    assert quiz.check() is False
    quiz2 = Quiz(bank, shuffle=False, topics="public_curiosity", difficulty=3)
    quiz2.select([0, 2])
    assert quiz2.check() is True


def test_check_without_a_choice_asks_for_one(bank):
    quiz = Quiz(bank, seed=3)
    assert quiz.check() is None
    assert "Choose an answer first" in quiz.feedback_html
    assert quiz.score.answered == 0


def test_next_before_check_is_refused(bank):
    quiz = Quiz(bank, seed=3)
    with pytest.raises(RuntimeError, match="check"):
        quiz.next()


def test_select_validates_indexes(bank):
    quiz = Quiz(bank, seed=3, shuffle=False)
    with pytest.raises(ValueError, match="out of range"):
        quiz.select(9)
    with pytest.raises(ValueError, match="one answer"):
        quiz.select([0, 1])
    quiz.select(0)
    quiz.check()
    with pytest.raises(RuntimeError, match="already checked"):
        quiz.select(1)


def test_clicking_the_widgets_is_the_same_as_the_api(bank):
    quiz = Quiz(bank, seed=3, shuffle=False)
    quiz._option_widgets[0].value = 0  # what a click on the first radio button does
    quiz._check_button.click()
    assert quiz.score == (1, 1, 5)
    quiz._next_button.click()
    assert quiz.current.id == "pc-02"


def test_buttons_have_descriptions_tooltips_and_css_classes(bank):
    quiz = Quiz(bank, seed=3)
    for button, cls in ((quiz._check_button, "powkit-check"), (quiz._next_button, "powkit-next")):
        assert button.description and button.tooltip and cls in button._dom_classes
    assert "powkit-option" in quiz._option_widgets[0]._dom_classes
    assert "powkit-feedback" in quiz._feedback._dom_classes
    assert isinstance(quiz._option_widgets[0], widgets.RadioButtons)


# --------------------------------------------------------------------------- the whole quiz


def test_walk_to_the_end_and_get_a_summary_by_topic(bank):
    quiz = Quiz(bank, seed=11)
    rights = [True, False, True, True, False]
    for right in rights:
        answer(quiz, right)
        quiz.next()
    assert quiz.finished and quiz.current is None
    s = quiz.summary()
    assert (s["total"], s["answered"], s["correct"]) == (5, 5, 3)
    assert set(s["by_topic"]) == {"status", "public_curiosity"}
    assert s["by_topic"]["public_curiosity"]["total"] == 3 and s["by_topic"]["status"]["total"] == 2
    assert sum(t["correct"] for t in s["by_topic"].values()) == 3
    assert (
        "3 of 5" in quiz.summary_html
        and "Public curiosity" in quiz.summary_html
        and "Status" in quiz.summary_html
    )
    quiz.restart()
    assert quiz.score == (0, 0, 5) and quiz.current is not None


def test_seed_fixes_question_and_option_order(bank):
    a, b = Quiz(bank, seed=42), Quiz(bank, seed=42)
    assert [q.id for q in a.questions] == [q.id for q in b.questions]
    for _ in range(5):
        assert [o.text for o in a.options] == [o.text for o in b.options]
        answer(a)
        answer(b)
        a.next()
        b.next()
    orders = {tuple(q.id for q in Quiz(bank, seed=s).questions) for s in range(12)}
    assert len(orders) > 1
    option_orders = {
        tuple(o.text for o in Quiz(bank, seed=s, topics="status", difficulty=1).options)
        for s in range(12)
    }
    assert len(option_orders) > 1


def test_without_shuffle_bank_order_is_kept(bank):
    quiz = Quiz(bank, shuffle=False)
    assert [q.id for q in quiz.questions] == [q["id"] for q in QUESTIONS]
    assert [o.text for o in quiz.options] == [o["text"] for o in QUESTIONS[0]["options"]]


def test_topic_and_difficulty_filters(bank):
    assert {q.id for q in Quiz(bank, topics="status").questions} == {"st-01", "st-02"}
    assert {q.id for q in Quiz(bank, difficulty=2).questions} == {"pc-02", "st-02"}
    assert {q.id for q in Quiz(bank, topics=["status"], difficulty=[1, 3]).questions} == {"st-01"}
    quiz = Quiz(bank, seed=2)
    quiz._topic_filter.value = ("public_curiosity",)  # as choosing in the dropdown does
    assert {q.id for q in quiz.questions} == {"pc-01", "pc-02", "pc-03"}
    quiz._difficulty_filter.value = (3,)
    assert [q.id for q in quiz.questions] == ["pc-03"]
    quiz.set_filters(topics=None, difficulty=None)
    assert len(quiz.questions) == 5
    with pytest.raises(ValueError, match="topic"):
        Quiz(bank, topics="curiosity")


def test_filter_with_no_match_says_so(bank):
    quiz = Quiz(bank, topics="status", difficulty=3)
    assert quiz.finished and "No question matches" in quiz.summary_html


def test_exam_mode_withholds_feedback_until_the_review(bank):
    quiz = Quiz(bank, seed=5, exam=True)
    for i in range(5):
        answer(quiz, right=i % 2 == 0)
        assert "Right." not in quiz.feedback_html and "Not quite." not in quiz.feedback_html
        assert "feedback" not in quiz.feedback_html.replace("Feedback", "")
        assert quiz.articles_html == ""
        assert "Score" not in quiz._score_html.value
        quiz.next()
    assert quiz.finished
    assert quiz.summary()["correct"] == 3
    review = quiz.review_html
    for q in QUESTIONS:
        assert f"Prompt of {q['id']}?" in review
        assert f"{q['id']} feedback 0" in review
    assert _first_line("GCIII 17(4)") in review and _first_line("GCIII 7") in review
    assert review.count("Right.") == 3 and review.count("Not quite.") == 2


def test_quiz_from_list_of_questions_and_from_path(bank, bank_path):
    assert len(Quiz(list(bank.questions[:2])).questions) == 2
    assert Quiz(str(bank_path)).title == "Demo bank"
    with pytest.raises(ValueError, match="at least one question"):
        Quiz([])


def test_from_bank_loads_by_name(bank_path, monkeypatch, tmp_path):
    own = tmp_path / "my-data" / "quizzes"
    own.mkdir(parents=True)
    (own / "demo.yaml").write_text(bank_path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path / "my-data"))
    quiz = Quiz.from_bank("demo", seed=1)
    assert len(quiz.questions) == 5
    with pytest.raises(FileNotFoundError, match="available: demo"):
        Quiz.from_bank("nope")


@pytest.mark.parametrize(
    "path", sorted((REPO / "data" / "quizzes").glob("*.yaml")), ids=lambda p: p.stem
)
def test_every_shipped_bank_runs_in_a_quiz(path):
    quiz = Quiz.from_bank(path.stem, seed=0)
    while not quiz.finished:
        assert answer(quiz) is True
        assert quiz.articles_html.count("powkit-passage") >= 1
        quiz.next()
    assert quiz.summary()["correct"] == len(quiz.questions)


# --------------------------------------------------------------------------- progress


def test_progress_is_saved_and_the_quiz_resumes(bank, tmp_path):
    store = Progress(tmp_path / "home")
    quiz = Quiz(bank, seed=9, progress=store)
    first_two = [quiz.questions[0].id, quiz.questions[1].id]
    answer(quiz, right=True)
    quiz.next()
    answer(quiz, right=False)
    saved = store.answers("demo")
    assert [a.question for a in saved] == first_two and [a.correct for a in saved] == [True, False]
    # the original option index is saved, whatever the display order
    q0 = bank.question(first_two[0])
    assert saved[0].chosen == q0.correct_indexes
    # a new session (closing and reopening the notebook) continues at the third question
    again = Quiz(bank, seed=9, progress=store)
    assert again.current.id == quiz.questions[2].id
    assert again.score == (1, 2, 5)
    again.restart()
    assert again.current.id == quiz.questions[0].id and again.score == (0, 0, 5)


def test_progress_true_uses_powkit_home(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("POWKIT_HOME", str(tmp_path / "ph"))
    quiz = Quiz(bank, seed=1, progress=True)
    answer(quiz)
    assert (tmp_path / "ph" / "progress.json").exists()


# --------------------------------------------------------------------------- scenarios

SCENARIO = {
    "scenario": "press-demo",
    "title": "Press officer <demo>",
    "description": "You are the press officer.",
    "start": "briefing",
    "nodes": {
        "briefing": {
            "text": "Journalists ask to film captured soldiers. <script>alert(1)</script>",
            "choices": [
                {
                    "text": "Refuse all filming.",
                    "goto": "end-lawful",
                    "feedback": "You protect them.",
                    "articles": ["GCIII 13(2)"],
                },
                {
                    "text": "Allow close-up interviews.",
                    "goto": "aftermath",
                    "feedback": "You expose them.",
                    "articles": ["GCIII 13(2)"],
                },
            ],
        },
        "aftermath": {
            "text": "The footage spreads.",
            "choices": [
                {
                    "text": "Blur and withdraw it.",
                    "goto": "end-contested",
                    "feedback": "Late damage control.",
                },
                {"text": "Publish more.", "goto": "end-unlawful", "feedback": "Worse."},
            ],
        },
        "end-lawful": {
            "text": "No images.",
            "outcome": "lawful",
            "debrief": "Protection kept.",
            "articles": ["GCIII 13(2)"],
        },
        "end-contested": {
            "text": "Blurred.",
            "outcome": "contested",
            "debrief": "Views differ.",
            "articles": ["GCIII 13(2)"],
        },
        "end-unlawful": {
            "text": "Humiliation.",
            "outcome": "unlawful",
            "debrief": "A breach.",
            "articles": ["GCIII 13(2)", "GCIII 17(4)"],
        },
    },
}


@pytest.fixture
def scenario_path(tmp_path):
    path = tmp_path / "press-demo.yaml"
    path.write_text(yaml.safe_dump(SCENARIO), encoding="utf-8")
    return path


def test_scenario_walk_shows_path_feedback_and_debrief(scenario_path):
    s = Scenario(scenario_path)
    assert s.current.id == "briefing" and not s.finished
    assert "&lt;script&gt;" in s._node_html.value and "<script>" not in s._node_html.value
    s.choose(1)
    assert s.current.id == "aftermath"
    assert "You expose them." in s.feedback_html and "Allow close-up interviews." in s.feedback_html
    assert "Allow close-up interviews." in s._path_html.value
    s.choose(1)
    assert s.finished and s.outcome == "unlawful"
    assert s.path == [("briefing", 1), ("aftermath", 1)]
    assert "A breach." in s.debrief_html and "unlawful" in s.debrief_html
    assert (
        _first_line("GCIII 17(4)") in s.articles_html
        and _first_line("GCIII 13(2)") in s.articles_html
    )
    assert s._decision_box.layout.display == "none"
    with pytest.raises(RuntimeError):
        s.choose(0)
    s.restart()
    assert s.current.id == "briefing" and s.path == [] and s.debrief_html == ""


def test_scenario_each_end_reachable_through_the_api(scenario_path):
    outcomes = set()
    for route in ([0], [1, 0], [1, 1]):
        s = Scenario(scenario_path)
        for i in route:
            s.choose(i)
        outcomes.add(s.outcome)
    assert outcomes == {"lawful", "contested", "unlawful"}


def test_scenario_decide_needs_a_choice(scenario_path):
    s = Scenario(scenario_path)
    assert s.decide() is False and "Choose what to do" in s.feedback_html
    with pytest.raises(ValueError, match="out of range"):
        s.select(5)
    s._choices.value = 0  # a click on the first radio button
    s._decide_button.click()
    assert s.outcome == "lawful"


def test_scenario_title_escaped_and_classes(scenario_path):
    s = Scenario(scenario_path)
    assert "Press officer &lt;demo&gt;" in s._title_html.value
    assert (
        "powkit-option" in s._choices._dom_classes
        and "powkit-check" in s._decide_button._dom_classes
    )


def test_scenario_from_id(scenario_path, monkeypatch, tmp_path):
    own = tmp_path / "my-data" / "scenarios"
    own.mkdir(parents=True)
    (own / "press-demo.yaml").write_text(
        scenario_path.read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.setenv("POWKIT_DATA", str(tmp_path / "my-data"))
    assert Scenario.from_id("press-demo").data.id == "press-demo"
    assert Scenario("press-demo").data.title.startswith("Press officer")
    with pytest.raises(FileNotFoundError, match="press-demo"):
        Scenario.from_id("missing")


def _distance_to_end(data: banks.BranchingScenario) -> dict[str, int]:
    dist = {n: 0 for n, node in data.nodes.items() if node.is_end}
    changed = True
    while changed:
        changed = False
        for n, node in data.nodes.items():
            best = min((dist[c.goto] + 1 for c in node.choices if c.goto in dist), default=None)
            if best is not None and best < dist.get(n, 10**9):
                dist[n] = best
                changed = True
    return dist


@pytest.mark.parametrize(
    "path", sorted((REPO / "data" / "scenarios").glob("*.yaml")), ids=lambda p: p.stem
)
def test_every_shipped_scenario_reaches_an_end_on_every_first_choice(path):
    first = Scenario(path)
    dist = _distance_to_end(first.data)
    for i in range(len(first.choices)):
        s = Scenario(path)
        s.choose(i)
        while not s.finished:
            s.choose(min(range(len(s.choices)), key=lambda k: dist[s.choices[k].goto]))
        assert s.outcome in ("lawful", "unlawful", "contested") and s.debrief_html
        assert s.articles_html.count("powkit-passage") >= 1
