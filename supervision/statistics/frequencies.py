"""Figures from a frequency table of whole working days: count, average,
90th percentile, longest and how many on time. Exactly what AVG and
percentile_cont(0.9) give over the items themselves, from a few hundred
rows however many items they stand for."""

import math
from collections import defaultdict

P90 = 0.9


class Frequencies:
    def __init__(self):
        self.items = defaultdict(int)  # working days → items
        self.on_time = 0

    def add(self, elapsed, on_time, items):
        """`items` took `elapsed` working days, `on_time` of them in time."""
        self.items[elapsed] += items
        self.on_time += on_time

    @property
    def count(self):
        return sum(self.items.values())

    def average(self):
        count = self.count
        return sum(days * n for days, n in self.items.items()) / count if count else None

    def percentile(self, fraction):
        """percentile_cont: the value at position fraction × (n − 1) of the
        sorted items, interpolated linearly between its neighbours."""
        count = self.count
        if not count:
            return None
        position = fraction * (count - 1)
        low, high = self._at(math.floor(position)), self._at(math.ceil(position))
        return low + (position - math.floor(position)) * (high - low)

    def _at(self, index):
        seen = 0
        for days in sorted(self.items):
            seen += self.items[days]
            if index < seen:
                return days
        raise IndexError(index)

    def figures(self):
        """(count, average, p90, longest, on time)"""
        return (
            self.count,
            self.average(),
            self.percentile(P90),
            max(self.items) if self.items else None,
            self.on_time,
        )

    @classmethod
    def grouped(cls, rows, position):
        """[(group, count, average, p90, longest, on time)] from rows of
        (group columns…, elapsed, on-time items, items), by the group
        column at `position`."""
        found = defaultdict(cls)
        for row in rows:
            *groups, elapsed, on_time, items = row
            found[groups[position]].add(elapsed, on_time, items)
        return [(group, *frequencies.figures()) for group, frequencies in found.items()]
