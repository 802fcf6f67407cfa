"""The one owner of process-wide caches: content keys, bounded tables, and
one call that empties every cache."""

from __future__ import annotations

from complaints_code.resources import caches


def test_a_key_changes_with_any_part_and_with_where_the_parts_divide() -> None:
    assert caches.key("a", "b") == caches.key("a", b"b")
    assert caches.key("a", "b") != caches.key("a", "c")
    assert caches.key("ab", "c") != caches.key("a", "bc")


def test_a_table_keeps_its_most_recently_used_entries_up_to_its_size() -> None:
    table: caches.Table[int] = caches.Table(2)
    made: list[str] = []

    def make(name: str) -> int:
        made.append(name)
        return len(made)

    assert table.get("a", lambda: make("a")) == 1
    table.get("b", lambda: make("b"))
    assert table.get("a", lambda: make("a")) == 1  # kept, and now the most recent
    table.get("c", lambda: make("c"))  # drops b, the least recently used
    assert table.find("b") is None and table.find("a") == 1 and len(table) == 2
    assert made == ["a", "b", "c"]


def test_clear_empties_every_table_and_memo() -> None:
    table: caches.Table[str] = caches.Table()
    table.put("k", "v")
    calls: list[int] = []

    @caches.memo(None)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    square(3)
    square(3)
    caches.clear()
    square(3)
    assert table.find("k") is None
    assert calls == [3, 3]
