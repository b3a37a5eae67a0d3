"""``statistics.shares``: one decimal each, adding up to exactly 100.0."""

import pytest

from dashboard.statistics import shares


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([1, 1, 1], [33.4, 33.3, 33.3]),
        ([2, 1], [66.7, 33.3]),
        ([265, 30, 0], [89.8, 10.2, 0.0]),
        # Plain rounding would give 26.8 + 24.1 + 22.0 + 11.9 + 4.1 + 11.2 = 100.1.
        ([79, 71, 65, 35, 12, 33], [26.8, 24.1, 22.0, 11.8, 4.1, 11.2]),
        ([5], [100.0]),
        ([0, 0], [None, None]),
        ([], []),
    ],
)
def test_shares(counts, expected):
    assert shares(counts) == expected


@pytest.mark.parametrize("n", range(1, 40))
def test_shares_always_add_up_to_100(n):
    counts = [(i * 7919) % 13 + (i % 3) for i in range(n)]
    if not any(counts):
        counts[0] = 1
    result = shares(counts)
    assert round(sum(result) * 10) == 1000
    for count, share in zip(counts, result, strict=True):
        assert abs(share - 100 * count / sum(counts)) < 0.1 + 1e-9
