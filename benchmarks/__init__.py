"""Benchmarks of gametheory against its peers (pygambit, nashpy, QuantEcon); run with ``python -m benchmarks``.

Importing the package pins BLAS/OpenMP to one thread (one core per measurement), before any benchmark module
imports numpy: ``python -m benchmarks.bench_<area>`` imports this file first.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
