"""startup_report: the logic behind the strategy report's notebook chain.

Notebooks stay thin and call into this package; the CLI (``startup-report``) runs the chain.
"""

import os

# Keras reads its backend once, at import: jax trains our small models fastest on this CPU (README).
os.environ.setdefault("KERAS_BACKEND", "jax")

# Compiled XLA programs are kept per machine and CPU kind, so each Keras step compiles once (modeling/compilecache.py).
from startup_report.modeling.compilecache import configure  # noqa: E402

configure()

__version__ = "0.1.0"
