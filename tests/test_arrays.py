"""pinghu_core.common.arrays: the helpers agree with numpy and pandas, on any values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pinghu_core.common.arrays import in_values, unique_ints

TEXT = st.one_of(st.none(), st.sampled_from(["甲", "乙", "c45f-00", "", " "]), st.text(max_size=4))
DTYPES = ["string[pyarrow]", "string[python]", "object", "category"]


@given(st.lists(TEXT, max_size=30), st.lists(TEXT, max_size=10), st.sampled_from(DTYPES))
def test_in_values_is_isin_as_a_bool_array(rows: list, values: list, dtype: str) -> None:
    column = pd.Series(rows, dtype=dtype)
    want = column.isin([v for v in values if v is not None]).to_numpy(dtype=bool)
    got = in_values(column, [v for v in values if v is not None])
    assert got.dtype == bool and got.tolist() == want.tolist()


@pytest.mark.parametrize(
    ("rows", "values", "expected"),
    [
        (["甲", None, "乙"], ["乙", "丙"], [False, False, True]),  # a missing value is never in
        (["甲", "乙"], [], [False, False]),
        (["甲", "乙"], {"甲"}, [True, False]),  # any iterable, a set too
        (["1", "2"], [1, "2"], [False, True]),  # a number is not the text of it
        ([], ["甲"], []),
    ],
)
def test_in_values_on_arrow_text(rows: list, values, expected: list) -> None:
    assert in_values(pd.Series(rows, dtype="string[pyarrow]"), values).tolist() == expected


@given(st.lists(st.integers(-(2**40), 2**40), max_size=50))
def test_unique_ints_is_np_unique(values: list[int]) -> None:
    array = np.array(values, dtype=np.int64)
    assert unique_ints(array).tolist() == np.unique(array).tolist()
