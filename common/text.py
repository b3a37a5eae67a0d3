"""Text typed by people, made safe to show and to send: one line (titles, names, mail
subjects) or several (bodies, reasons, notes).

Both are NFC-normalised and lose the characters nobody sees but that change what is
shown: control characters, the bidi overrides, embeddings and isolates (U+202A–U+202E,
U+2066–U+2069, which can show ``exe.txt`` as ``txt.exe``), the bidi marks and the
zero-width characters (U+200B–U+200F, U+2060, U+FEFF). They are removed rather than
refused: they have no place in a Chinese or English title or letter, and they usually
come in unseen with text pasted from elsewhere, so the writer could not find them to
delete them.
"""

from __future__ import annotations

import re
import unicodedata

# Line breaks: CR LF, CR, LF, the vertical tab, the form feed, NEL and the Unicode
# line and paragraph separators.
_BREAKS = re.compile("\r\n|[\r\n\v\f\x85\u2028\u2029]")
# What is removed: C0 and C1 controls (the tab and the breaks are handled first), DEL,
# the Arabic letter mark, the zero-width characters and bidi marks, the bidi
# embeddings, overrides and isolates, the word joiner and invisible operators, and
# the byte-order mark / zero-width no-break space.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACES = re.compile("[ \t]+")


def _visible(text: str) -> str:
    # NFC after the removal: a zero-width character between a letter and its accent
    # would otherwise keep them apart.
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", text))


def single_line(text: str) -> str:
    """``text`` on one line: a run of line breaks, tabs and spaces becomes one space
    (the ideographic space U+3000 is kept), invisible characters go, and the ends are
    stripped.

    A line break in a title is replaced, not refused: titles pasted from a letter or a
    PDF often carry the original's line wrap, and one space is what the writer meant.
    """
    return _SPACES.sub(" ", _visible(_BREAKS.sub(" ", text))).strip()


def multi_line(text: str) -> str:
    """``text`` keeping its line breaks (each written as ``\\n``): tabs become a
    space, invisible characters go, and the ends are stripped."""
    return _visible(_BREAKS.sub("\n", text).replace("\t", " ")).strip()
