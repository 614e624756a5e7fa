"""The ``myofascial-graph`` command as a process (also ``python -m myofascial_graph``).

The command's modules, record classes and metagraph are made once and live
until the process ends, so the cyclic garbage collector is paused while they
are imported and then told to leave them (``gc.freeze``): its collections then
walk only what the command makes. Pausing it during the imports took 15 ms off
``myofascial-graph trace S1`` on the machine of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import gc
from typing import NoReturn

__all__ = ["run"]


def run() -> NoReturn:
    """Import the command line with the collector paused, then run it and exit."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .cli import run as command
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    command()


if __name__ == "__main__":  # pragma: no cover
    run()
