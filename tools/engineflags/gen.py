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
      --trtllm path/to/tensorrt_llm/llmapi/llm_args.py [--trtllm another commit's ...] --trtllm-version 1.3.0rc23 \
      --trtllm-source <repo@commit:path> [one per --trtllm] \
      --llamacpp path/to/common/arg.cpp --llamacpp-version b6000 --llamacpp-source ...

or read straight from git: --vllm-git <git dir> --vllm-window FROM..TO (every flag of every
commit in a window of main that holds a release's branch point, see merge_flags), and
--sglang-git <git dir> --sglang-commit <commit>.

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

from trtllm_args import merge_paths, trtllm_paths

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
# vLLM: EngineArgs.add_cli_args registers "--flag" with **<config>_kwargs["field"], where
# <config>_kwargs = get_kwargs(<Config>) derives the argparse kwargs from the type hint of
# that config field (vllm/engine/arg_utils.py _compute_kwargs). EngineArgs mirrors each
# field with the same annotation (its default names the field: `x: T = CacheConfig.y` or
# `get_field(CacheConfig, "y")`), so the hints are read from EngineArgs. get_kwargs tests
# the hints in this order: a dataclass -> JSON; bool -> BooleanOptionalAction (--x and
# --no-x); Literal -> choices (free text when str is in the union); tuple/list/set ->
# nargs; int (human_readable_int for a few names) -> int; float; dict (with str or a class:
# union_dict_and_str) -> JSON; else str. Type aliases defined in other modules (e.g.
# CacheDType) cannot be resolved from one file: they are read as free text, which accepts
# more than the engine does but never refuses what it takes.

HUMAN_READABLE_INTS = {"max_model_len", "max_num_batched_tokens", "kv_cache_memory_bytes"}


def split_union(src):
    """Top-level members of an annotation: X | Y, Optional[X], Union[X, Y], Annotated[X, ...]."""
    src = src.strip()
    while src.startswith("(") and src.endswith(")"):
        src = src[1:-1].strip()
    for wrapper in ("Optional[", "Union[", "Annotated["):
        if src.startswith(wrapper) and src.endswith("]"):
            inner = split_top(src[len(wrapper):-1], ",")
            if wrapper == "Annotated[":
                inner = inner[:1]
            out = [m for part in inner for m in split_union(part)]
            return out + (["None"] if wrapper == "Optional[" else [])
    parts = split_top(src, "|")
    if len(parts) > 1:
        return [m for part in parts for m in split_union(part)]
    return [src]


def split_top(src, sep):
    out, depth, cur = [], 0, ""
    for ch in src:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == sep and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return [x for x in out if x]


def head(member):
    return member.split("[", 1)[0].strip()


def annotation_kind(ann, aliases, name="", cli=True):
    """The kind get_kwargs gives a field of this annotation. cli=False reads it as a Python
    keyword argument (engine_kwargs), where a value is the Python object itself."""
    if ann is None:
        return {"kind": "string"}
    src = ann if isinstance(ann, str) else ast.unparse(ann)
    members = []
    for m in split_union(src):
        if head(m) in aliases:
            members += split_union(aliases[head(m)])
        else:
            members.append(m)
    heads = {head(m) for m in members} - {"None"}
    has_str = "str" in heads
    if any(h.endswith("Config") for h in heads):
        return {"kind": "json"}
    if not cli and has_str and len(heads) > 1:
        return {"kind": "string"}  # a keyword argument taking text among other types
    if "bool" in heads:
        if not cli and len(heads) > 1:
            return {"kind": "string"}
        return {"kind": "bool", "negatable": True} if cli else {"kind": "bool"}
    if "Literal" in heads:
        lit = next(m for m in members if head(m) == "Literal")
        vals = re.findall(r"['\"]([^'\"]+)['\"]", lit)
        if vals and not has_str:
            if "None" in {head(m) for m in members} and cli:
                vals.append("None")
            return {"kind": "choice", "choices": sorted(set(vals))}
        return {"kind": "string"}
    if heads & {"tuple", "Tuple", "list", "List", "set", "Set"}:
        return {"kind": "list"}
    if heads & {"int", "PositiveInt", "NonNegativeInt"}:
        if cli and name in HUMAN_READABLE_INTS:
            return {"kind": "string"}  # "32k" and "1K" are accepted too
        return {"kind": "int"}
    if heads & {"float", "PositiveFloat", "NonNegativeFloat"}:
        return {"kind": "float"}
    if heads & {"dict", "Dict", "Mapping"}:
        if has_str or len(heads) > 1:
            return {"kind": "string"}  # union_dict_and_str: JSON object or plain text
        return {"kind": "json"}
    return {"kind": "string"}


def python_aliases(tree):
    """Module-level `Name = <subscript or union>` and `Name: TypeAlias = ...` assignments."""
    aliases = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and "TypeAlias" in ast.unparse(node.annotation):
            target, value = node.target.id, node.value
        if target and value is not None and isinstance(value, (ast.Subscript, ast.BinOp)):
            aliases[target] = ast.unparse(value)
    return aliases


def dataclass_fields(tree, names):
    """name -> annotation of the fields of the named classes (in order, first wins), and
    config-field name -> annotation for the EngineArgs fields whose default names one."""
    fields, by_config_field = {}, {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in names:
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    fields.setdefault(item.target.id, item.annotation)
                    v = item.value
                    if isinstance(v, ast.Attribute):
                        by_config_field.setdefault(v.attr, item.annotation)
                    elif isinstance(v, ast.Call) and dotted(v.func).endswith("get_field") and len(v.args) == 2 \
                            and isinstance(v.args[1], ast.Constant):
                        by_config_field.setdefault(v.args[1].value, item.annotation)
    return fields, by_config_field


def vllm_flags(source):
    tree = ast.parse(source)
    aliases = python_aliases(tree)
    fields, by_config_field = dataclass_fields(tree, ("EngineArgs", "AsyncEngineArgs"))
    if not fields:
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
        if starred and isinstance(starred[0], ast.Dict):
            # **{**<config>_kwargs["field"], "default": None}: the field's kwargs with
            # a few overridden (vLLM >= 0.2x); the overrides are literal keys.
            inner = [v for k, v in zip(starred[0].keys, starred[0].values) if k is None]
            for k, v in zip(starred[0].keys, starred[0].values):
                if isinstance(k, ast.Constant) and isinstance(k.value, str):
                    kwargs.setdefault(k.value, v)
            starred = inner
        if starred and isinstance(starred[0], ast.Subscript):
            sl = starred[0].slice
            if isinstance(sl, ast.Constant) and isinstance(sl.value, str):
                field = sl.value
                ann = fields.get(field, by_config_field.get(field))
                kind = annotation_kind(ann, aliases, field)
                if kwargs.get("action") or kwargs.get("type") or kwargs.get("choices") is not None:
                    kind = kind_of(kwargs, {}) or kind
                if "choices" in kwargs and literal_strings(kwargs["choices"], {}) is None:
                    kind = {"kind": "string"}  # computed choices (plugins): not checkable offline
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


# FrontendArgs.add_cli_args registers every field as --<field with dashes> through
# get_kwargs, then overrides a few (vllm/entrypoints/openai/cli_args.py): the allowed_*
# lists take JSON, lora_modules and middleware one string per occurrence.
FRONTEND_OVERRIDES = {
    "allowed_origins": {"kind": "json"},
    "allowed_methods": {"kind": "json"},
    "allowed_headers": {"kind": "json"},
    "lora_modules": {"kind": "list"},
    "middleware": {"kind": "string"},
}


def vllm_frontend_flags(source):
    tree = ast.parse(source)
    aliases = python_aliases(tree)
    fields, _ = dataclass_fields(tree, ("FrontendArgs", "BaseFrontendArgs"))
    if not fields:
        sys.exit("vllm frontend: no FrontendArgs class in the given file")
    flags = {}
    for name, ann in fields.items():
        flags[name.replace("_", "-")] = FRONTEND_OVERRIDES.get(name) or annotation_kind(ann, aliases, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "make_arg_parser":
            for k, v in argparse_flags(ast.unparse(node)).items():
                flags.setdefault(k, v)
    return flags


def vllm_kwargs(source):
    """EngineArgs/AsyncEngineArgs fields: the keyword arguments Ray Serve LLM's engine_kwargs
    are passed as (AsyncEngineArgs(**engine_kwargs))."""
    tree = ast.parse(source)
    aliases = python_aliases(tree)
    fields, _ = dataclass_fields(tree, ("EngineArgs", "AsyncEngineArgs"))
    return {k: annotation_kind(a, aliases, k, cli=False) for k, a in fields.items() if not k.startswith("_")}


# ---------------------------------------------------------------------------------------
# SGLang (>= mid 2026): ServerArgs fields annotated A[T, "help"] or A[T, Arg(...)] become
# flags through add_cli_args_from_dataclass (python/sglang/srt/arg_groups/arg_utils.py):
# --<field with dashes> (or Arg.cli_name) plus Arg.aliases; no_cli skips the field; an
# Arg.action is used as given; else Optional is unwrapped and a Literal gives choices, a
# List (without type_parser) nargs="+", bool store_true (no --no- form), int/float typed
# scalars, anything else text (Arg.choices still apply). ServerArgs.add_cli_args then
# registers a few flags by hand (dynamic choices, deprecated spellings, --config).

SGLANG_SWITCH_ACTIONS = {"store_true", "store_false", "store_const", "DeprecatedStoreTrueAction",
                         "DeprecatedStoreConstAction", "DeprecatedAction"}


def sglang_field_kind(inner, meta, consts):
    """Kind of one A[inner, Arg(**meta)] field, as add_cli_args_from_dataclass builds it."""
    action = meta.get("action")
    if action is not None:
        name = action.value if isinstance(action, ast.Constant) else dotted(action).split(".")[-1]
        if name == "BooleanOptionalAction":
            return {"kind": "bool", "negatable": True}
        if name in SGLANG_SWITCH_ACTIONS:
            return {"kind": "bool"}
        ak = meta.get("action_kwargs")
        if isinstance(ak, ast.Dict):
            for k, v in zip(ak.keys, ak.values):
                if isinstance(k, ast.Constant) and k.value == "nargs":
                    return {"kind": "list"}
        return {"kind": "string"}
    members = [m for m in split_union(ast.unparse(inner)) if m != "None"]
    choices = literal_strings(meta["choices"], consts) if "choices" in meta else None
    if "choices" in meta and choices is None:
        return {"kind": "string"}  # computed choices: not checkable offline
    if len(members) == 1 and head(members[0]) == "Literal":
        vals = re.findall(r"['\"]([^'\"]+)['\"]", members[0])
        if choices is None:
            choices = vals or None
        if choices:
            return {"kind": "choice", "choices": sorted(set(choices))}
        return {"kind": "string"}
    if len(members) == 1 and head(members[0]) in ("list", "List") and "type_parser" not in meta:
        return {"kind": "list"}
    if len(members) == 1 and members[0] == "bool":
        return {"kind": "bool"}
    if "nargs" in meta:
        return {"kind": "list"}
    if choices:
        return {"kind": "choice", "choices": sorted(set(choices))}
    tp = dotted(meta["type_parser"]) if "type_parser" in meta else ""
    if "json" in tp.lower():
        return {"kind": "json"}
    if tp:
        return {"kind": "string"}
    if len(members) == 1 and members[0] == "int":
        return {"kind": "int"}
    if len(members) == 1 and members[0] == "float":
        return {"kind": "float"}
    return {"kind": "string"}


def sglang_flags(source):
    tree = ast.parse(source)
    consts = module_consts(tree)
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ServerArgs"), None)
    if cls is None:
        sys.exit("sglang: no ServerArgs class in the given file")
    flags = {}
    for item in cls.body:
        if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
            continue
        ann = item.annotation
        if not (isinstance(ann, ast.Subscript) and dotted(ann.value) in ("A", "Annotated") and isinstance(ann.slice, ast.Tuple)):
            continue  # no Arg metadata: registered by hand, if at all
        inner, meta_node = ann.slice.elts[0], ann.slice.elts[1]
        meta = {}
        if isinstance(meta_node, ast.Call) and dotted(meta_node.func) == "Arg":
            meta = {k.arg: k.value for k in meta_node.keywords if k.arg}
        elif not (isinstance(meta_node, ast.Constant) and isinstance(meta_node.value, str)):
            continue
        if isinstance(meta.get("no_cli"), ast.Constant) and meta["no_cli"].value:
            continue
        field = item.target.id
        names = ["--" + field.replace("_", "-")]
        if isinstance(meta.get("cli_name"), ast.Constant):
            names = [meta["cli_name"].value]
        aliases = literal_strings(meta["aliases"], consts) if "aliases" in meta else None
        names += aliases or []
        kind = sglang_field_kind(inner, meta, consts)
        for n in names:
            entry = dict(kind)
            if n != names[0]:
                entry["alias_of"] = names[0][2:]
            flags.setdefault(n[2:], entry)
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "add_cli_args":
            for call in ast.walk(node):
                if not (isinstance(call, ast.Call) and dotted(call.func).endswith("add_argument")):
                    continue
                kwargs = {k.arg: k.value for k in call.keywords if k.arg}
                names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str) and a.value.startswith("--")]
                action = kwargs.get("action")
                aname = dotted(action).split(".")[-1] if action is not None and not isinstance(action, ast.Constant) else ""
                if aname in SGLANG_SWITCH_ACTIONS:
                    kind = {"kind": "bool"}
                else:
                    kind = kind_of(kwargs, consts)
                    if "choices" in kwargs and literal_strings(kwargs["choices"], consts) is None:
                        kind = {"kind": "string"}
                for n in names:
                    entry = dict(kind)
                    if n != names[0]:
                        entry["alias_of"] = names[0][2:]
                    flags.setdefault(n[2:], entry)
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


def merge_flags(versions):
    """One table for a window of commits that holds a release's branch point: every flag any
    commit defines (so a flag outside it is in none of them, and not in the release); a flag
    whose kind differs between commits becomes "any" (its value is not checked)."""
    out = {}
    for flags in versions:
        for name, f in flags.items():
            cur = out.get(name)
            if cur is None:
                out[name] = dict(f)
                continue
            if cur["kind"] != f["kind"]:
                out[name] = {"kind": "any"}
                continue
            if cur["kind"] == "choice":
                cur["choices"] = sorted(set(cur["choices"]) | set(f["choices"]))
            if f.get("negatable"):
                cur["negatable"] = True
            if cur.get("alias_of") != f.get("alias_of"):
                cur.pop("alias_of", None)
    return out


def window_commits(gitdir, window, paths):
    """The first commit of FROM..TO and every first-parent commit after it that touched paths."""
    first, last = window.split("..")
    revs = subprocess.run(["git", "--git-dir", gitdir, "rev-list", "--first-parent", f"{first}..{last}", "--"] + paths,
                          check=True, capture_output=True, text=True).stdout.split()
    full = subprocess.run(["git", "--git-dir", gitdir, "rev-parse", first, last], check=True, capture_output=True, text=True).stdout.split()
    return [full[0]] + list(reversed(revs)), full


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
        p.add_argument(f"--{e}", action="append" if e == "trtllm" else "store")
        p.add_argument(f"--{e}-version")
        p.add_argument(f"--{e}-source", action="append" if e == "trtllm" else "store",
                       help="repository@commit:path the file was read from (--trtllm: one per file)")
        p.add_argument(f"--{e}-note", default="")
        p.add_argument(f"--{e}-name", default=e, help="table file name (default: the engine)")
    p.add_argument("--vllm-frontend", help="vllm/entrypoints/openai/cli_args.py (FrontendArgs): writes <vllm-name>-frontend.json")
    p.add_argument("--vllm-frontend-source")
    p.add_argument("--vllm-git", help="a vLLM git directory: read --vllm-window from it instead of --vllm/--vllm-frontend")
    p.add_argument("--vllm-window", help="FROM..TO commits of main that hold the release's branch point")
    p.add_argument("--vllm-repo", default="vllm-project/vllm", help="repository named in the tables' source")
    p.add_argument("--sglang-git", help="an SGLang git directory: read --sglang-commit from it instead of --sglang")
    p.add_argument("--sglang-commit")
    p.add_argument("--sglang-repo", default="sgl-project/sglang")
    a = p.parse_args()
    if a.vllm_git:
        engine_path, frontend_path = "vllm/engine/arg_utils.py", "vllm/entrypoints/openai/cli_args.py"
        commits, ends = window_commits(a.vllm_git, a.vllm_window, [engine_path, frontend_path])
        engine = merge_flags(vllm_flags(git_show(a.vllm_git, c, engine_path)) for c in commits)
        frontend = merge_flags(vllm_frontend_flags(git_show(a.vllm_git, c, frontend_path)) for c in commits)
        where = f"{a.vllm_repo}@{ends[0][:12]}..{ends[1][:12]} ({len(commits)} versions)"
        write(a.out, a.vllm_name, "vllm", a.vllm_version, f"{where}:{engine_path}", engine, a.vllm_note)
        write(a.out, a.vllm_name + "-frontend", "vllm", a.vllm_version, f"{where}:{frontend_path}", frontend, a.vllm_note)
    if a.sglang_git:
        path = "python/sglang/srt/server_args.py"
        flags = sglang_flags(git_show(a.sglang_git, a.sglang_commit, path))
        write(a.out, a.sglang_name, "sglang", a.sglang_version, f"{a.sglang_repo}@{a.sglang_commit}:{path}", flags, a.sglang_note)
    if a.dynamo_git:
        for backend, paths in DYNAMO_BACKENDS.items():
            flags = {}
            for path, skip in DYNAMO_COMMON + [(x, ()) for x in paths]:
                for k, v in argparse_flags(git_show(a.dynamo_git, a.dynamo_commit, path), skip).items():
                    flags.setdefault(k, v)
            src = f"{a.dynamo_repo}@{a.dynamo_commit}:" + ",".join([x for x, _ in DYNAMO_COMMON] + paths)
            write(a.out, f"dynamo-{backend}", f"dynamo.{backend}", a.dynamo_version, src, flags)
    if a.vllm_frontend:
        with open(a.vllm_frontend) as f:
            flags = vllm_frontend_flags(f.read())
        write(a.out, a.vllm_name + "-frontend", "vllm", a.vllm_version, a.vllm_frontend_source, flags, a.vllm_note)
    if a.vllm:
        with open(a.vllm) as f:
            flags = vllm_kwargs(f.read())
        write(a.out, a.vllm_name + "-kwargs", "vllm", a.vllm_version, a.vllm_source, flags, a.vllm_note)
    if a.trtllm:
        # Several files (a window of commits) merge into one table; see trtllm_args.py.
        versions = []
        for path in a.trtllm:
            with open(path) as f:
                versions.append(trtllm_paths(f.read()))
        write(a.out, a.trtllm_name, "tensorrt_llm.TorchLlmArgs", a.trtllm_version, " + ".join(a.trtllm_source or []),
              merge_paths(versions), a.trtllm_note)
    readers = {"vllm": vllm_flags, "sglang": sglang_flags, "llamacpp": llamacpp_flags}
    for e, reader in readers.items():
        path = getattr(a, e)
        if not path:
            continue
        with open(path) as f:
            flags = reader(f.read())
        write(a.out, getattr(a, f"{e}_name"), e, getattr(a, f"{e}_version"), getattr(a, f"{e}_source"), flags, getattr(a, f"{e}_note"))


if __name__ == "__main__":
    main()
