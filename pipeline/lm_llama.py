"""Llama-architecture causal LMs in plain torch, without importing transformers.

Importing transformers costs a run with the LM check 3-7 s before the first sentence is scored
(transformers 5 imports torch.distributed, torch._dynamo and sympy at start-up: eval/startup_times.py),
most of what a one-sentence ``mtqa run`` with F4 takes.  A Llama model (SmolLM2, the default, and most
small open LMs) is a short stack of standard layers, so a model folder whose config.json describes
one of the plain variant (``model_type: llama``, SiLU, default rotary embeddings, no biases) is loaded
here from its safetensors weights and ``tokenizer.json`` (the Rust ``tokenizers`` library that
transformers itself uses), and scores the same log-probabilities as transformers' LlamaForCausalLM
(tests/test_lm.py compares the two).  Every other model goes through transformers (pipeline/lm.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The config fields this module implements; a model that sets anything else goes through transformers.
_PLAIN = {"hidden_act": "silu", "attention_bias": False, "mlp_bias": False, "pretraining_tp": 1}


def plain_llama(folder: Path) -> dict[str, Any] | None:
    """The config of a plain Llama model folder this module can run (weights as safetensors, a
    ``tokenizer.json``), or None."""
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(config, dict) or config.get("model_type") != "llama" or not (folder / "tokenizer.json").is_file():
        return None
    if any(config.get(key, default) != default for key, default in _PLAIN.items()):
        return None
    if str(config.get("dtype") or config.get("torch_dtype") or "float32") != "float32":
        return None  # bf16/fp16 weights: transformers computes in their dtype, this module in float32
    rope = config.get("rope_parameters") or config.get("rope_scaling") or {}
    if not isinstance(rope, dict) or rope.get("rope_type", rope.get("type", "default")) != "default":
        return None  # llama3/linear/dynamic rotary scaling: transformers knows them
    if not _weight_files(folder):
        return None
    return config


def _weight_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("model*.safetensors"))


@dataclass(frozen=True, slots=True)
class _Output:
    logits: Any


class LlamaModel:
    """The forward pass of LlamaForCausalLM (inference only), returning an object with ``logits``."""

    def __init__(self, config: dict[str, Any], weights: dict[str, Any]) -> None:
        import torch  # deferred: only the LM check needs it (pipeline/lm.py imports it first, with its settings)

        self.torch = torch
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.kv_heads = int(config.get("num_key_value_heads") or self.heads)
        self.head_dim = int(config.get("head_dim") or self.hidden // self.heads)
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("rms_norm_eps", 1e-6))
        rope = config.get("rope_parameters") or {}
        theta = float(rope.get("rope_theta", config.get("rope_theta", 10000.0)))
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.int64).float() / self.head_dim))
        self.w = {k: v.float() for k, v in weights.items()}
        tied = bool(config.get("tie_word_embeddings", False))
        missing = [k for k in self._expected_keys(tied) if k not in self.w]
        if missing:
            raise KeyError(f"{len(missing)} weights missing ({missing[0]} ...)")
        self.embed = self.w["model.embed_tokens.weight"]
        self.head = self.embed if tied else self.w["lm_head.weight"]
        self.device = torch.device("cpu")

    def _expected_keys(self, tied: bool) -> list[str]:
        keys = ["model.embed_tokens.weight", "model.norm.weight"] + ([] if tied else ["lm_head.weight"])
        for i in range(self.layers):
            p = f"model.layers.{i}."
            keys += [p + f"self_attn.{n}_proj.weight" for n in "qkvo"] + [p + f"mlp.{n}_proj.weight" for n in ("gate", "up", "down")]
            keys += [p + "input_layernorm.weight", p + "post_attention_layernorm.weight"]
        return keys

    def _norm(self, x: Any, weight: Any) -> Any:
        torch = self.torch
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def _rotate_half(self, x: Any) -> Any:
        half = x.shape[-1] // 2
        return self.torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def __call__(self, input_ids: Any, attention_mask: Any = None) -> _Output:
        """Logits for every position.  Padding is on the right, where causal attention never looks
        from a real token, so ``attention_mask`` changes no real token's logits and is not needed."""
        torch = self.torch
        functional = torch.nn.functional
        batch, length = input_ids.shape
        h = functional.embedding(input_ids, self.embed)
        positions = torch.arange(length, dtype=torch.float32)
        freqs = positions[:, None] * self.inv_freq[None, :]
        angles = torch.cat((freqs, freqs), dim=-1)
        cos, sin = angles.cos()[None, None], angles.sin()[None, None]
        repeat = self.heads // self.kv_heads
        w = self.w
        for i in range(self.layers):
            p = f"model.layers.{i}."
            x = self._norm(h, w[p + "input_layernorm.weight"])
            q = functional.linear(x, w[p + "self_attn.q_proj.weight"]).view(batch, length, self.heads, self.head_dim).transpose(1, 2)
            k = functional.linear(x, w[p + "self_attn.k_proj.weight"]).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
            v = functional.linear(x, w[p + "self_attn.v_proj.weight"]).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self._rotate_half(q) * sin
            k = k * cos + self._rotate_half(k) * sin
            if repeat > 1:
                k, v = k.repeat_interleave(repeat, dim=1), v.repeat_interleave(repeat, dim=1)
            attended = functional.scaled_dot_product_attention(q, k, v, is_causal=True)
            h = h + functional.linear(attended.transpose(1, 2).reshape(batch, length, self.heads * self.head_dim), w[p + "self_attn.o_proj.weight"])
            x = self._norm(h, w[p + "post_attention_layernorm.weight"])
            gated = functional.silu(functional.linear(x, w[p + "mlp.gate_proj.weight"])) * functional.linear(x, w[p + "mlp.up_proj.weight"])
            h = h + functional.linear(gated, w[p + "mlp.down_proj.weight"])
        return _Output(functional.linear(self._norm(h, w["model.norm.weight"]), self.head))


class RustTokenizer:
    """The part of a transformers fast tokenizer that :class:`pipeline.lm.CausalLM` uses, over the
    model's ``tokenizer.json`` read by the ``tokenizers`` library (the fast tokenizers' own engine)."""

    is_fast = True

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer  # deferred: only the LM check needs it

        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok.no_truncation()
        self._tok.no_padding()
        try:
            special = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            special = {}
        self.bos_token_id = self._id(special.get("bos_token"))
        self.eos_token_id = self._id(special.get("eos_token"))
        self.pad_token_id = self._id(special.get("pad_token"))

    def _id(self, token: Any) -> int | None:
        if isinstance(token, dict):  # {"content": "<|im_start|>", ...} in older files
            token = token.get("content")
        return self._tok.token_to_id(token) if isinstance(token, str) else None

    def __call__(self, texts: list[str], add_special_tokens: bool = False, return_offsets_mapping: bool = True, truncation: bool = True, max_length: int = 0) -> dict[str, list[Any]]:
        encodings = self._tok.encode_batch(texts, add_special_tokens=add_special_tokens)
        cut = max_length if truncation and max_length > 0 else None
        return {"input_ids": [e.ids[:cut] for e in encodings], "offset_mapping": [e.offsets[:cut] for e in encodings]}

    def convert_ids_to_tokens(self, ids: list[int]) -> list[str]:
        return [self._tok.id_to_token(i) or "" for i in ids]

    def get_vocab(self) -> dict[str, int]:
        return dict(self._tok.get_vocab(with_added_tokens=True))


def load_plain_llama(folder: Path, config: dict[str, Any]) -> tuple[LlamaModel, RustTokenizer]:
    """The model and tokenizer of a folder :func:`plain_llama` accepted (KeyError: weights missing)."""
    from safetensors.torch import load_file  # deferred: only the LM check needs it

    weights: dict[str, Any] = {}
    for path in _weight_files(folder):
        weights.update(load_file(str(path)))
    return LlamaModel(config, weights), RustTokenizer(folder)
