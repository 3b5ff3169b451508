"""The engines by name, imported only when used (``pyspark`` is an optional extra)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any, Callable

from counterclaim.pool.errors import EngineUnavailable, PoolError

DEFAULT = "duckdb"
# name -> (module, its options class, the package that must be installed, how to install it)
ENGINES: dict[str, tuple[str, str, str, str]] = {
    "duckdb": ("counterclaim.pool.duckdb_engine", "DuckDBOptions", "duckdb", "pip install duckdb"),
    "spark": ("counterclaim.pool.spark_engine", "SparkOptions", "pyspark", "pip install 'counterclaim[spark]'"),
}


def _module(name: str):
    if name not in ENGINES:
        raise PoolError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
    module, _, package, how = ENGINES[name]
    if importlib.util.find_spec(package) is None:
        raise EngineUnavailable(f"the {name} engine needs the Python package {package}: {how}")
    return importlib.import_module(module)


def options(name: str, **values: Any) -> Any:
    """The engine's options object, from the values that are not None."""
    module = _module(name)
    cls = getattr(module, ENGINES[name][1])
    return cls(**{key: value for key, value in values.items() if value is not None})


def ingest_function(name: str) -> Callable[..., Any]:
    module = _module(name)

    def run(raw, *, options=None, **kwargs):
        return module.ingest(raw, options=options if options is not None else getattr(module, ENGINES[name][1])(),
                             **kwargs)

    return run


def module(name: str):
    return _module(name)
