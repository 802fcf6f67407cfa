"""Make Debian's liblouis binding importable in the venv.

PyPI has no usable liblouis binding (``louis`` 1.3 there is an empty 2013
placeholder), so we use Debian's python3-louis: one pure-ctypes package. We
symlink that one folder into the venv rather than adding all of Debian's
dist-packages, which would expose its old PyYAML, cryptography and so on.
"""

import sys
import sysconfig
from pathlib import Path

DEBIAN = Path("/usr/lib/python3/dist-packages/louis")

target = Path(sysconfig.get_paths()["purelib"]) / "louis"
if not DEBIAN.is_dir():
    sys.exit(f"error: {DEBIAN} is missing; install python3-louis (make does this)")
if target.is_symlink() and target.resolve() == DEBIAN.resolve():
    sys.exit(0)
if target.exists() or target.is_symlink():
    target.unlink()
target.symlink_to(DEBIAN)
print(f"linked {target} -> {DEBIAN}")
