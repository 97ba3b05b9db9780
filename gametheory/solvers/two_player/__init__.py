"""Solvers of 2-player (bimatrix) games.

Owns every algorithm that works on the two best-response polytopes of a bimatrix game:

- :mod:`.support_enumeration` — every equilibrium of a nondegenerate game (hands n-player games to
  :mod:`gametheory.solvers.n_player`);
- :mod:`.vertex_enumeration` — every extreme equilibrium, degenerate games included, with a compiled kernel for
  small games (:mod:`._vertex_kernel`);
- :mod:`.lemke_howson` — one equilibrium per starting label by complementary pivoting (:mod:`._lemke_howson_kernel`);
- :mod:`._bimatrix` — what the three share: the positive shift, exact/float members, building and certifying
  :class:`~gametheory.Equilibria` (compiled check in :mod:`._profile_check_kernel`).

The modules are imported by the registry of :mod:`gametheory.solvers` on first use; they are not re-exported here,
so that each module keeps the name of its solver.
"""
