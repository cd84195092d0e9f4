"""Chinese numerals of any size, both ways, and the printed nums of legal numbering."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scdocs.document.numerals import (
    NumeralError,
    chinese_to_int,
    int_to_chinese,
    letter_to_int,
    number_of,
    roman_to_int,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十九", 19), ("二十", 20), ("二十三", 23), ("一百", 100), ("一百零一", 101),
     ("一百一十", 110), ("一百一十一", 111), ("二百九十一", 291), ("三百零六", 306), ("一千零一", 1001),
     ("一千零一十", 1010), ("两千", 2000), ("一万", 10_000), ("一万零一", 10_001), ("十万", 100_000),
     ("一〇六", 106), ("二〇二四", 2024), ("123", 123), ("１２", 12), ("零", 0), ("一亿二千万", 120_000_000)],
)
def test_chinese_to_int(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (110, "一百一十"), (1010, "一千零一十"),
     (1001, "一千零一"), (10_001, "一万零一"), (100_000, "十万"), (306, "三百零六")],
)
def test_int_to_chinese(value: int, text: str) -> None:
    assert int_to_chinese(value) == text


@given(st.integers(min_value=0, max_value=10**9))
def test_round_trip(n: int) -> None:
    assert chinese_to_int(int_to_chinese(n)) == n


def test_other_numeral_systems() -> None:
    assert roman_to_int("XIV") == 14
    assert letter_to_int("c") == 3
    assert letter_to_int("aa") == 27
    assert number_of("第二十三条") == 23
    assert number_of("（十九）") == 19
    assert number_of("Article 5") == 5
    assert number_of("IV.") == 4
    assert number_of("(b)") == 2
    with pytest.raises(NumeralError):
        chinese_to_int("总则")
