"""TensorRT-LLM's LLM arguments as dotted paths, read from tensorrt_llm/llmapi/llm_args.py.

dynamo.trtllm (Dynamo >= 1.4, components/src/dynamo/trtllm/dynamic_flags.py) turns every
`--trtllm.a.b <value>` into {"a": {"b": value}} and deep-merges it into the keyword
arguments of tensorrt_llm.LLM, whose PyTorch backend validates them as TorchLlmArgs: a
pydantic model with extra="forbid", nested config models (KvCacheConfig, ...) likewise. So
the valid paths are the fields of TorchLlmArgs (and its base BaseLlmArgs) and, below a
field typed as one config model, that model's fields.

The reader is `ast` only (nothing imported). It takes whole llm_args.py files or excerpts
of them (the class and field statements): every class body's annotated fields, with
inheritance from classes in the same file, StrEnum members as choices and module-level
Literal/Union aliases. A field typed as exactly one config class found in the file is
"closed": its sub-fields are listed and nothing else exists below it. A config type the file
does not define (imported, or a union of several models) is listed as json, not closed: the
paths below it are not known here.
"""

import ast
import re

SCALARS = {
    "bool": "bool", "StrictBool": "bool",
    "int": "int", "PositiveInt": "int", "NonNegativeInt": "int", "StrictInt": "int",
    "_StrictPositiveInt": "int", "_StrictNonNegativeInt": "int",
    "float": "float", "PositiveFloat": "float", "NonNegativeFloat": "float",
    "str": "string", "Path": "string",
}
LISTS = {"list", "List", "Set", "set", "tuple", "Tuple"}
DICTS = {"dict", "Dict", "Mapping", "defaultdict"}
ROOT = "TorchLlmArgs"


def _split(src, sep):
    out, depth, cur = [], 0, ""
    for ch in src:
        depth += ch in "[("
        depth -= ch in "])"
        if ch == sep and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return [x for x in out if x]


def _members(src, aliases, seen=()):
    """The union members of an annotation, with Optional/Union/Annotated/aliases unwrapped."""
    src = src.strip()
    for wrapper in ("Optional[", "Union[", "Annotated["):
        if src.startswith(wrapper) and src.endswith("]"):
            inner = _split(src[len(wrapper):-1], ",")
            if wrapper == "Annotated[":
                inner = inner[:1]
            out = [m for part in inner for m in _members(part, aliases, seen)]
            return out + (["None"] if wrapper == "Optional[" else [])
    parts = _split(src, "|")
    if len(parts) > 1:
        return [m for p in parts for m in _members(p, aliases, seen)]
    if src in aliases and src not in seen:
        return _members(aliases[src], aliases, seen + (src,))
    return [src]


def _head(member):
    return member.split("[", 1)[0].strip()


class Module:
    def __init__(self, source):
        tree = ast.parse(source)
        self.aliases, self.classes, self.enums, self.removed = {}, {}, {}, []
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if not isinstance(target, ast.Name) or node.value is None:
                    continue
                if target.id == "_TORCH_LLMARGS_REMOVED_ARG_CHECKS" and isinstance(node.value, ast.Dict):
                    # Removed arguments TorchLlmArgs still accepts (and drops, or refuses
                    # by value) for integrations pinned to older releases.
                    self.removed = [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
                elif isinstance(node.value, ast.Subscript):
                    self.aliases[target.id] = ast.unparse(node.value)
            elif isinstance(node, ast.ClassDef):
                bases = [ast.unparse(b) for b in node.bases]
                if any(b.endswith("Enum") for b in bases):
                    self.enums[node.name] = [
                        s.value.value for s in node.body
                        if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)]
                    continue
                fields = {}
                for item in node.body:
                    if not (isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)):
                        continue
                    name, ann = item.target.id, ast.unparse(item.annotation)
                    value = ast.unparse(item.value) if item.value is not None else ""
                    if name.startswith("_") or name == "model_config" or "ClassVar" in ann or value.startswith("PrivateAttr"):
                        continue
                    fields[name] = ann
                self.classes[node.name] = (bases, fields)

    def fields(self, cls):
        """Fields of cls with those of its bases in the same file (a subclass's own win)."""
        bases, own = self.classes[cls]
        out = {}
        for b in bases:
            if b in self.classes:
                out.update(self.fields(b))
        out.update(own)
        return out

    def kind(self, ann):
        """(entry, nested class or None) for one field annotation."""
        members = _members(ann, self.aliases)
        heads = {_head(m) for m in members} - {"None"}
        classes = [h for h in heads if h in self.classes]
        if len(heads) == 1 and classes:
            return {"kind": "json", "closed": True}, classes[0]
        if any(h.endswith("Config") or h.endswith("ConfigType") or h in self.classes for h in heads):
            return {"kind": "json"}, None  # imported or a union of models: sub-paths unknown here
        kinds, choices = set(), set()
        for m in members:
            h = _head(m)
            if h == "None":
                continue
            if h == "Literal":
                kinds.add("choice")
                choices |= set(re.findall(r"['\"]([^'\"]+)['\"]", m))
            elif h in self.enums:
                kinds.add("choice")
                choices |= set(self.enums[h])
            elif h in SCALARS:
                kinds.add(SCALARS[h])
            elif h in LISTS:
                kinds.add("list")
            elif h in DICTS:
                kinds.add("json")
            else:
                kinds.add("any")  # object, a tokenizer instance, an enum read elsewhere, ...
        if kinds == {"choice"}:
            return {"kind": "choice", "choices": sorted(choices)}, None
        if len(kinds) == 1:
            return {"kind": kinds.pop()}, None
        if "string" in kinds and kinds <= {"string", "choice"}:
            return {"kind": "string"}, None
        return {"kind": "any"}, None

    def paths(self, cls=ROOT, prefix="", depth=0):
        if cls not in self.classes:
            raise SystemExit(f"trtllm: no class {cls} in the given llm_args.py")
        out = {}
        for name, ann in self.fields(cls).items():
            entry, nested = self.kind(ann)
            out[prefix + name] = entry
            if nested and depth < 4:
                out.update(self.paths(nested, prefix + name + ".", depth + 1))
        if cls == ROOT:
            for name in self.removed:
                out.setdefault(name, {"kind": "any"})
        return out


def trtllm_paths(source):
    return Module(source).paths()


def merge_paths(versions):
    """One table for several commits (a window): every path any commit has; a kind that
    differs becomes "any"; a config field is closed only when it is closed in every commit
    (so its sub-fields are known in each, and a sub-path outside them is in none)."""
    out, seen = {}, {}
    for paths in versions:
        for name, entry in paths.items():
            seen[name] = seen.get(name, 0) + 1
            cur = out.get(name)
            if cur is None:
                out[name] = dict(entry)
            elif cur["kind"] != entry["kind"]:
                out[name] = {"kind": "any"}
            elif cur["kind"] == "choice":
                cur["choices"] = sorted(set(cur["choices"]) | set(entry["choices"]))
            if not entry.get("closed"):
                out[name].pop("closed", None)
    for name, entry in out.items():
        if seen[name] < len(versions):
            entry.pop("closed", None)
    return out
