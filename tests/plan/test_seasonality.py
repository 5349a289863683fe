"""The seasonality index S (SPEC 3.4)."""
import numpy as np
import pytest

from goalsheet.plan.seasonality import centred_moving_average, seasonality_index

PROFILE = np.array([0.6, 0.8, 1.0, 1.0, 1.0, 1.0, 1.2, 1.0, 1.0, 1.0, 1.2, 1.2])   # adds up to 12


def test_ratio_to_moving_average_recovers_a_pure_profile():
    """24 months of 100 × profile.  Every centred window holds each calendar month once (its ends, the
    same calendar month, at half weight each), so CMA = 100 × 12 / 12 = 100 and each ratio is the
    profile itself: S = profile (mean 1 already)."""
    revenue = np.tile(100 * PROFILE, 2)
    S, method, problems = seasonality_index(revenue, "2024-01", "history")
    assert np.allclose(S, PROFILE)
    assert "moving average" in method and not problems


def test_moving_average_of_a_straight_line_is_the_line():
    """x_t = t + 1: (0.5 (t − 5) + Σ_{t−5..t+5} (k + 1) + 0.5 (t + 7)) / 12 = (12 t + 12) / 12 = t + 1."""
    x = np.arange(1, 25, dtype=float)
    cma = centred_moving_average(x)
    assert np.isnan(cma[:6]).all() and np.isnan(cma[-6:]).all()
    assert np.allclose(cma[6:18], x[6:18])
    S, _, _ = seasonality_index(x, "2024-01", "history")
    assert np.allclose(S, 1.0)


def test_share_of_window_for_12_to_23_months():
    """13 months from 2024-12: the window is the last 12, Jan..Dec 2025, revenue 1..12 (sum 78):
    S_Jan = 1 × 12 / 78 = 0.153846, S_Dec = 12 × 12 / 78 = 1.846154."""
    revenue = np.concatenate([[500.0], np.arange(1, 13, dtype=float)])
    S, method, _ = seasonality_index(revenue, "2024-12", "history")
    assert S[0] == pytest.approx(12 / 78) and S[11] == pytest.approx(144 / 78)
    assert S.mean() == pytest.approx(1.0)


def test_share_of_window_starting_mid_year():
    """12 months from 2025-07: revenue[0] is July; July's share = 24 / 120 × 12 = 2.4."""
    revenue = np.array([24.0] + [96 / 11] * 11)
    S, _, _ = seasonality_index(revenue, "2025-07", "history")
    assert S[6] == pytest.approx(2.4)


def test_flat_under_12_months_and_off():
    assert np.allclose(seasonality_index(np.arange(11.0), "2025-01", "history")[0], 1.0)
    assert np.allclose(seasonality_index(np.tile(100 * PROFILE, 2), "2024-01", "off")[0], 1.0)


def test_twelve_given_numbers_are_renormalised():
    """Given 1..12 (mean 6.5): S_Jan = 1 / 6.5 = 0.153846."""
    S, method, _ = seasonality_index(np.zeros(0), None, ", ".join(str(i) for i in range(1, 13)))
    assert S[0] == pytest.approx(1 / 6.5) and method == "given"


def test_bad_setting_warns_and_uses_history():
    S, _, problems = seasonality_index(np.tile(100 * PROFILE, 2), "2024-01", "1, 2, 3")
    assert problems and np.allclose(S, PROFILE)
