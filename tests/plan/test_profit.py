"""Target net profit (SPEC 3.2) and the costing of new-product sales before/after the first launch (3.4)."""
import numpy as np
import pytest

from goalsheet.plan import profit as pf


def test_new_product_sales_before_and_after_the_first_launch():
    """A store-month's existing SKUs: A sells 600 (30 units × unit_net 4 = 120), B 400 (10 × 12 = 120):
    mix = 240 / 1000 = 0.24 per unit of sales.  The new product: unit_net 5 at price 25 -> 0.20.
    First launch in March (column 2).  T − E = 100 in January -> 100 × 0.24 = 24 (from existing SKUs);
    100 in March -> 100 × 0.20 = 20; −50 in April -> −10."""
    P = pf.existing_profit(np.array([[30.0] * 4, [10.0] * 4]), np.array([4.0, 12.0])).sum(axis=0)[None, :]
    E = np.array([[1000.0] * 4])
    mix = pf.existing_mix(P, E)
    assert mix[0, 0] == pytest.approx(0.24)
    before = pf.before_first_launch(np.array([2.0]), np.arange(4))
    assert before.tolist() == [[True, True, False, False]]
    rate = pf.new_product_rate(np.array([5.0]), np.array([25.0]))
    profit = pf.new_sales_profit(np.array([[100.0, 0.0, 100.0, -50.0]]), mix, rate, before)
    assert profit[0].tolist() == pytest.approx([24.0, 0.0, 20.0, -10.0])


def test_a_store_without_launches_sells_all_year_from_its_existing_products():
    before = pf.before_first_launch(np.array([np.nan]), np.arange(12))
    assert before.all()


def test_shared_expenses_follow_planned_sales():
    """3 000 shared in a month where the stores plan 100 and 200: 1 000 and 2 000; a month with no sales
    anywhere is split equally."""
    out = pf.shared_expenses(np.array([3000.0, 3000.0]), np.array([[100.0, 0.0], [200.0, 0.0]]))
    assert out[:, 0].tolist() == [1000.0, 2000.0] and out[:, 1].tolist() == [1500.0, 1500.0]


def test_target_net_profit_is_products_less_every_cost():
    """The golden seller's parts (tests/golden/README.md example 6):
    1 149 008.36 + 154 225.66 − 75 000 − 17 626.23 − 7 105.54 − 162 000 − 198 000 − 42 000 = 801 502.25."""
    assert pf.target_net_profit(1_149_008.36, 154_225.66, 75_000, 17_626.23, 7_105.54, 162_000, 198_000,
                                42_000) == pytest.approx(801_502.25)
