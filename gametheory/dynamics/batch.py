r"""Stability classification of every rest point of every game in a :class:`~gametheory.GameBatch`, as arrays.

2x2 and 2x2x2 batches go through vectorised closed forms (numpy over the whole batch, no loop over games);
other shapes use :func:`gametheory.dynamics.analyze` game by game (the reference path).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._frozen import FrozenResult
from .._threads import worker_threads
from .._validation import Interval, StrOptions, validate_params
from ..errors import InvalidParameterError
from ..games.batch import GameBatch, pad_profiles
from ..games.normal_form import DEFAULT_TOL
from ._binary import binary_rest_points
from ._jacobian import CLASSES, STABLE, classify_codes
from ._state import FloatArray
from .stability import analyze

__all__ = ["BatchStability", "classify_batch"]

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class BatchStability(FrozenResult):
    """Rest points of every game of a batch with eigenvalues and classification, padded to ``K`` per game.

    Attributes
    ----------
    profiles : ndarray, shape (N, K, n, max_s)
        Rest points (NaN padding).
    eigenvalues : ndarray of complex, shape (N, K, d)
        Tangent-Jacobian eigenvalues: at corners one per player in player order (closed form) or by decreasing
        real part (per-game path).
    codes : ndarray of int8, shape (N, K)
        Index into :data:`CLASSES` (``stable, unstable, saddle, undecided``); -1 for padding.
    nash : ndarray of bool, shape (N, K)
        Whether each rest point is a Nash equilibrium.
    pure : ndarray of bool, shape (N, K)
        Whether each rest point is a corner.
    valid : ndarray of bool, shape (N, K)
        True for real entries, False for padding.
    continuum : ndarray of bool, shape (N,)
        True where some rest points form a continuum (degenerate games; those are not listed).
    shape : tuple of int
    method : str
    tol : float

    Examples
    --------
    >>> import gametheory as gt
    >>> coordination = gt.NormalFormGame([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])

    >>> result = gt.dynamics.classify_batch(gt.GameBatch([coordination.payoffs, -coordination.payoffs]))
    >>> result.stable_counts.tolist(), result.classification(0)
    ([2, 2], ['stable', 'unstable', 'unstable', 'stable', 'saddle'])
    """

    profiles: FloatArray
    eigenvalues: npt.NDArray[np.complex128]
    codes: npt.NDArray[np.int8]
    nash: BoolArray
    pure: BoolArray
    valid: BoolArray
    continuum: BoolArray
    shape: tuple[int, ...]
    method: str
    tol: float

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    @property
    def stable(self) -> BoolArray:
        """``(N, K)``: True at asymptotically stable rest points."""
        stable: BoolArray = self.codes == STABLE
        return stable

    @property
    def stable_counts(self) -> npt.NDArray[np.int64]:
        """Number of stable states of each game."""
        counts: npt.NDArray[np.int64] = self.stable.sum(axis=1)
        return counts

    def classification(self, g: int) -> list[str]:
        """Class names of game ``g``'s rest points."""
        return [CLASSES[c] for c in self.codes[g][self.valid[g]]]

    def __repr__(self) -> str:
        return (f"BatchStability({len(self)} games, shape={self.shape}, method={self.method!r}, "
                f"stable per game: {np.bincount(self.stable_counts).tolist()}, "
                f"continuum={int(self.continuum.sum())})")


@validate_params({"batch": None, "method": StrOptions({"auto", "per_game"}), "tol": Interval(float, 0, None)})
def classify_batch(batch: GameBatch, *, method: str = "auto", tol: float = DEFAULT_TOL) -> BatchStability:
    r"""Classify every rest point of every game of a batch (vectorised for 2x2 and 2x2x2 games).

    Parameters
    ----------
    batch : GameBatch
        Games of one shape; every player needs at least two strategies.
    method : str
        ``"auto"`` (closed forms for 2x2 and 2x2x2, else per game) or ``"per_game"`` (the reference path).
    tol : float
        Tolerance relative to each game's payoff scale.

    Returns
    -------
    BatchStability

    Notes
    -----
    For 2x2x2 games, with :math:`f_i` player :math:`i`'s payoff gain of its first strategy over its second:
    corners have eigenvalues :math:`(1 - 2x_i) f_i`; a face where :math:`i, j` mix has
    :math:`\pm\sqrt{x_i(1-x_i)x_j(1-x_j)\,\partial_j f_i\,\partial_i f_j}` and :math:`(1-2x_k) f_k`; an interior
    point's Jacobian has zero diagonal, so its eigenvalues solve :math:`\lambda^3 + p\lambda + q = 0` with
    :math:`p = -(J_{01}J_{10} + J_{02}J_{20} + J_{12}J_{21})`, :math:`q = -(J_{01}J_{12}J_{20} + J_{02}J_{21}J_{10})`.

    References
    ----------
    .. [1] D. Friedman, "Evolutionary games in economics", Econometrica 59 (1991) 637-666.
    .. [2] R. Selten, Journal of Theoretical Biology 84 (1980) 93-101.
    .. [3] J. W. Weibull, Evolutionary Game Theory, MIT Press, 1995, ch. 5.

    Examples
    --------
    >>> import numpy as np, gametheory as gt
    >>> batch = gt.GameBatch(np.random.default_rng(0).normal(size=(1000, 3, 2, 2, 2)))
    >>> result = gt.dynamics.classify_batch(batch)
    >>> bool((result.stable & ~result.pure).any()), bool((result.stable <= result.nash).all())
    (False, True)
    """
    if not isinstance(batch, GameBatch):
        raise InvalidParameterError(
            f"The 'batch' parameter of classify_batch must be a GameBatch. Got {type(batch).__name__} instead."
        )
    if min(batch.shape) < 2:
        raise InvalidParameterError(
            f"The 'batch' parameter of classify_batch must give every player at least two strategies. Got shape "
            f"{batch.shape} instead."
        )
    if method == "auto" and all(s == 2 for s in batch.shape) and batch.n_players in (2, 3):
        return _closed_form(batch, tol)
    return _per_game(batch, tol)


def _closed_form(batch: GameBatch, tol: float, chunk: int = 4096) -> BatchStability:
    payoffs = batch.payoffs
    n_games, n = payoffs.shape[:2]
    k = 2**n + (1 if n == 2 else 8)
    profiles = np.empty((n_games, k, n, 2))
    eigs = np.empty((n_games, k, n), dtype=complex)
    codes = np.empty((n_games, k), dtype=np.int8)
    nash = np.empty((n_games, k), dtype=bool)
    valid = np.empty((n_games, k), dtype=bool)
    continuum = np.empty(n_games, dtype=bool)
    mixing = binary_rest_points(payoffs[:1], tol).mixing

    def work(start: int) -> None:  # chunks keep the temporaries in cache; each writes its own rows
        part = slice(start, min(start + chunk, n_games))
        scale = np.abs(payoffs[part]).reshape(-1, payoffs[0].size).max(axis=1)
        scale[scale == 0] = 1.0  # relative to each game's max |u|, as NormalFormGame.scale
        found = binary_rest_points(payoffs[part], tol, scale)
        eigs[part] = found.eigenvalues
        codes[part] = classify_codes(found.eigenvalues.real, (tol * scale)[:, None], found.valid)
        profiles[part, :, :, 0] = found.points
        profiles[part, :, :, 1] = 1.0 - found.points
        nash[part] = found.valid & (found.regrets <= (tol * scale)[:, None])
        valid[part] = found.valid
        continuum[part] = found.continuum

    starts = range(0, n_games, chunk)
    workers = min(len(starts), worker_threads())
    if workers > 1:  # numpy releases the GIL inside its loops: chunks run in parallel threads
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(work, starts))
    else:
        for start in starts:
            work(start)
    pure = valid & (mixing == 0)[None, :]
    return BatchStability(profiles, eigs, codes, nash, pure, valid, continuum, batch.shape, "closed_form", tol)


def _per_game(batch: GameBatch, tol: float) -> BatchStability:
    results = [analyze(game, tol=tol) for game in batch]
    profiles = pad_profiles([[state.profile for state in result] for result in results], batch.shape)
    n_games, k = profiles.shape[:2]
    d = sum(s - 1 for s in batch.shape)
    eigs = np.full((n_games, k, d), np.nan + 0j)
    codes = np.full((n_games, k), -1, dtype=np.int8)
    nash = np.zeros((n_games, k), dtype=bool)
    pure = np.zeros((n_games, k), dtype=bool)
    for g, result in enumerate(results):
        for e, state in enumerate(result):
            eigs[g, e] = state.eigenvalues
            codes[g, e] = CLASSES.index(state.classification)
            nash[g, e] = state.point.nash
            pure[g, e] = state.point.is_pure
    continuum = np.array([r.continuum for r in results], dtype=bool)
    return BatchStability(profiles, eigs, codes, nash, pure, codes >= 0, continuum, batch.shape, "per_game", tol)
