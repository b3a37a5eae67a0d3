"""Smart intake (智能交办): similar suggestions and a recommended handling, learnt
from the congress body's own suggestions and assignments (docs/intake.md). It
helps staff and deputies; it never decides anything."""

from .recommend import (
    Because,
    CategoryChoice,
    Recommendation,
    UnitChoice,
    recommend,
)
from .similar import Repeat, Similar, repeated_topics, similar_to, similar_to_text

__all__ = [
    "Because",
    "CategoryChoice",
    "Recommendation",
    "Repeat",
    "Similar",
    "UnitChoice",
    "recommend",
    "repeated_topics",
    "similar_to",
    "similar_to_text",
]
