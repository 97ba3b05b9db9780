"""Shared by the model tests: the fixed player and strategy indices, and solving a model at its defaults."""

import gametheory as gt

#: player order and the core strategy indices every model keeps (docs/contributing.md, model contract)
SELLER, BUYER, PLATFORM = 0, 1, 2
G, C = 0, 1
ACCEPT, VERIFY = 0, 1
LAX, AUDIT = 0, 1


def solve_at_defaults(name, *, count, tol=1e-9):
    """The model ``name`` at its defaults and its equilibria, after asserting the count, then every regret."""
    m = gt.models.get(name)
    eqs = gt.solve(m.game())
    assert len(eqs) == count
    assert max(e.regret for e in eqs) <= tol
    return m, eqs
