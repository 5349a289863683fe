"""Bonus tiers as sellers write them: a top tier "100 % to 1000 %" means "100 % and above".  An upper bound above
the plausible range (500 %) reads as open-ended, with a warning at its cell (carried into the plan's Warnings);
within the range it is kept; a lower bound above the range is still an error."""
import math

from conformance.conformance_seller import sheets

from goalsheet.inputs import from_rows
from goalsheet.plan import make_plan

HEADER = ["period", "metric", "from", "to", "rate"]


def read(rows):
    s = sheets()
    s["Bonus"] = [HEADER] + rows
    return from_rows(s)


def test_a_top_tier_to_1000_percent_is_open_ended():
    book, problems = read([["year", "sales", "80%", "100%", 0.5], ["year", "sales", "100%", "1000%", 1.0]])
    assert book is not None
    assert math.isnan(book.bonus["to"].iloc[1]) and book.bonus["to"].iloc[0] == 1.0
    notes = [(p.sheet, p.cell, p.severity, p.code) for p in problems]
    assert notes == [("Bonus", "D3", "warning", "read_as_open")]


def test_an_upper_bound_within_the_range_is_kept():
    book, problems = read([["year", "sales", "100%", "400%", 1.0]])
    assert book.bonus["to"].iloc[0] == 4.0 and not problems


def test_a_lower_bound_above_the_range_is_still_an_error():
    book, problems = read([["year", "sales", "1000%", "", 1.0]])
    assert [(p.cell, p.severity) for p in problems if p.severity == "error"] == [("C2", "error")]


def test_the_plan_carries_the_open_ended_reading_with_its_cell():
    book, _ = read([["year", "sales", "100%", "1000%", 1.0]])
    plan, _ = make_plan(book)
    read_open = [w for w in plan.warnings if w.code == "read_as_open"]
    assert [(w.sheet, w.cell) for w in read_open] == [("Bonus", "D2")]
