# The districts' pages pin their own queries on top of every page's shell.
from tests.councils.conftest import shell_queries  # noqa: F401
