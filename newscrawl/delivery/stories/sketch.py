"""The sketch of an article's body that finds its copies: word shingles, a MinHash, LSH band keys, a b-bit signature.

What it is for
    `Sketcher.sketch` turns the cleaned body (dateline, captions, credits, Baca Juga lines and
    boilerplate already removed by the earlier pipelines) into a `Sketch`: the MinHash of its
    word 3-shingles (datasketch's ``MinHash``, affine32 scheme), the short keys of its LSH bands
    (where the store looks for candidate stories), and the low bit of each MinHash value (the
    signature a candidate is checked against: datasketch's ``bBitMinHash`` estimates the Jaccard
    similarity from it). `Sketcher.similarity` compares two signatures.

    A store keeps only the band keys (5 bytes each) and the signature (16 bytes) of the first
    article of each story, never the text or the whole MinHash (512 bytes).

What it must never do
    Import Scrapy or a store, read the clock, or change with the process: every hash here is stable
    across processes, machines and Python versions (no ``hash()``), because stores outlive crawls.
    Changing a parameter makes stored sketches unreadable: `SketchParams.layout` names them, and a
    store refuses a layout it was not built with.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from typing import Final

import numpy as np
from datasketch import MinHash, MinHashLSH, bBitMinHash

WORD: Final = re.compile(r"\w+")
# Odd 64-bit multipliers that mix the word hashes of a shingle into one value (a polynomial hash).
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_SCHEME: Final = "affine32"
BAND_KEY_SIZE: Final = 5


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
        return f"k{self.shingle}-p{self.num_perm}-b{self.bands}r{self.rows}-x{self.bits}-s{self.seed}-{_SCHEME}"

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
        self._ranges = [(i * p.rows, (i + 1) * p.rows) for i in range(p.bands)]
        self._shifts = np.arange(p.bits, dtype=np.uint32)

    def new_index(self) -> MinHashLSH:
        """An empty in-memory LSH index (datasketch) over the same bands as `Sketch.band_keys`."""
        p = self.params
        return MinHashLSH(num_perm=p.num_perm, params=(p.bands, p.rows), hashfunc=_band_digest)

    def shingles(self, tokens: list[str]) -> np.ndarray:
        """The distinct 32-bit hashes of the body's word shingles (one shingle if it is shorter)."""
        k = self.params.shingle
        hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in tokens), dtype=np.uint64, count=len(tokens))
        k = min(k, len(hashes))
        n = len(hashes) - k + 1
        mixed = hashes[:n].copy()
        for i in range(1, k):
            mixed = mixed * _MIX + hashes[i:n + i]
        return np.unique((mixed >> np.uint64(32)).astype(np.uint32))

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
        keys = tuple(
            _band_key(i, values[start:end]) for i, (start, end) in enumerate(self._ranges)
        )
        return Sketch(len(tokens), minhash, keys, self._pack(values))

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

    def signature_minhash(self, signature: bytes) -> bBitMinHash:
        """A stored signature as datasketch's b-bit MinHash."""
        values = self._unpack(signature)
        whole = MinHash(seed=self.params.seed, hashvalues=values, permutations=self.permutations, scheme=_SCHEME)
        return bBitMinHash(whole, b=self.params.bits)

    def similarity(self, a: bytes, b: bytes) -> float:
        """The Jaccard similarity of two bodies' shingle sets, estimated from their signatures."""
        return float(self.signature_minhash(a).jaccard(self.signature_minhash(b)))


def _band_digest(data: bytes) -> bytes:
    """The short digest of one band's values (datasketch's ``hashfunc`` for the in-memory index)."""
    return hashlib.blake2b(data, digest_size=BAND_KEY_SIZE).digest()


def _band_key(band: int, values: np.ndarray) -> bytes:
    """The store key of band `band`: a digest of the band number and its values (big-endian)."""
    data = bytes((band,)) + values.astype(">u4").tobytes()
    return hashlib.blake2b(data, digest_size=BAND_KEY_SIZE, person=b"newscrawl-band").digest()
