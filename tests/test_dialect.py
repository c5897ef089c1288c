"""The delimiter is the one whose column count is consistent (csv.Sniffer is fooled by 1,234 in a ; file)."""

from __future__ import annotations

import pytest

from loaders.dialect import sniff_delimiter, split_rows


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("area;year;households\n930307;2568;1,234\n930101;2568;12,345\n930103;2568;7\n", ";"),
        ("area\tyear\thouseholds\n930307\t2568\t1,234\n930101\t2568\t12\n", "\t"),
        ('area,year,households\n930307,2568,"1,234"\n930101,2568,12\n', ","),
        ("area|year|households\n930307|2568|1,234\n", "|"),
        ("area\n930307\n", ","),
        ("area,year,note\n930307,2568,a;b\n930101,2568,c\n", ","),
    ],
)
def test_consistent_column_count(text, delimiter):
    assert sniff_delimiter(text) == delimiter


def test_rows_keep_quoted_newlines_as_one_row():
    rows = split_rows('a,b\n1,"x\ny"\n2,z\n', ",")
    assert rows == [["a", "b"], ["1", "x\ny"], ["2", "z"]]
