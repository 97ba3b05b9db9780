"""The hunters section's deterrence window: computed from the grid it shows (market collapse at low k does not
count as deterrence; a window that false claims close before it opens is reported as none)."""

import numpy as np
import pandas as pd

from gametheory.reports.sections.hunters import _window, claims


def _grid(beta, rates, false_claims):
    k = np.arange(len(rates)) * 0.5
    return pd.DataFrame({"false_claim_upheld": beta, "penalty_multiplier": k, "counterfeit_rate_max": rates,
                         "false_claim_rate_max": false_claims, "welfare_min": 1.0, "complete": True})


def test_collapse_at_low_multipliers_is_not_deterrence():
    # no trade (rate 0) at k = 0, 0.5; the rate is high at 1.0 and stays below 2% from 1.5 on
    row = _window(_grid(0.0, [0, 0, 0.08, 0.01, 0.01], [0, 0, 0, 0, 0]), 0.02).iloc[0]
    assert row["k_min"] == 1.5 and np.isnan(row["k_max"])


def test_window_closed_by_false_claims_and_no_window():
    grid = pd.concat([_grid(0.1, [0, 0.08, 0.01, 0.01, 0.01], [0, 0, 0, 0.3, 0.3]),
                      _grid(0.2, [0, 0.08, 0.01, 0.01, 0.01], [0, 0.2, 0.2, 0.2, 0.2]),
                      _grid(0.3, [0, 0.08, 0.05, 0.04, 0.03], [0, 0.2, 0.2, 0.2, 0.2])])
    window = _window(grid, 0.02)
    assert window[["k_min", "k_max"]].to_numpy()[:2].tolist() == [[1.0, 1.5], [1.0, 1.0]]
    assert np.isnan(window["k_min"].iloc[2]) and window["false_claims_pay_from"].iloc[2] == 0.5
    hunters = pd.DataFrame({"resale_value": 70.0, "hunter_share": [0.0, 0.5], "counterfeit_rate_max": [0.03, 0.01],
                            "buyer_verify_max": [0.3, 0.2], "complete": True})
    welfare = pd.DataFrame({"false_claim_upheld": [0.0, 0.3], "welfare_min": [60.0, 50.0],
                            "false_claim_rate_max": [0.0, 0.2], "complete": [True, False]})
    texts = [c.text for c in claims({"hunters": hunters, "hunters_grid": grid, "hunters_window": window,
                                     "hunters_welfare": welfare}, {"target_rate": 0.02})]
    assert any("window is [1, 1.5)" in t for t in texts)
    assert any(t.startswith("beta = 0.2: no deterrence window: false claims pay from k = 0.5") for t in texts)
    assert any(t.startswith("beta = 0.3: no deterrence window on the grid") and "pay from k = 0.5" in t
               for t in texts)
    assert any("false claims cost 10.0 per order" in t for t in texts)
    assert texts[-1].endswith("(1 incomplete).")
