"""The ``deboil`` command line, as the package installs it (``deboil clean ...``, or
``python -m deboil clean ...``): the same program as the Rust binary, run in this process."""

import signal
import sys

from ._deboil import cli_main


def main() -> None:
    """Runs ``deboil`` with ``sys.argv`` and exits with its code."""
    # Ctrl-C and a closed pipe end the command as they end the binary, rather than waiting for
    # Python to look at its signal flags between bytecodes (it never would: the work is in Rust).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(cli_main(["deboil", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
