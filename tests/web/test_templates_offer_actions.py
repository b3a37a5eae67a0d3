"""What a page offers is ``suggestions.actions``' answer, never re-typed: no template
of the suggestions decides anything from a status (a status compared in a template
is a second copy of the workflow table that drifts), and no view rebuilds the
allowed actions from statuses or the workflow table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = ROOT / "templates" / "suggestions"
VIEWS = ROOT / "suggestions" / "views"

# The condition of an {% if %}, {% elif %} or the binding of a {% with %}.
TAG = re.compile(r"{%\s*(?:if|elif|with)\b(.*?)%}", re.DOTALL)
STATUS = re.compile(r"\bstatus\b")


def _status_tests(text: str) -> list[str]:
    return [
        tag.strip()
        for tag in TAG.findall(text)
        # A filter form's status field is the list's input, not a state.
        if STATUS.search(tag.replace("form.status", ""))
    ]


def test_no_suggestion_template_compares_a_status():
    found = {
        str(path.relative_to(ROOT)): tests
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (tests := _status_tests(path.read_text()))
    }
    assert found == {}, (
        "Offer what the view's `actions` allows ({% if 'merge' in actions %}), or "
        "ask the model (suggestion.is_open, assignment.is_live) for display."
    )


def test_the_check_finds_a_status_comparison():
    assert _status_tests('{% if suggestion.status == "replied" %}x{% endif %}')
    assert _status_tests("{% with s=suggestion.status %}{% endwith %}")
    assert _status_tests("{% elif a.suggestion.status in open_statuses %}")
    assert not _status_tests('{% if "merge" in actions %}{% endif %}')
    assert not _status_tests("{% if filter.form.status.value %}{% endif %}")


def test_no_view_rebuilds_the_allowed_actions():
    """The views hand ``actions`` to the templates; none re-derives them from the
    open statuses, the workflow table or a ``can`` dict."""
    offenders = {}
    for path in sorted(VIEWS.rglob("*.py")):
        text = path.read_text()
        hits = [
            needle
            for needle in (
                r"\bOPEN_STATUSES\b",
                r"\bACTIONS\b",
                r"workflow\.check",
                '"can"',
            )
            if re.search(needle, text)
        ]
        if hits:
            offenders[path.name] = hits
    assert offenders == {}
