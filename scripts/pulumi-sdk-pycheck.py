#!/usr/bin/env python3
"""Imports every module of the generated Pulumi Python SDK, so that its own (relative) imports run
for real: pulumi, and semver/packaging/parver when not installed, are stand-ins (PyPI is not
reachable here). scripts/pulumi-gen.sh check runs it.
Usage: pulumi-sdk-pycheck.py SDK_DIR PACKAGE"""
import importlib, importlib.abc, importlib.machinery, importlib.util, pkgutil, sys, types

STUBBED = tuple(n for n in ("pulumi", "semver", "packaging", "parver") if n == "pulumi" or importlib.util.find_spec(n) is None)

class _Meta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub
    def __getitem__(cls, key): return Stub
    def __call__(cls, *a, **k):
        if len(a) == 1 and not k and callable(a[0]):
            return a[0]  # decorator
        return Stub
    def __or__(cls, other): return Stub
    def __ror__(cls, other): return Stub

class Stub(metaclass=_Meta):
    pass

class _PEP440:
    """packaging.version.Version (parver.Version) for a plain X.Y.Z (what _utilities reads at import)."""
    def __init__(self, s):
        self.release = tuple(int(p) for p in s.split("."))
        self.pre = self.dev = self.local = self.pre_tag = None

class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return Stub

class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None
    def create_module(self, spec):
        m = _StubModule(spec.name)
        m.__path__ = []
        return m
    def exec_module(self, module):
        if module.__name__ == "packaging.version":
            module.Version = _PEP440
        if module.__name__ == "parver":  # older SDKs: parver.Version.parse
            module.Version = type("Version", (), {"parse": staticmethod(_PEP440)})

sys.meta_path.insert(0, _Finder())
sdk, pkg = sys.argv[1], sys.argv[2]
sys.path.insert(0, sdk)
# _utilities reads the installed distribution's version: give it one, as `pip install` would.
import atexit, os, shutil, tempfile
meta = tempfile.mkdtemp()
atexit.register(shutil.rmtree, meta, True)
os.makedirs(os.path.join(meta, f"{pkg}-0.0.1.dist-info"))
with open(os.path.join(meta, f"{pkg}-0.0.1.dist-info", "METADATA"), "w") as f:
    f.write(f"Metadata-Version: 2.1\nName: {pkg}\nVersion: 0.0.1\n")
sys.path.insert(0, meta)
root = importlib.import_module(pkg)
names = [pkg] + [m.name for m in pkgutil.walk_packages(root.__path__, pkg + ".")]
failed = 0
for name in names:
    try:
        importlib.import_module(name)
    except Exception as e:
        failed += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}")
print(f"imported {len(names) - failed}/{len(names)} modules")
sys.exit(1 if failed else 0)
