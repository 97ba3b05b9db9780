"""Meta-tests over the whole public API: exports, validation tables, error format, docstrings.

In the spirit of scikit-learn's ``test_public_functions.py``: every function decorated with
``validate_params`` declares its constraints; here each constrained argument is given a bad value and must
raise the one standard message, before the function body runs.
"""

import importlib
import inspect
import pkgutil
import re

import pytest

import gametheory as gt
from gametheory._validation import Interval, NoneOr, StrOptions
from gametheory.errors import InvalidParameterError

MESSAGE = re.compile(r"The '(\w+)' parameter of (\w+) must be .+\. Got .+ instead\.")


def _modules():
    for info in pkgutil.walk_packages(gt.__path__, prefix="gametheory."):
        if ".cli" in info.name or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def _validated_functions():
    seen = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if callable(obj) and hasattr(obj, "__gt_constraints__") and not name.startswith("_"):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return sorted(seen.items())


VALIDATED = _validated_functions()


def _bad_value(constraint):
    if isinstance(constraint, NoneOr):
        return _bad_value(constraint.inner)
    if isinstance(constraint, StrOptions):
        return "no-such-option"
    if isinstance(constraint, Interval):
        return float("nan")
    return object()


def test_every_name_in_all_is_importable():
    for name in gt.__all__:
        assert getattr(gt, name) is not None, name


@pytest.mark.parametrize(("qualname", "func"), VALIDATED, ids=[q for q, _ in VALIDATED])
def test_constraints_match_signature(qualname, func):
    params = inspect.signature(func).parameters
    assert set(func.__gt_constraints__) <= set(params)


@pytest.mark.parametrize(("qualname", "func"), VALIDATED, ids=[q for q, _ in VALIDATED])
def test_bad_values_raise_the_standard_message(qualname, func):
    signature = inspect.signature(func)
    for name, constraint in func.__gt_constraints__.items():
        if constraint is None:
            continue
        kwargs = {}
        for pname, p in signature.parameters.items():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            if pname == name:
                kwargs[pname] = _bad_value(constraint)
            elif p.default is inspect.Parameter.empty:
                kwargs[pname] = object()  # unconstrained required argument: never reached
        with pytest.raises(InvalidParameterError) as info:
            func(**kwargs)
        match = MESSAGE.fullmatch(str(info.value))
        assert match, str(info.value)
        assert match.group(1) == name


#: the packages users import; the functions they export are the public API
PUBLIC_PACKAGES = ("gametheory", "gametheory.models", "gametheory.deterrence", "gametheory.dynamics",
                   "gametheory.policy", "gametheory.repeated", "gametheory.qre", "gametheory.sweeps",
                   "gametheory.reports", "gametheory.io", "gametheory.solvers", "gametheory.games",
                   "gametheory.limits")


def test_exported_callables_have_docstrings():
    missing = []
    for module in _modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if ((inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module.__name__
                    and not inspect.getdoc(obj)):
                missing.append(f"{module.__name__}.{name}")
    assert not missing, "no docstring: " + ", ".join(missing)


def test_public_functions_have_an_example():
    missing = []
    for package in PUBLIC_PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isfunction(obj) and ">>>" not in (inspect.getdoc(obj) or ""):
                missing.append(f"{package}.{name}")
    assert not missing, "no example in the docstring: " + ", ".join(missing)
