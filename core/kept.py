"""What a process keeps of its answers: values by key, the least recently used going first once
they hold more than `limit` bytes (as `size` counts a value). The API's answers to readers without
a sign-in (`api.conditional`) and the rendered calendar feeds (`notifications.feeds.build`) are
kept this way; nothing in it is stale because each key holds the data version it was made for."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    def __init__(self, limit: int, size: Callable[[V], int], largest: int | None = None) -> None:
        self.limit = limit
        self.largest = limit if largest is None else largest  # a bigger value is not kept
        self.size = 0
        self._size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._values.get(key)
        if found is not None:
            self._values.move_to_end(key)
        return found

    def put(self, key: K, value: V) -> None:
        """Keep `value` unless one is kept under `key` already (the same, as keys are made)."""
        cost = self._size(value)
        if key in self._values or cost > self.largest:
            return
        self._values[key] = value
        self.size += cost
        while self.size > self.limit:
            _, dropped = self._values.popitem(last=False)
            self.size -= self._size(dropped)

    def replace(self, key: K, value: V) -> None:
        """Change what is kept under `key` (nothing when nothing is)."""
        if key in self._values:
            self.size += self._size(value) - self._size(self._values[key])
            self._values[key] = value

    def clear(self) -> None:
        self._values.clear()
        self.size = 0
