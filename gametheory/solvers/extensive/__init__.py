"""Solvers of extensive-form (tree) games.

- :mod:`.backward_induction` — every pure subgame-perfect equilibrium of a perfect-information tree;
- :mod:`.subgame_perfect` — subgame-perfect equilibria of any finite tree, each proper subgame solved with
  :func:`gametheory.solve` on its normal form.

Normal-form solvers reach a tree through its reduced normal form (:meth:`gametheory.ExtensiveFormGame.to_normal_form`).
"""
