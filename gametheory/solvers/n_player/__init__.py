"""Support enumeration for games of three or more players.

:mod:`.support_enumeration` (:func:`~.support_enumeration.nplayer_support_enumeration`) walks the support profiles
(pruned by conditional dominance, :mod:`._support_systems`), solves each indifference system exactly in rationals
and algebraic numbers where it is small (:mod:`._exact_support` over :mod:`._polynomial_systems`), numerically
otherwise (:mod:`._newton_multistart`, completed by homotopy continuation, :mod:`._homotopy`), and certifies and
de-duplicates what it finds (:mod:`._equilibrium_pool`).
"""
