"""The quick look for values with spaces around them says what the pattern says."""

import random

import pytest

from ccw.landing.validation import _SPACED_VALUE, Cleaning, has_spaced_value

ALPHABET = b' \t,"\n\r:}a1'


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_the_byte_pairs_never_miss_a_value_the_pattern_finds(file_format):
    pattern, _ = _SPACED_VALUE[file_format]
    generator = random.Random(7)
    found = 0
    for _ in range(40_000):
        data = bytes(generator.choice(ALPHABET) for _ in range(generator.randint(1, 9)))
        expected = pattern.search(data) is not None
        assert has_spaced_value(data, file_format) == expected, data
        found += expected
    assert 0 < found < 40_000  # both answers were met


def test_a_files_cleaning_follows_its_bytes():
    assert Cleaning.for_bytes(b"id,name\n1,a\n") == Cleaning(False, False, False)
    assert Cleaning.for_bytes(b"id,name\n1, a\n").spaces
    assert Cleaning.for_bytes(b" id,name\n1,a\n").spaces
    assert not Cleaning.for_bytes(b'{"id": "1", "at": "x"}\n', "jsonl").spaces
    assert Cleaning.for_bytes(b'{"id": " 1", "at": "x"}\n', "jsonl").spaces
    assert Cleaning.for_bytes(b"a\n2026-01-01T23:59:60Z\x00\n") == Cleaning(True, False, True)
