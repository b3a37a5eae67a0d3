"""Which two demo suggestions raise the same matter, for ``evaluate_intake``: the
demo writes each title as 关于{topic}的建议 from a unit's topic and a place, and a
suggestion handed in twice (merged) or raised again in a later session repeats
the topic with 进一步, 尽快 or 加快 put in front. Two titles are the same matter
when their topics are, once those words are taken off."""

from __future__ import annotations

URGING = ("进一步", "尽快", "加快")


def topic(title: str) -> str:
    text = title.strip()
    if text.startswith("关于"):
        text = text[2:]
    if text.endswith("的建议"):
        text = text[:-3]
    stripped = True
    while stripped:
        stripped = False
        for word in URGING:
            if text.startswith(word):
                text = text[len(word) :]
                stripped = True
    return text


def same_matter(title: str, other: str) -> bool:
    return topic(title) == topic(other)
