"""The sketch of an article's body that finds its copies: word shingles, a MinHash, LSH band keys, a b-bit signature.

What it is for
    `Sketcher.sketch` turns the cleaned body (dateline, captions, credits, Baca Juga lines and
    boilerplate already removed by the earlier pipelines) into a `Sketch`: the MinHash of its
    word 3-shingles (datasketch's ``affine32`` scheme), the short keys of its LSH bands (where the
    store looks for candidate stories), and the low bit of each MinHash value (the signature a
    candidate is checked against: datasketch's ``bBitMinHash`` estimator). `Sketcher.similarity`
    compares two signatures.

    A store keeps only the band keys (4 bytes each, 2 of them stored) and the signature (16 bytes)
    of the first article of each story, never the text or the whole MinHash (512 bytes).

    The sketch is the one datasketch would make, computed directly (about a third of the cost):
    `tokens` splits the body with a byte table instead of a regular expression (the same words as
    `words`), the MinHash is datasketch's permutations (drawn from the seed as datasketch draws
    them) applied in numpy to the whole array of shingle hashes, and `similarity` looks the
    estimate up by the number of equal signature bits (datasketch's b-bit estimator, r = 0).
    datasketch itself is not imported here: its package imports scipy (for LSH parameters never
    used here), which cost every crawl 0.3 s of start-up and 63 MB of memory. tests/test_sketches.py
    checks the permutations, the MinHash and the estimate against datasketch (a dev dependency,
    pinned) and the stored sketches of a fixed corpus, so stored sketches never follow a library's
    change silently.

What it must never do
    Import Scrapy or a store, read the clock, or change with the process: every hash here is stable
    across processes, machines and Python versions (no ``hash()``), because stores outlive crawls.
    Changing a parameter makes stored sketches unreadable: `SketchParams.layout` names them, and a
    store refuses a layout it was not built with.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Final

import numpy as np

WORD: Final = re.compile(r"\w+")
_NOT_WORD: Final = re.compile(r"\W")
# Each byte of the lower-cased UTF-8 body as `tokens` splits it: an ASCII character that is not a
# word character becomes a space; letters, digits, "_" and every byte of a character beyond ASCII stay.
_SPACES: Final = bytes(c if c >= 0x80 or WORD.fullmatch(chr(c)) else 0x20 for c in range(256))
_ASCII: Final = bytes(range(0x80))
# An odd 64-bit multiplier that mixes the word hashes of a shingle into one value (a polynomial hash).
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)
_GOLDEN: Final = 0x9E3779B97F4A7C15
_MASK64: Final = (1 << 64) - 1
_SCHEME: Final = "affine32"
_EMPTY: Final = 0xFFFFFFFF  # datasketch's MinHash value before any update (affine32)
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
    """An article body's sketch: its MinHash values, LSH band keys and b-bit signature."""

    words: int
    values: np.ndarray  # the MinHash (uint32, one value per permutation), as datasketch's ``hashvalues``
    band_keys: tuple[bytes, ...]
    signature: bytes


def words(body: str) -> list[str]:
    """The body's words, lower-cased (letters and digits; punctuation and spacing ignored)."""
    return WORD.findall(body.lower())


def tokens(body: str) -> list[bytes]:
    """The UTF-8 bytes of each of the body's `words`, found by a byte table rather than a regular expression."""
    raw = body.lower().encode("utf-8", "surrogatepass")
    if not raw.isascii():
        # The characters beyond ASCII that are not word characters (quotes, dashes, spaces) become spaces.
        beyond = raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        for char in set(_NOT_WORD.findall(beyond)):
            raw = raw.replace(char.encode("utf-8", "surrogatepass"), b" ")
    return raw.translate(_SPACES).split()


class Sketcher:
    """Sketches bodies with one set of parameters (the permutations are drawn once)."""

    def __init__(self, params: SketchParams | None = None) -> None:
        self.params = params or SketchParams()
        p = self.params
        # A column each, to multiply a row of hashes.
        self.permutations = permutations(p.num_perm, p.seed)
        a, b = self.permutations
        self._a, self._b = a.reshape(-1, 1), b.reshape(-1, 1)
        self._empty = np.full(p.num_perm, _EMPTY, dtype=np.uint32)
        self._empty.flags.writeable = False  # the values of every empty body
        self._band_seeds = [band * _GOLDEN & _MASK64 for band in range(1, p.bands + 1)]
        self._shifts = np.arange(p.bits, dtype=np.uint32)
        self._estimates = self._bbit_estimates()
        # The first signature bit of each MinHash value, in `similarity`'s big integers.
        size = p.signature_size * 8
        self._firsts = sum(1 << (size - 1 - i * p.bits) for i in range(p.num_perm))

    def shingles(self, tokens: list[bytes]) -> np.ndarray:
        """The 32-bit hashes of the body's word shingles, repeats included (one shingle if it is shorter)."""
        hashes = np.fromiter(map(zlib.crc32, tokens), dtype=np.uint64, count=len(tokens))
        k = min(self.params.shingle, len(hashes))
        n = len(hashes) - k + 1
        mixed = hashes[:n]
        for i in range(1, k):
            mixed = mixed * _MIX + hashes[i:n + i]
        hashes32: np.ndarray = (mixed >> np.uint64(32)).astype(np.uint32)
        return hashes32

    def minhash(self, shingles: np.ndarray) -> np.ndarray:
        """The MinHash values of `shingles`: what datasketch's affine32 ``update_batch`` gives (``hashfunc=int``)."""
        if not len(shingles):
            return self._empty
        permuted = self._a * _fmix32(shingles)  # one row per permutation: a * h + b, wrapping at 2**32
        permuted += self._b
        values: np.ndarray = permuted.min(axis=1)
        return values

    def sketch(self, body: str) -> Sketch:
        """The sketch of a cleaned body."""
        found = tokens(body)
        values = self.minhash(self.shingles(found)) if found else self._empty
        return Sketch(len(found), values, self._band_keys(values), self._pack(values))

    def _band_keys(self, values: np.ndarray) -> tuple[bytes, ...]:
        """The store key of each band: its number and values mixed into 64 bits (splitmix64), the top 32 kept."""
        rows = self.params.rows
        head = values[: len(self._band_seeds) * rows].tolist()
        keys = []
        for band, seed in enumerate(self._band_seeds):
            mixed = seed
            for value in head[band * rows:band * rows + rows]:
                mixed = _splitmix(mixed ^ value)
            keys.append((mixed >> 32).to_bytes(BAND_KEY_SIZE, "big"))
        return tuple(keys)

    def _pack(self, values: np.ndarray) -> bytes:
        low = (values[:, None] >> self._shifts) & np.uint32(1)
        return np.packbits(low.astype(np.uint8).ravel()).tobytes()

    def _bbit_estimates(self) -> tuple[float, ...]:
        """The b-bit estimate for each number of equal values: datasketch's ``bBitMinHash.jaccard`` with r = 0.

        A pair of values agrees on `bits` low bits by chance with probability A = 2**-bits; the
        share of equal values, less that chance, over 1 - A estimates the Jaccard similarity.
        """
        n = self.params.num_perm
        chance = 1.0 / (1 << self.params.bits)
        return tuple((equal / n - chance) / (1 - chance) for equal in range(n + 1))

    def similarity(self, a: bytes, b: bytes) -> float:
        """The Jaccard similarity of two bodies' shingle sets, estimated from their signatures."""
        differ = folded = int.from_bytes(a, "big") ^ int.from_bytes(b, "big")
        for shift in range(1, self.params.bits):
            folded |= differ << shift  # a value differs when any of its bits does: fold them onto its first
        return self._estimates[self.params.num_perm - (folded & self._firsts).bit_count()]


def permutations(num_perm: int, seed: int) -> np.ndarray:
    """The affine32 permutations (a, b) datasketch's ``MinHash(num_perm, seed, scheme="affine32")`` draws.

    Drawn from NumPy's legacy ``RandomState(seed)`` (whose stream NumPy keeps stable): an odd `a`
    (a bijection modulo 2**32), then `b`, each `num_perm` values.
    """
    gen = np.random.RandomState(seed)  # the legacy stream datasketch draws from, kept stable
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return np.array([a, b])


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch premixes every input of the affine schemes."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = h ^ (h >> np.uint32(16))
    return mixed


def _splitmix(x: int) -> int:
    """SplitMix64's finalizer on a 64-bit value: every input bit reaches every output bit."""
    x = (x + _GOLDEN) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)
