"""The plain reader learns what `goalsheet import` learned from Amazon's and the ERPs' exports (issue 16): the most
specific of two headers naming one key is read and the other named in a warning with its cell; Amazon's
date-time texts read as months; a header row repeated inside a stacked sheet is skipped with a warning; "is X
meant to be Y?" only where the match is likely."""
from __future__ import annotations

from conformance.conformance_seller import sheets

from goalsheet.inputs import from_rows


def _warnings(problems, code):
    return [p for p in problems if p.code == code]


def test_sku_is_read_before_a_child_asin_standing_before_it():
    """A Business Report pasted as the Sales sheet: `(Child) ASIN` in column C, `SKU` in D.  The SKU is read (A
    has a row on SKUs: no "has no row in SKUs" error), and C1 is named in a warning."""
    s = sheets()
    s["Sales"] = [["month", "store", "(Child) ASIN", "SKU", "units", "revenue"]] + \
        [[m, st, "B0CHILD001", sku, u, r] for m, st, sku, u, r in s["Sales"][1:]]
    book, problems = from_rows(s)
    assert book is not None, [p.message for p in problems if p.severity == "error"]
    assert set(book.sales["sku"]) == {"A"}
    note = _warnings(problems, "column_not_read")
    assert [(p.sheet, p.cell) for p in note] == [("Sales", "C1")]
    assert "(Child) ASIN" in note[0].message and "D1" in note[0].message


def test_msku_is_read_before_an_erps_local_sku():
    """Lingxing's export: the ERP's local `SKU` (column C, LOCAL-1) before `MSKU` (D, the seller SKU A): A is
    read, C1 named."""
    s = sheets()
    s["Sales"] = [["month", "store", "SKU", "MSKU", "units", "revenue"]] + \
        [[m, st, "LOCAL-1", sku, u, r] for m, st, sku, u, r in s["Sales"][1:]]
    book, problems = from_rows(s)
    assert book is not None, [p.message for p in problems if p.severity == "error"]
    assert set(book.sales["sku"]) == {"A"}
    assert [(p.sheet, p.cell) for p in _warnings(problems, "column_not_read")] == [("Sales", "C1")]


def test_units_ordered_is_read_before_its_b2b_part():
    """`Units Ordered - B2B` (column D, 10 a month) stands before `Units Ordered` (E, 100): the whole header
    `Units Ordered` names units, the B2B one only by a part of it: 100 is read, D1 named."""
    s = sheets()
    s["Sales"] = [["month", "store", "sku", "Units Ordered - B2B", "Units Ordered", "revenue"]] + \
        [[m, st, sku, 10, u, r] for m, st, sku, u, r in s["Sales"][1:]]
    book, problems = from_rows(s)
    assert book is not None
    assert set(book.sales["units"]) == {100}
    assert [p.cell for p in _warnings(problems, "column_not_read")] == ["D1"]


def test_amazon_date_time_texts_read_as_months():
    """Each month of the history written as Amazon's reports write a day in it, in turn: `Jan 17, 2024 10:03:05
    AM PST`, `17 Jan 2024 10:03:05 UTC`, `15.01.2024 10:03:05 UTC`, `2024/01/15 10:03:05 JST`: the same 24
    months as `2024-01` … are read."""
    s = sheets()
    forms = ("{b} 17, {y} 10:03:05 AM PST", "17 {b} {y} 10:03:05 UTC", "15.{m}.{y} 10:03:05 UTC",
             "{y}/{m}/15 10:03:05 JST")
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    rows = []
    for i, (month, st, sku, u, r) in enumerate(s["Sales"][1:]):
        y, m = month.split("-")
        rows.append([forms[i % 4].format(b=names[int(m) - 1], y=y, m=m), st, sku, u, r])
    expected = sorted({row[0] for row in s["Sales"][1:]})
    s["Sales"] = [s["Sales"][0]] + rows
    book, problems = from_rows(s)
    assert book is not None, [p.message for p in problems if p.severity == "error"]
    assert sorted(set(book.sales["month"])) == expected


def test_a_repeated_header_row_in_a_stacked_sheet_is_skipped_with_a_warning():
    """Two exports pasted one under the other, after a blank row the second with its header (row 15): that
    header row is skipped with a warning naming row 15, and all 24 months are read."""
    s = sheets()
    header, *rows = s["Sales"]
    s["Sales"] = [header, *rows[:12], [], list(header), *rows[12:]]
    book, problems = from_rows(s)
    assert book is not None, [p.message for p in problems if p.severity == "error"]
    assert len(book.sales) == 24
    repeated = _warnings(problems, "header_row_repeated")
    assert len(repeated) == 1 and repeated[0].args["rows"] == "15" and repeated[0].cell == "A15"


def test_a_missing_column_is_only_hinted_at_where_the_match_is_likely():
    """A Business Report as Sales, with neither month nor store: no "is 'Ordered Product Sales - B2B' meant to
    be month?" nor "is 'Total Order Items' meant to be store?"; a misspelt `Reveune` is hinted at for revenue."""
    header = ["(Parent) ASIN", "(Child) ASIN", "Title", "SKU", "Sessions - Total", "Units Ordered",
              "Units Ordered - B2B", "Ordered Product Sales", "Ordered Product Sales - B2B", "Total Order Items"]
    s = sheets()
    s["Sales"] = [header, ["B0P", "B0C", "Lamp", "A", 900, 100, 10, 10000, 1000, 100]]
    _, problems = from_rows(s)
    missing = {p.args["key"]: p for p in problems if p.code in ("column_missing", "column_missing_hint")}
    assert missing["month"].code == "column_missing" and missing["store"].code == "column_missing"
    s["Sales"] = [["month", "store", "sku", "units", "Reveune"], ["2024-01", "S", "A", 100, 10000]]
    _, problems = from_rows(s)
    hint = [p for p in problems if p.code == "column_missing_hint"]
    assert [(p.args["key"], p.args["hint"]) for p in hint] == [("revenue", "Reveune")]
