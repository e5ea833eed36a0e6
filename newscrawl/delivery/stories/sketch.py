"""The sketch of an article's body that finds its copies: word shingles, a MinHash, LSH band keys, a b-bit signature.

What it is for
    `Sketcher.sketch` turns the cleaned body (dateline, captions, credits, Baca Juga lines and
    boilerplate already removed by the earlier pipelines) into a `Sketch`: the MinHash of its
    word 3-shingles (datasketch's ``MinHash``, affine32 scheme), the short keys of its LSH bands
    (where the store looks for candidate stories), and the low bit of each MinHash value (the
    signature a candidate is checked against: datasketch's ``bBitMinHash`` estimates the Jaccard
    similarity from it). `Sketcher.similarity` compares two signatures.

    A store keeps only the band keys (4 bytes each, 2 of them stored) and the signature (16 bytes)
    of the first article of each story, never the text or the whole MinHash (512 bytes).

What it must never do
    Import Scrapy or a store, read the clock, or change with the process: every hash here is stable
    across processes, machines and Python versions (no ``hash()``), because stores outlive crawls.
    Changing a parameter makes stored sketches unreadable: `SketchParams.layout` names them, and a
    store refuses a layout it was not built with.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from typing import Final

import numpy as np
from datasketch import MinHash, MinHashLSH, bBitMinHash

WORD: Final = re.compile(r"\w+")
# Odd 64-bit multipliers that mix the word hashes of a shingle into one value (a polynomial hash).
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)
_SCHEME: Final = "affine32"
BAND_KEY_SIZE: Final = 4


@dataclass(frozen=True, slots=True)
class SketchParams:
    """How bodies are sketched; chosen on data (README, "The same story on many portals")."""

    shingle: int = 3  # words per shingle
    num_perm: int = 128  # MinHash permutations
    bands: int = 10  # LSH bands ...
    rows: int = 2  # ... of this many MinHash values each (the first bands * rows values)
    bits: int = 1  # signature bits kept per MinHash value (b-bit MinHash)
    seed: int = 1

    @property
    def layout(self) -> str:
        """The name of what a store holds for these parameters."""
        return (
            f"k{self.shingle}-p{self.num_perm}-b{self.bands}r{self.rows}-splitmix{BAND_KEY_SIZE}-x{self.bits}"
            f"-s{self.seed}-{_SCHEME}"
        )

    @property
    def signature_size(self) -> int:
        """Bytes of a signature."""
        return (self.num_perm * self.bits + 7) // 8


@dataclass(frozen=True, slots=True)
class Sketch:
    """An article body's sketch: its MinHash, LSH band keys and b-bit signature."""

    words: int
    minhash: MinHash
    band_keys: tuple[bytes, ...]
    signature: bytes


def words(body: str) -> list[str]:
    """The body's words, lower-cased (letters and digits; punctuation and spacing ignored)."""
    return WORD.findall(body.lower())


class Sketcher:
    """Sketches bodies with one set of parameters (the permutations are drawn once)."""

    def __init__(self, params: SketchParams | None = None) -> None:
        self.params = params or SketchParams()
        p = self.params
        self.permutations = MinHash(num_perm=p.num_perm, seed=p.seed, scheme=_SCHEME).permutations
        self._shifts = np.arange(p.bits, dtype=np.uint32)
        # The signatures compared lately (an article's own, and popular stories'), read once each.
        self.signature_minhash = functools.lru_cache(maxsize=4096)(self._signature_minhash)

    def new_index(self) -> MinHashLSH:
        """An empty in-memory LSH index (datasketch) over the same bands as `Sketch.band_keys`."""
        p = self.params
        return MinHashLSH(num_perm=p.num_perm, params=(p.bands, p.rows))

    def shingles(self, tokens: list[str]) -> np.ndarray:
        """The 32-bit hashes of the body's word shingles, repeats included (one shingle if it is shorter)."""
        k = self.params.shingle
        hashes = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint64, count=len(tokens))
        k = min(k, len(hashes))
        n = len(hashes) - k + 1
        mixed = hashes[:n].copy()
        for i in range(1, k):
            mixed = mixed * _MIX + hashes[i:n + i]
        hashes32: np.ndarray = (mixed >> np.uint64(32)).astype(np.uint32)
        return hashes32

    def sketch(self, body: str) -> Sketch:
        """The sketch of a cleaned body."""
        tokens = words(body)
        minhash = MinHash(
            num_perm=self.params.num_perm, seed=self.params.seed, hashfunc=int,
            permutations=self.permutations, scheme=_SCHEME,
        )
        if tokens:
            minhash.update_batch(self.shingles(tokens).tolist())
        values = minhash.hashvalues
        return Sketch(len(tokens), minhash, self._band_keys(values), self._pack(values))

    def _band_keys(self, values: np.ndarray) -> tuple[bytes, ...]:
        """The store key of each band: its number and values mixed into 64 bits (splitmix64), the top 32 kept."""
        p = self.params
        rows = values[: p.bands * p.rows].astype(np.uint64).reshape(p.bands, p.rows)
        mixed = np.arange(1, p.bands + 1, dtype=np.uint64) * _GOLDEN
        for column in rows.T:
            mixed = _splitmix(mixed ^ column)
        raw = (mixed >> np.uint64(32)).astype(">u4").tobytes()
        return tuple(raw[i:i + BAND_KEY_SIZE] for i in range(0, len(raw), BAND_KEY_SIZE))

    def _pack(self, values: np.ndarray) -> bytes:
        low = (values[:, None] >> self._shifts) & np.uint32(1)
        return np.packbits(low.astype(np.uint8).ravel()).tobytes()

    def _unpack(self, signature: bytes) -> np.ndarray:
        p = self.params
        bits = np.unpackbits(np.frombuffer(signature, dtype=np.uint8))[: p.num_perm * p.bits]
        values: np.ndarray = (bits.reshape(p.num_perm, p.bits).astype(np.uint32) << self._shifts).sum(
            axis=1, dtype=np.uint32,
        )
        return values

    def _signature_minhash(self, signature: bytes) -> bBitMinHash:
        """A stored signature as datasketch's b-bit MinHash."""
        values = self._unpack(signature)
        whole = MinHash(seed=self.params.seed, hashvalues=values, permutations=self.permutations, scheme=_SCHEME)
        return bBitMinHash(whole, b=self.params.bits)

    def similarity(self, a: bytes, b: bytes) -> float:
        """The Jaccard similarity of two bodies' shingle sets, estimated from their signatures."""
        return float(self.signature_minhash(a).jaccard(self.signature_minhash(b)))


def _splitmix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer: every input bit reaches every output bit (wrapping uint64 arithmetic)."""
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed
