"""Single-line text (titles, the reply's signatory) loses line breaks, control, bidi
and zero-width characters; multi-line text (bodies, reasons) keeps its line breaks
but loses the rest. Both are NFC."""

import pytest

from common.errors import InvalidInput
from common.text import multi_line, single_line
from suggestions import services

pytestmark = pytest.mark.django_db

# Bidi embeddings, overrides and isolates, zero-width characters, controls.
HIDDEN = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff\x00\x07\x1b\x7f\x9b"
)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("关于\r\n加强\n管理\r的建议", "关于 加强 管理 的建议"),
        ("关于\t加强 \u2028 管理\u2029的建议\x85了", "关于 加强 管理 的建议 了"),
        (f"关于{HIDDEN}加强管理的建议", "关于加强管理的建议"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("Cafe\u0301", "Café"),
        ("关于\u3000加强", "关于\u3000加强"),
    ],
)
def test_single_line(raw, clean):
    assert single_line(raw) == clean


def test_multi_line_keeps_its_breaks():
    raw = f" 第一段\r\n第二段\r第三{HIDDEN}段\n\t第四段 "
    assert multi_line(raw) == "第一段\n第二段\n第三段\n 第四段"


def test_the_service_puts_a_title_on_one_line_without_hidden_characters(journey):
    s = journey.create(
        title="关于\r\n加强\u202e老旧小区\u200b改造的建议",
        body=f"建议：\r\n一、加大{HIDDEN}投入；\n二、分批推进。",
    )
    s.refresh_from_db()
    assert s.title == "关于 加强老旧小区改造的建议"
    assert s.body == "建议：\n一、加大投入；\n二、分批推进。"
    services.suggestion_update(
        suggestion_id=s.pk, actor=journey.deputy, title="新\n标题\u2066"
    )
    s.refresh_from_db()
    assert s.title == "新 标题"


def test_a_title_of_only_hidden_characters_is_refused(journey):
    with pytest.raises(InvalidInput) as error:
        journey.create(title="\u200b\u202e\r\n")
    assert error.value.field == "title"


def test_the_reply_signatory_is_one_line(journey):
    journey.create()
    journey.submit()
    journey.register()
    journey.assign()
    reply = journey.reply(signed_by="张\r\n三\u202e")
    assert reply.signed_by == "张 三"
