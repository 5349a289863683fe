"""--baseline (SPEC 3.1): the plan figures come from an earlier plan; actuals are tracked against them."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import golden_book  # noqa: E402

from goalsheet.plan import make_plan  # noqa: E402


def test_baseline_freezes_the_targets_when_prices_change():
    """Plan A from the golden seller; then every price rises 10 % and January 2026 actuals arrive.
    Planned again with A as baseline, the targets (6 402 588.12), launches and target net profit are A's,
    and January is tracked against A's 371 896.94."""
    book = golden_book()
    a, _ = make_plan(book)
    baseline = json.loads(json.dumps(a.to_json()))
    changed = golden_book()
    changed.skus["price"] = changed.skus["price"] * 1.1
    jan = changed.sales[changed.sales["month"] == "2025-01"].copy()
    jan["month"] = "2026-01"
    import pandas as pd
    changed.sales = pd.concat([changed.sales, jan], ignore_index=True)
    free, _ = make_plan(changed)
    assert free.headline.target_net_profit != a.headline.target_net_profit
    b, _ = make_plan(changed, baseline=baseline)
    assert b.headline.target_sales == 6402588.12
    assert b.headline.target_net_profit == a.headline.target_net_profit
    assert b.tables["launches"]["contribution"].tolist() == a.tables["launches"]["contribution"].tolist()
    t = b.tables["tracking"].set_index(["level", "name"])
    assert t.loc[("month", "2026-01"), "plan"] == 371896.94
    assert b.tables["monthly"].loc[0, "target_sales"] == 371896.94
    assert b.headline.as_of == "2026-01"


def test_a_baseline_of_an_earlier_version_keeps_one_name_per_bonus_figure():
    """An earlier plan JSON carried each Bonus figure twice (`bonus_at_100` beside `bonus_100`): planned on it,
    the Bonus table has each figure once, under `bonus_<pct>`, with the baseline's values."""
    a, _ = make_plan(golden_book())
    baseline = json.loads(json.dumps(a.to_json()))
    for record in baseline["tables"]["bonus"]:
        for pct in ("80", "100", "120"):
            record[f"bonus_at_{pct}"] = record[f"bonus_{pct}"]
    b, _ = make_plan(golden_book(), baseline=baseline)
    bonus = b.tables["bonus"]
    assert not [c for c in bonus.columns if c.startswith("bonus_at_")]
    assert bonus["bonus_100"].tolist() == a.tables["bonus"]["bonus_100"].tolist()
