"""The plan's verdict (the Summary banner, `gs_verdict`): red for a plan that loses money or that the cash cannot
carry, amber for capacity short, a short history, a store with no ads or no fees, example rows left, an input
reinterpreted; green otherwise.  Sellers are `conformance_seller`'s (one store S, SKU A at 100 with cogs 40 and FBA
10: unit net 35 before ads; 100 units a month for 24 months; plenty of cash)."""
from conformance.conformance_seller import book, months, sheets

from goalsheet.inputs import load
from goalsheet.plan import make_plan


def codes(plan) -> list[str]:
    return [w.code for w in plan.warnings]


def test_a_healthy_seller_is_green():
    """24 months, ads in Sales (5 % of revenue), fees, a plan that earns: green, no verdict warning."""
    hist = {("S", "A"): [(m, 100, 10_000) for m in months("2024-01", 24)]}
    s = sheets(history=hist)
    s["Sales"] = [s["Sales"][0] + ["ad_spend"]] + [row + [500] for row in s["Sales"][1:]]
    plan, _ = make_plan(book(s))
    assert plan.headline.target_net_profit > 0
    assert plan.headline.verdict == "green", codes(plan)


def test_a_seller_that_loses_money_is_red():
    """Cogs 95 on a price of 100: referral 15 + FBA 10 + cogs 95 = 120 > 100, every unit loses 20: the target
    net profit is below 0, red, and the warning says so first."""
    s = sheets(skus=[["S", "A", None, 100, 95, 0, 10, "active"]])
    plan, _ = make_plan(book(s))
    assert plan.headline.target_net_profit < 0
    assert plan.headline.verdict == "red"
    assert "plan_loses_money" in codes(plan)


def test_a_target_the_cash_cannot_carry_is_red():
    """min_cash 10^12 with 1 000 of cash: not fundable (red) even though the plan earns money."""
    plan, _ = make_plan(book(sheets({"cash_available": 1_000, "min_cash": 10 ** 12})))
    assert plan.headline.funding_feasible is False and plan.headline.target_net_profit > 0
    assert plan.headline.verdict == "red" and "funding_infeasible" in codes(plan)


def test_six_months_of_history_is_amber():
    """Sales for 2025-07 .. 2025-12 only: 6 months, seasonality flat: amber, "short_history" with 6."""
    s = sheets(history={("S", "A"): [(m, 100, 10_000) for m in months("2025-07", 6)]})
    s["Sales"] = [s["Sales"][0] + ["ad_spend"]] + [row + [500] for row in s["Sales"][1:]]
    plan, _ = make_plan(book(s))
    short = [w for w in plan.warnings if w.code == "short_history"]
    assert short and short[0].args["months"] == 6
    assert plan.headline.verdict == "amber"


def test_an_export_with_no_advertising_is_amber():
    """The conformance seller's Sales has no ad_spend column (as a Business Report export): the store has no
    advertising anywhere, its profit overstated: amber, naming store S."""
    plan, _ = make_plan(book(sheets()))
    no_ads = [w for w in plan.warnings if w.code == "store_no_ads"]
    assert no_ads and "S" in no_ads[0].message
    assert plan.headline.verdict == "amber"


def test_the_no_advertising_warning_says_net_profit_leaves_it_out_and_what_to_do():
    """The store_no_ads warning (issue 16): net profit leaves out advertising; import the Sponsored Products
    report or set ad_rate, in both languages."""
    plan, _ = make_plan(book(sheets()))
    no_ads = next(w for w in plan.warnings if w.code == "store_no_ads")
    en, zh = no_ads.sentence("en"), no_ads.sentence("zh")
    assert "net profit leaves out advertising" in en and "Sponsored Products" in en and "ad_rate" in en
    assert "净利润未扣除广告费" in zh and "商品推广" in zh and "广告占比" in zh


def test_an_ad_rate_of_zero_typed_says_the_store_does_not_advertise():
    """No ad_spend in Sales, but ad_rate 0 typed for SKU A: the seller said the store spends nothing on ads, so
    no store_no_ads warning (the same book with ad_rate blank has it: the test above)."""
    s = sheets(skus=[["S", "A", None, 100, 40, 0, 10, "active", 0]])
    s["SKUs"][0] = s["SKUs"][0] + ["ad_rate"]
    plan, _ = make_plan(book(s))
    assert "store_no_ads" not in codes(plan)


def test_a_rate_read_as_a_percent_is_carried_into_the_plan_with_its_cell():
    """referral_rate written as 15 on the SKUs sheet is read as 15 % (a warning of the input at SKUs!I2); the
    plan's warnings carry it with its cell, and it makes the verdict amber."""
    s = sheets(skus=[["S", "A", None, 100, 40, 0, 10, "active", 15]])
    s["SKUs"][0] = s["SKUs"][0] + ["referral_rate"]
    s["Sales"] = [s["Sales"][0] + ["ad_spend"]] + [row + [500] for row in s["Sales"][1:]]
    plan, _ = make_plan(book(s))
    read = [w for w in plan.warnings if w.code == "read_as_percent"]
    assert read and (read[0].sheet, read[0].cell) == ("SKUs", "I2")
    assert plan.headline.verdict == "amber"


def test_a_book_of_an_older_init_with_its_example_rows_left_is_red_and_names_them(tmp_path):
    """A book made by an older `goalsheet init` (example rows unmarked, cash_available pre-filled with 1 000 000),
    left as it came: one month of example sales, example rows in every sheet, a loss: red, with short_history and
    example_rows_left among the reasons.  (Today's init marks its examples "e.g.": the reader skips them.)"""
    import openpyxl

    from goalsheet.inputs.blank import write_blank
    path = tmp_path / "old.xlsx"
    write_blank(path, lang="en")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if isinstance(ws["A2"].value, str) and ws["A2"].value.startswith("e.g. "):
            ws["A2"] = ws["A2"].value[len("e.g. "):]
    settings = wb["Settings"]
    cash = next(r for r in range(2, settings.max_row + 1) if settings.cell(r, 1).value == "cash_available")
    settings.cell(cash, 2).value = 1_000_000
    wb.save(path)
    b, problems = load(path)
    plan, _ = make_plan(b)
    found = codes(plan)
    assert plan.headline.verdict == "red"
    assert "short_history" in found and "example_rows_left" in found


def test_a_real_team_member_named_like_the_example_is_not_an_example_row():
    """A Team row "Wang Fang, 9 000, 24 000" (the example's values) in a book without the example store is a
    real person: no example_rows_left."""
    s = sheets()
    s["Team"] = [["operator", "base_salary", "bonus_base"], ["Wang Fang", 9000, 24000]]
    plan, _ = make_plan(book(s))
    assert "example_rows_left" not in codes(plan)
