"""The command behind the docs pages generated from migrate's tables.

    python -m <module> --output PAGE   # write the page the module renders
    python -m <module> --check PAGE    # exit 1 if PAGE differs from it

``docs/tf1-names.md`` (``tf1_names``) and ``docs/keras2-names.md``
(``keras2_names``) are such pages; their tests call ``--check``.
"""

import argparse
import pathlib
import sys


def main(argv, module_name, description, render):
    """Writes or checks the page ``render()`` returns; the exit status."""
    parser = argparse.ArgumentParser(prog=f"python -m {module_name}", description=description)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--output", type=pathlib.Path, help="write the page here")
    group.add_argument("--check", type=pathlib.Path, help="exit 1 if this page differs from the code")
    options = parser.parse_args(argv)
    page = render()
    if options.output:
        options.output.write_text(page, encoding="utf-8")
        print(f"wrote {options.output}")
        return 0
    if not options.check.exists() or options.check.read_text(encoding="utf-8") != page:
        print(f"{options.check} differs from the code: run python -m {module_name} --output {options.check}",
              file=sys.stderr)
        return 1
    return 0
