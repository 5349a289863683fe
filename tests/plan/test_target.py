"""The target and the gap (SPEC 3.4), and the article's examples."""
import sys
from pathlib import Path

import numpy as np
import pytest

from goalsheet.plan import target as tg
from goalsheet.plan.basis import build_basis, derive

sys.path.insert(0, str(Path(__file__).resolve().parent))
from golden_book import book_from_sheets
from sellers import three_stores_at_30000

M = np.arange(1, 13)


def test_article_growth_target():
    """Three stores at 30 000/month, g 0.05, S off, history through December:
    T = 3 × Σ_{m=1..12} 30 000 × 1.05^m = 90 000 × 1.05 × (1.05^12 − 1) / 0.05
      = 90 000 × 1.05 × 15.917127 = 90 000 × 16.712983 = 1 504 168.46."""
    T = tg.growth_target([30000] * 3, [0.05] * 3, M, np.ones(12))
    assert round(T.sum(), 2) == 1_504_168.46


def test_article_existing_products_at_half_the_growth():
    """Stable class: g = 0.05 / 2 = 0.025: 90 000 × 1.025 × (1.025^12 − 1) / 0.025
    = 90 000 × 1.025 × 13.795553 = 90 000 × 14.140442 = 1 272 639.76."""
    b = build_basis(book_from_sheets(three_stores_at_30000()))
    d = derive(b)
    assert list(b.econ["trend"]) == ["stable"] * 3
    assert round(d.T.sum(), 2) == 1_504_168.46
    assert round(d.E.sum(), 2) == 1_272_639.76
    assert d.gaps.sum() == pytest.approx(1_504_168.46 - 1_272_639.76, abs=0.01)


def test_total_mode_splits_by_trailing_revenue_then_by_season():
    """10 000 over stores with trailing revenue 300 and 100 (shares 0.75, 0.25) and S = 2 in January,
    0 in February, 1 elsewhere (Σ 12): store 1 January = 10 000 × 0.75 × 2 / 12 = 1 250;
    store 2 March = 10 000 × 0.25 × 1 / 12 = 208.33."""
    S = np.array([2.0, 0.0] + [1.0] * 10)
    T = tg.total_target(10_000, [300, 100], S)
    assert T[0, 0] == pytest.approx(1250.0) and T[0, 1] == 0
    assert T[1, 2] == pytest.approx(10_000 * 0.25 / 12)
    assert T.sum() == pytest.approx(10_000)


def test_one_store_beating_its_target_does_not_hide_another_gap():
    """T − E summed per store: store 1 +100 (gap 100), store 2 −50 (gap 0): G = 100, not 50."""
    T = np.array([[60.0, 60.0], [10.0, 10.0]])
    E = np.array([[10.0, 10.0], [35.0, 35.0]])
    assert list(tg.store_gaps(T, E)) == [100.0, 0.0]
    assert tg.new_product_sales(T, E)[1, 0] == -25.0


def test_article_total_mode_gap_and_launches():
    """target_total 10 000 000 over the three stores (equal trailing revenue: 3 333 333.33 each, flat S).
    Existing (stable, g 0.025) 424 213.25 per store, so G_s = 2 909 120.08 and G = 8 727 360.24.
    New product: 0.6 × 500 units × 100 = 30 000 a month when ramped; lead time 60 days -> first launch
    m = 3 (March).  A launch in month L earns 30 000 × (1/3 + 2/3 + (12 − L − 1)) = 30 000 × (12 − L):
    March 270 000, April 240 000, May 210 000, June 180 000, July 150 000.
    Three launches per operator-month, one operator per store, per store:
      Mar 3 × 270 000 = 810 000;  Apr +720 000 = 1 530 000;  May +630 000 = 2 160 000;
      Jun +540 000 = 2 700 000 (209 120.08 uncovered);  Jul +150 000 (59 120.08), +150 000 covered
    = 14 launches per store, 42 in all, no shortfall."""
    b = build_basis(book_from_sheets(three_stores_at_30000({"target_mode": "total", "target_total": 10_000_000,
                                                            "launches_per_operator_month": 3})))
    d = derive(b)
    assert np.allclose(d.T.sum(axis=1), 10_000_000 / 3)
    assert round(d.gaps[0], 2) == 2_909_120.08 and round(d.gaps.sum(), 2) == 8_727_360.24
    lt = d.launches.table
    assert len(lt) == 42 and list(lt.groupby("store").size()) == [14, 14, 14]
    a = lt[lt["store"] == "Store A"]
    assert list(a.groupby("month").size()) == [3, 3, 3, 3, 2]
    assert sorted(set(np.round(a["contribution"], 2))) == [150_000, 180_000, 210_000, 240_000, 270_000]
    assert d.launches.shortfall.sum() == 0
