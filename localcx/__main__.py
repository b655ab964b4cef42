"""`python -m localcx`, the same as the `localcx` command."""

from localcx.commands.main import run

run()
