"""Logit quantal response equilibria: the principal branch, the QRE at a given precision, fitting, selection."""

from .at_lambda import LogitBatch, LogitQRE, logit, logit_batch

__all__ = ["LogitQRE", "LogitBatch", "logit", "logit_batch"]
