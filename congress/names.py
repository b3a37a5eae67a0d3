"""How a congress and its sessions are named in Chinese: 昌吉回族自治州 → 昌吉州, the
16th term's 2nd session → 昌吉州十六届人大二次会议, chart labels such as 2023年, and
the names of the files handed out (昌吉州十六届人大二次会议_办理情况统计.xlsx).

Place words (州, 市, 县 …) come from the congress's region, never from the code."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.downloads import DownloadName, safe_file_name

from .models import Congress, CongressLevel, Session

DIGITS = "零一二三四五六七八九"

# The 56 ethnic groups' names as they appear in autonomous areas' names, longest
# first, so that "昌吉回族自治州" shortens to "昌吉州" and "木垒哈萨克自治县" to "木垒县".
ETHNIC_GROUPS = sorted(
    [
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
        "各族",
    ],
    key=len,
    reverse=True,
)
LEVEL_WORDS = {
    CongressLevel.NATIONAL: "全国",
    CongressLevel.PROVINCIAL: "省",
    CongressLevel.PREFECTURE: "市",
    CongressLevel.COUNTY: "县",
    CongressLevel.TOWNSHIP: "乡",
}


def chinese_number(n: int) -> str:
    """1 → 一, 16 → 十六, 42 → 四十二 (terms and sessions); larger as digits."""
    if 0 <= n < 10:
        return DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return (
            ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")
        )
    return str(n)


def ordinal_in_name(n: int) -> str | int:
    """A term's or session's number as a name in the active language writes it:
    十六 in Chinese (第十六届, never 第16届), 16 in English."""
    if isinstance(n, int) and (translation.get_language() or "").startswith("zh"):
        return chinese_number(n)
    return n


def english_ordinal(n: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th, 23 → 23rd."""
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n}{suffix}"


def place_word(congress: Congress) -> str:
    """The one-character word for the congress's place: 州 for 昌吉回族自治州, 市 for a
    city, 省 for a province … (from the region's name, else its level)."""
    region = congress.region.strip()
    for suffix, word in (
        ("自治区", "自治区"),
        ("自治州", "州"),
        ("自治县", "县"),
        ("自治旗", "旗"),
    ):
        if region.endswith(suffix):
            return word
    if region and region[-1] in "省州市县区旗乡镇盟":
        return region[-1]
    return LEVEL_WORDS.get(congress.level, "")


def short_region(congress: Congress) -> str:
    """The region as the article names it: 昌吉回族自治州 → 昌吉州."""
    return short_place(congress.region)


def short_place(name: str) -> str:
    """A place's name without its ethnic groups: 昌吉回族自治州 → 昌吉州, 木垒哈萨克
    自治县 → 木垒县, 新疆维吾尔自治区 → 新疆; other names as they are."""
    region = name.strip()
    match = re.fullmatch(r"(.+?)自治(州|县|旗|区)", region)
    if not match:
        return region
    stem, suffix = match.groups()
    stripped = True
    while stripped:
        stripped = False
        for group in ETHNIC_GROUPS:
            for word in (group + "族", group):
                if stem.endswith(word) and len(stem) > len(word):
                    stem = stem[: -len(word)]
                    stripped = True
                    break
            if stripped:
                break
    return stem if suffix == "区" else stem + suffix


def delegation_label(name: str) -> str:
    """A delegation as a chart labels it: 木垒哈萨克自治县代表团 → 木垒县."""
    place = name.strip().removesuffix("代表团")
    return short_place(place) or name


def session_title_zh(session: Session) -> str:
    """昌吉州十六届人大二次会议, in Chinese whatever the language (the review's text)."""
    congress = session.congress
    return (
        f"{short_region(congress)}{chinese_number(congress.ordinal)}届人大"
        f"{chinese_number(session.ordinal)}次会议"
    )


def office_name_zh(congress: Congress, *, local: bool = False) -> str:
    """The office that signs what the congress's standing committee sends out:
    昌吉州人大常委会办公室; ``local``: as the body's own units write it, the place by
    its one word (州人大常委会办公室, what a unit of 昌吉州 copies its replies to). A
    township's congress has no standing committee; its presidium (主席团) signs:
    某某乡人大主席团."""
    place = place_word(congress) if local else short_region(congress)
    if congress.level == CongressLevel.TOWNSHIP:
        return f"{place}人大主席团"
    return f"{place}人大常委会办公室"


def office_name(congress: Congress) -> str:
    """``office_name_zh`` unless the interface is English (Office of the Standing
    Committee of the 昌吉州 People's Congress)."""
    language = translation.get_language() or "zh-hans"
    if not language.startswith("en"):
        return office_name_zh(congress)
    place = short_region(congress)
    if congress.level == CongressLevel.TOWNSHIP:
        return f"Presidium of the {place} People's Congress"
    return f"Office of the Standing Committee of the {place} People's Congress"


def session_short_name(session: Session) -> str:
    """The session's short name: 昌吉州十六届人大二次会议 (Chinese unless the
    interface is English: 昌吉州 16th congress, 2nd session)."""
    language = translation.get_language() or "zh-hans"
    if not language.startswith("en"):
        return session_title_zh(session)
    congress = session.congress
    return (
        f"{short_region(congress)} {english_ordinal(congress.ordinal)} congress, "
        f"{english_ordinal(session.ordinal)} session"
    )


def session_short_label(session: Session) -> str:
    """A label short enough for a chart's axis: 2023年 (the full name belongs in
    the tooltip)."""
    return pgettext("session label", "%(year)s") % {"year": session.year}


def file_name(
    what: str,
    slug: str,
    ext: str,
    *,
    session: Session | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> DownloadName:
    """A download's name: what it is and which session (or dates) it covers, e.g.
    昌吉州十六届人大二次会议_办理情况统计.xlsx; ``slug`` (ASCII) names the
    fallback for clients that cannot read the UTF-8 name (2023-2_statistics.xlsx).
    Without a session or dates, today's date says which."""
    if session is not None:
        scope = session_short_name(session)
        ascii_scope = f"{session.year}-{session.ordinal}"
    elif date_from is not None and date_to is not None:
        scope = ascii_scope = f"{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    else:
        scope = ascii_scope = f"{timezone.localdate():%Y%m%d}"
    dot_ext = f".{ext}" if ext else ""
    return DownloadName(
        safe_file_name(f"{scope}_{what}{dot_ext}"), f"{ascii_scope}_{slug}{dot_ext}"
    )


def session_title_local(session: Session) -> str:
    """州十六届人大二次会议: the session as the body's own documents name it, the
    place by its one word (a unit of 昌吉州 writes 州教育局 and 州十六届…)."""
    congress = session.congress
    return (
        f"{place_word(congress)}{chinese_number(congress.ordinal)}届人大"
        f"{chinese_number(session.ordinal)}次会议"
    )


def body_short_name(body) -> str:
    """A congress body as a choice beside another body's names it: its short name,
    else its region shortened (昌吉回族自治州 → 昌吉州)."""
    return body.short_name or short_place(body.region)


def name_choices_by_body(field, body_path: str) -> None:
    """Each choice of ``field`` (a model choice field) followed by its congress body,
    教育（昌吉市）, for someone who chooses among several bodies' categories, units,
    delegations or deputies, where two bodies' choices may bear the same name;
    ``body_path`` leads from a choice to its body, joined in the choices' query."""
    field.queryset = field.queryset.select_related(body_path)

    def label(obj) -> str:
        body = obj
        for step in body_path.split("__"):
            body = getattr(body, step)
        return _("%(name)s (%(body)s)") % {"name": obj, "body": body_short_name(body)}

    field.label_from_instance = label
