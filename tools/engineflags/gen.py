#!/usr/bin/env python3
"""Generate internal/engineflags/tables/*.json from the engines' own argument parsers.

The tables list, per flag (without leading dashes): its kind (bool, int, float, choice,
string, json, list), the choices of a choice flag, and whether a bool has a --no- form.
They are read from the sources with the `ast` module (nothing is imported or run), at the
versions the pinned images carry; each table records that version and where it came from.

Usage (every source is optional; only the tables whose sources are given are rewritten):

  tools/engineflags/gen.py --out internal/engineflags/tables \
      --dynamo-git /path/to/dynamo/.git --dynamo-commit e147ceea... --dynamo-version 1.4.0 \
      --vllm path/to/vllm/engine/arg_utils.py --vllm-version 0.26.0 --vllm-source "vllm-project/vllm@<commit>" \
      --sglang path/to/sglang/srt/server_args.py --sglang-version 0.5.16 --sglang-source ... \
      --trtllm path/to/tensorrt_llm/llmapi/llm_args.py --trtllm-version 1.3.0rc23 --trtllm-source ... \
      --llamacpp path/to/common/arg.cpp --llamacpp-version b6000 --llamacpp-source ...

Run it again whenever a pin moves: internal/engineflags's tests fail until the tables
carry the versions the renderers pin.
"""

import argparse
import ast
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------------------------------
# argparse-style sources: parser.add_argument("--x", type=int, ...) and Dynamo's
# add_argument(g, flag_name="--x", arg_type=int, ...) / add_negatable_bool_argument(...).

INT_TYPES = {"int", "nullable_int", "positive_int", "non_negative_int"}
FLOAT_TYPES = {"float", "nullable_float", "positive_float"}
JSON_TYPES = {"json.loads", "loads", "json_loads", "parse_json", "optional_json"}
BOOL_VALUE_TYPES = {"parse_bool", "str2bool", "strtobool"}


def dotted(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


def literal_strings(node, consts):
    """The string list a choices= expression spells out, or None when it is computed."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        out = []
        for e in node.elts:
            if isinstance(e, ast.Constant) and isinstance(e.value, (str, int)):
                out.append(str(e.value))
            else:
                return None
        return out
    if isinstance(node, ast.Name) and node.id in consts:
        return consts[node.id]
    return None


def module_consts(tree):
    """Module- and class-level NAME = [literal strings] assignments (choices= often names one)."""
    consts = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            vals = literal_strings(node.value, {})
            if vals is not None:
                consts[node.targets[0].id] = vals
    return consts


def kind_of(call_kwargs, consts):
    action = call_kwargs.get("action")
    action_name = ""
    if action is not None:
        action_name = action.value if isinstance(action, ast.Constant) else dotted(action)
    if action_name in ("store_true", "store_false"):
        return {"kind": "bool"}
    if action_name.endswith("BooleanOptionalAction"):
        return {"kind": "bool", "negatable": True}
    if action_name in ("version", "help", "count"):
        return None
    if "choices" in call_kwargs:
        choices = literal_strings(call_kwargs["choices"], consts)
        if choices:
            return {"kind": "choice", "choices": sorted(set(choices))}
    nargs = call_kwargs.get("nargs")
    if nargs is not None and not (isinstance(nargs, ast.Constant) and nargs.value == "?"):
        return {"kind": "list"}
    t = call_kwargs.get("type", call_kwargs.get("arg_type"))
    tname = dotted(t) if t is not None else "str"
    if isinstance(t, ast.Constant) and t.value is None:
        tname = "str"
    if tname in INT_TYPES:
        return {"kind": "int"}
    if tname in FLOAT_TYPES:
        return {"kind": "float"}
    if tname in JSON_TYPES or "json" in tname.lower():
        return {"kind": "json"}
    if tname in BOOL_VALUE_TYPES:
        return {"kind": "choice", "choices": ["0", "1", "false", "no", "off", "on", "true", "yes"]}
    return {"kind": "string"}


class ArgparseVisitor(ast.NodeVisitor):
    """Collects the flags of add_argument-like calls, skipping branches guarded by a name
    in skip_if (e.g. RouterArgGroup's include_frontend_only, which workers never set)."""

    def __init__(self, consts, skip_if=()):
        self.consts = consts
        self.skip_if = set(skip_if)
        self.flags = {}

    def visit_If(self, node):
        names = {dotted(n) for n in ast.walk(node.test)}
        if names & self.skip_if or {n.split(".")[-1] for n in names} & self.skip_if:
            for n in node.orelse:
                self.visit(n)
            return
        self.generic_visit(node)

    def visit_Call(self, node):
        fname = dotted(node.func).split(".")[-1]
        if fname in ("add_argument", "add_negatable_bool_argument"):
            kwargs = {k.arg: k.value for k in node.keywords if k.arg}
            names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            for key in ("flag_name", "obsolete_flag", "alias"):
                v = kwargs.get(key)
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    names.append(v.value)
            names = [n for n in names if n.startswith("--")]
            if fname == "add_negatable_bool_argument":
                kind = {"kind": "bool", "negatable": True}
            else:
                kind = kind_of(kwargs, self.consts)
            if names and kind:
                primary = names[0][2:]
                for n in names:
                    entry = dict(kind)
                    if n != names[0]:
                        entry["alias_of"] = primary
                    self.flags.setdefault(n[2:], entry)
        self.generic_visit(node)


def argparse_flags(source, skip_if=()):
    tree = ast.parse(source)
    v = ArgparseVisitor(module_consts(tree), skip_if)
    v.visit(tree)
    return v.flags


# ---------------------------------------------------------------------------------------
# vLLM: EngineArgs.add_cli_args registers "--flag" with **<config>_kwargs["field"], whose
# argparse type vLLM derives from the EngineArgs dataclass annotation of the field
# (vllm/engine/arg_utils.py get_kwargs): bool -> BooleanOptionalAction, Literal -> choices,
# int/float/str, dict / *Config -> JSON, list -> nargs.


def annotation_kind(ann, aliases):
    if ann is None:
        return {"kind": "string"}
    src = ast.unparse(ann)
    for name, target in aliases.items():
        src = re.sub(rf"\b{re.escape(name)}\b", target, src)
    src = src.replace("Optional[", "").replace(" | None", "").replace("None | ", "")
    m = re.search(r"Literal\[(.*?)\]", src)
    if m:
        vals = re.findall(r"['\"]([^'\"]+)['\"]", m.group(1))
        if vals and "str" not in src.replace(m.group(0), ""):
            return {"kind": "choice", "choices": sorted(set(vals))}
        return {"kind": "string"}
    base = src.strip().strip("]")
    if re.match(r"^(bool)\b", base):
        return {"kind": "bool", "negatable": True}
    if re.match(r"^(int|PositiveInt|NonNegativeInt)\b", base):
        return {"kind": "int"}
    if re.match(r"^(float|PositiveFloat|NonNegativeFloat)\b", base):
        return {"kind": "float"}
    if re.match(r"^(list|List|tuple|Tuple)\b", base):
        return {"kind": "list"}
    if re.match(r"^(dict|Dict)\b", base) or "Config" in base:
        return {"kind": "json"}
    return {"kind": "string"}


def vllm_flags(source):
    tree = ast.parse(source)
    aliases = {}
    for node in tree.body:  # module-level type aliases, e.g. TypeHint = Union[...]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Subscript):
                aliases[node.targets[0].id] = ast.unparse(node.value)
    fields = {}
    engine_args = None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in ("EngineArgs", "AsyncEngineArgs"):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    fields[item.target.id] = item.annotation
            if node.name == "EngineArgs":
                engine_args = node
    if engine_args is None:
        sys.exit("vllm: no EngineArgs class in the given file")
    flags = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and dotted(node.func).endswith("add_argument")):
            continue
        names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("--")]
        if not names:
            continue
        kwargs = {k.arg: k.value for k in node.keywords if k.arg}
        starred = [k.value for k in node.keywords if k.arg is None]
        kind = None
        if starred and isinstance(starred[0], ast.Subscript):
            sl = starred[0].slice
            if isinstance(sl, ast.Constant) and isinstance(sl.value, str):
                field = sl.value
                kind = annotation_kind(fields.get(field), aliases)
                override = kind_of(kwargs, {}) if kwargs.get("action") or kwargs.get("type") or kwargs.get("choices") else None
                if override:
                    kind = override
        if kind is None:
            kind = kind_of(kwargs, {})
        if kind is None:
            continue
        for n in names:
            entry = dict(kind)
            if n != names[0]:
                entry["alias_of"] = names[0][2:]
            flags.setdefault(n[2:], entry)
    return flags


# ---------------------------------------------------------------------------------------
# TensorRT-LLM: the top-level LLM arguments (pydantic fields of BaseLlmArgs and
# TorchLlmArgs in tensorrt_llm/llmapi/llm_args.py) that dynamo.trtllm's --trtllm.<path>
# flags may start with.


def trtllm_fields(source):
    tree = ast.parse(source)
    flags = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in ("BaseLlmArgs", "TorchLlmArgs", "BaseLlmArgs_"):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name) and not item.target.id.startswith("_"):
                    ann = ast.unparse(item.annotation)
                    if "ClassVar" in ann or "PrivateAttr" in ast.unparse(item.value or ast.Constant(None)):
                        continue
                    kind = annotation_kind(item.annotation, {})
                    flags[item.target.id] = kind
    if not flags:
        sys.exit("trtllm: no BaseLlmArgs/TorchLlmArgs fields found")
    return flags


# ---------------------------------------------------------------------------------------
# llama.cpp server: common/arg.cpp registers common_arg({"-c", "--ctx-size"}, "N", ...);
# a value hint (the second string) means the flag takes a value, {"--no-x"} names a
# negation. Only long flags are listed (engine_args keys are long flags).


def llamacpp_flags(source):
    flags = {}
    for m in re.finditer(r"common_arg\(\s*\{([^}]*)\}\s*,\s*(\{[^}]*\}\s*,\s*)?(\"[^\"]*\"\s*,)?", source):
        names = re.findall(r"\"(--?[A-Za-z0-9][A-Za-z0-9-]*)\"", m.group(1))
        negs = re.findall(r"\"(--?[A-Za-z0-9][A-Za-z0-9-]*)\"", m.group(2) or "")
        hint = m.group(3)
        kind = {"kind": "string"} if hint and re.match(r"\"[A-Z]", hint) else {"kind": "bool"}
        if hint and re.match(r"\"(N|SEED|INDEX)\"", hint):
            kind = {"kind": "int"}
        longs = [n for n in names if n.startswith("--")]
        if not longs:
            continue
        for n in longs:
            entry = dict(kind)
            if n != longs[0]:
                entry["alias_of"] = longs[0][2:]
            if negs and kind["kind"] == "bool":
                entry["negatable"] = True
            flags.setdefault(n[2:], entry)
        for n in negs:
            if n.startswith("--"):
                flags.setdefault(n[2:], {"kind": "bool", "alias_of": "no:" + longs[0][2:]})
    return flags


# ---------------------------------------------------------------------------------------


def git_show(gitdir, commit, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"], check=True, capture_output=True, text=True).stdout


def write(out, name, engine, version, source, flags, note=""):
    table = {
        "engine": engine,
        "version": version,
        "source": source,
        "note": note,
        "flags": [dict(name=k, **flags[k]) for k in sorted(flags)],
    }
    path = os.path.join(out, name + ".json")
    with open(path, "w") as f:
        json.dump(table, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{path}: {len(flags)} flags")


DYNAMO_COMMON = [
    ("components/src/dynamo/common/configuration/groups/runtime_args.py", ()),
    # Worker-side router advertisement flags (router_args.py add_worker_router_arguments).
    ("components/src/dynamo/common/configuration/groups/router_args.py", ("include_frontend_only",)),
    ("components/src/dynamo/common/configuration/groups/kv_router_args.py", ()),
]
DYNAMO_BACKENDS = {
    "vllm": ["components/src/dynamo/vllm/backend_args.py"],
    "sglang": ["components/src/dynamo/sglang/backend_args.py"],
    "trtllm": ["components/src/dynamo/trtllm/backend_args.py"],
}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--dynamo-git")
    p.add_argument("--dynamo-commit")
    p.add_argument("--dynamo-version")
    p.add_argument("--dynamo-repo", default="wxsms/dynamo")
    for e in ("vllm", "sglang", "trtllm", "llamacpp"):
        p.add_argument(f"--{e}")
        p.add_argument(f"--{e}-version")
        p.add_argument(f"--{e}-source", help="repository@commit:path the file was read from")
        p.add_argument(f"--{e}-note", default="")
        p.add_argument(f"--{e}-name", default=e, help="table file name (default: the engine)")
    a = p.parse_args()
    if a.dynamo_git:
        for backend, paths in DYNAMO_BACKENDS.items():
            flags = {}
            for path, skip in DYNAMO_COMMON + [(x, ()) for x in paths]:
                for k, v in argparse_flags(git_show(a.dynamo_git, a.dynamo_commit, path), skip).items():
                    flags.setdefault(k, v)
            src = f"{a.dynamo_repo}@{a.dynamo_commit}:" + ",".join([x for x, _ in DYNAMO_COMMON] + paths)
            write(a.out, f"dynamo-{backend}", f"dynamo.{backend}", a.dynamo_version, src, flags)
    readers = {"vllm": vllm_flags, "sglang": argparse_flags, "trtllm": trtllm_fields, "llamacpp": llamacpp_flags}
    for e, reader in readers.items():
        path = getattr(a, e)
        if not path:
            continue
        with open(path) as f:
            flags = reader(f.read())
        write(a.out, getattr(a, f"{e}_name"), e, getattr(a, f"{e}_version"), getattr(a, f"{e}_source"), flags, getattr(a, f"{e}_note"))


if __name__ == "__main__":
    main()
