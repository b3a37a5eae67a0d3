"""What the smart intake reads of a text: its title three times (a title says
what the suggestion is about; the body mostly why) and the body's opening, without the
words every suggestion has (关于, 建议), cut into the features the vectors count:
each Chinese character and each overlapping pair of them (a bigram needs no
dictionary and matches a word however the rest is worded; a single character
carries what a short title has: 路, 水, 校) and each Latin or digit word (5G,
PM2.5, 12345). On the outside set the single characters and the dropped words
were worth 15 and 8 points of top-1 accuracy (README, "Smart intake")."""

from __future__ import annotations

import re
import unicodedata

# How much of a body counts: its opening states the problem and the ask; the rest
# is background that makes two suggestions on one matter look different.
BODY_CHARS = 200
# The longest text a caller may send (a draft's title and body together).
MAX_TEXT = 20_000

_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9][a-z0-9.]*[a-z0-9]|[a-z0-9]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# The form's words, in every suggestion: they would make any two look alike.
_FORM = re.compile(r"关于|的建议|建议")


def document(title: str, body: str = "") -> str:
    """The text of a suggestion as the intake reads it."""
    title = (title or "")[:MAX_TEXT]
    body = (body or "")[:BODY_CHARS]
    return f"{title}\n{title}\n{title}\n{body}"


def features(text: str) -> list[str]:
    """The features of ``text``: the characters and bigrams of each run of Chinese
    characters and each Latin or digit word. Everything else (punctuation,
    spaces, the form's words) separates runs."""
    text = _FORM.sub(" ", unicodedata.normalize("NFKC", text or "").lower())
    out: list[str] = []
    for run in _RUNS.findall(text):
        if _CJK.match(run):
            out.extend(run)
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


_CLAUSES = re.compile(r"[，。；、,;：:\s]+")


def unit_documents(name: str, short_name: str, duties: str) -> list[str]:
    """What speaks for a unit besides its history: its names (交通运输局 says
    交通) and its duties (职责), whole and clause by clause, each a short text a
    title can match."""
    texts = [name, short_name] if short_name and short_name != name else [name]
    if duties:
        texts.append(duties)
        texts.extend(c for c in _CLAUSES.split(duties) if len(c) > 1)
    return texts
