#!/usr/bin/env python3
"""Unit tests of trtllm_args.py (run: python3 tools/engineflags/trtllm_args_test.py)."""

import unittest

from trtllm_args import merge_paths, trtllm_paths

NEWER = '''
Mode = Literal["a", "b"]

class Policy(StrEnum):
    FCFS = "fcfs"
    PRIORITY = "priority"

class Inner(StrictBaseModel):
    x: Optional[PositiveInt] = Field(default=None)
    mode: Mode = "a"

class Sched(StrictBaseModel):
    policy: Policy = Field(default=Policy.FCFS)

class BaseLlmArgs(StrictBaseModel):
    model_config = ConfigDict(extra="forbid")
    model: Union[str, Path] = Field()
    inner: Inner = Field(default_factory=Inner)
    sched: Optional[Sched] = None
    lora_config: Optional[LoraConfig] = None
    spec: Optional[Union[Inner, Sched]] = None
    windows: Optional[List[int]] = None
    _private: int = PrivateAttr(default=0)
    flag: ClassVar[bool] = True

class TorchLlmArgs(BaseLlmArgs):
    backend: Literal["pytorch"] = "pytorch"
    both: bool | Literal["auto"] = "auto"

_TORCH_LLMARGS_REMOVED_ARG_CHECKS = {"old_arg": check}
'''

OLDER = '''
class Inner(StrictBaseModel):
    x: Optional[int] = None
    y: float = 0.5

class BaseLlmArgs(StrictBaseModel):
    model: str = Field()
    inner: Inner = Field(default_factory=Inner)
    sched: Optional[SchedulerConfig] = None

class TorchLlmArgs(BaseLlmArgs):
    backend: str = "pytorch"
'''


class TrtllmArgsTest(unittest.TestCase):
    def test_paths(self):
        p = trtllm_paths(NEWER)
        self.assertEqual(p["inner"], {"kind": "json", "closed": True})
        self.assertEqual(p["inner.x"], {"kind": "int"})
        self.assertEqual(p["inner.mode"], {"kind": "choice", "choices": ["a", "b"]})
        self.assertEqual(p["sched.policy"], {"kind": "choice", "choices": ["fcfs", "priority"]})
        self.assertEqual(p["lora_config"], {"kind": "json"})  # imported: open
        self.assertEqual(p["spec"], {"kind": "json"})  # a union of models: open
        self.assertEqual(p["windows"], {"kind": "list"})
        self.assertEqual(p["model"], {"kind": "string"})
        self.assertEqual(p["backend"], {"kind": "choice", "choices": ["pytorch"]})  # subclass wins
        self.assertEqual(p["both"], {"kind": "any"})
        self.assertEqual(p["old_arg"], {"kind": "any"})
        for gone in ("_private", "flag", "model_config"):
            self.assertNotIn(gone, p)

    def test_merge(self):
        m = merge_paths([trtllm_paths(OLDER), trtllm_paths(NEWER)])
        self.assertTrue(m["inner"].get("closed"))  # closed in both
        self.assertIn("inner.y", m)  # only the older has it: still listed
        self.assertIn("inner.mode", m)
        self.assertNotIn("closed", m["sched"])  # open in the older commit
        self.assertEqual(m["backend"], {"kind": "any"})  # str vs Literal
        self.assertNotIn("closed", merge_paths([trtllm_paths(NEWER), {"model": {"kind": "string"}}])["inner"])


if __name__ == "__main__":
    unittest.main()
