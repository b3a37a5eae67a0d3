"""What the deputy's two ratings (办理态度, 办理结果) mean for the handling: the one
place that decides which of them sends a suggestion back for re-handling (the
congress's ``HandlingRules.rating_sends_back``), for the online rating and the one
entered on site alike (``services.evaluation``)."""

from congress.models import HandlingRules, RatingSendsBack

from .models import Rating


def sends_back(rules: HandlingRules, *, attitude: str | None, result: str) -> bool:
    """Whether these ratings send the suggestion back for re-handling under
    ``rules``: a dissatisfied result (the default), a dissatisfied attitude, or
    either, as the congress's rules say. An attitude not asked (blank or None) is never
    dissatisfied."""
    result_bad = result == Rating.DISSATISFIED
    attitude_bad = attitude == Rating.DISSATISFIED
    which = rules.rating_sends_back
    if which == RatingSendsBack.ATTITUDE:
        return attitude_bad
    if which == RatingSendsBack.EITHER:
        return attitude_bad or result_bad
    return result_bad
