"""The print pages' QR codes, drawn faster than segno alone, symbol for symbol as segno.

segno (pure Python) spent about 1.7 ms on a print page's code, a thousand
print pages per language at 2,000 listings: it works bit by bit (the
codewords and their error correction as lists of bits, each bit placed and
masked module by module), then writes the SVG through its general writer.
Here segno still decides the symbol — the segments, the version, the error
level it raises, the data codewords — through its encoder's own functions, in
the order of its ``encoder._encode``; the error correction is computed a
codeword at a time, and the places of the bits and the modules the fixed
mask (render.QR_MASK) flips are worked out once per version. segno is pinned
in requirements.lock; tests/test_qr_code.py compares every module and the SVG
with ``segno.make`` and reads the codes back, so a new segno is checked.

A Micro QR code (a URL of a few characters) is left to segno as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

import segno
from segno import consts
from segno import encoder as _encoder

ERROR = "m"  # at least M; segno raises it when that costs no size


def qr_matrix(url: str, mask: int) -> tuple[bytearray, ...]:
    """The modules of segno's ``make(url, error="m", mask=mask)``: 1 dark, 0 light."""
    segments = _encoder.prepare_data(url, None, None)
    error = _encoder.normalize_errorlevel(ERROR)
    version = _encoder.find_version(segments, error, eci=False, micro=None)
    if version < 1:  # Micro QR: rare (a URL of a few characters), segno's own way
        return segno.make(url, error=ERROR, mask=mask).matrix
    error = _encoder.boost_error_level(version, error, segments, False)
    bits = _codewords(segments, version, error)
    layout = _layout(version, error, mask)
    matrix = [bytearray(row) for row in layout.start]
    for (i, j), bit in zip(layout.places, bits):
        matrix[i][j] = bit
    for i, j in layout.flips:
        matrix[i][j] ^= 1
    for i, j, value in layout.fixed:
        matrix[i][j] = value
    return tuple(matrix)


def qr_svg_markup(matrix: tuple[bytearray, ...], scale: int, border: int, svgclass: str, dark: str) -> str:
    """The SVG segno's ``svg_inline(scale=…, border=…, svgclass=…, lineclass=None,
    dark=…, omitsize=True)`` writes for ``matrix``: one path of horizontal runs."""
    size = (len(matrix) + 2 * border) * scale
    parts = []
    x0 = y0 = 0
    for row, x1, x2 in _dark_runs(matrix, border):
        y = border + 0.5 + row
        dy = y - y0
        parts.append(f"{'m' if parts else 'M'}{x1 - x0} {int(dy) if int(dy) == dy else dy}h{x2 - x1}")
        x0, y0 = x2, y
    return (f'<svg viewBox="0 0 {size} {size}" class="{svgclass}"><path transform="scale({scale})" '
            f'stroke="{dark}" d="{"".join(parts)}"/></svg>')


def _dark_runs(matrix, x):
    """segno.utils.matrix_to_lines, as (row, x1, x2) per run of dark (non-zero)
    modules, quirk included: a light first module yields an empty run."""
    if not matrix[0][0]:
        yield 0, x, x
    for index, row in enumerate(matrix):
        for run in _DARK.finditer(row):
            yield index, x + run.start(), x + run.end()


_DARK = re.compile(rb"[^\x00]+")


def _codewords(segments, version: int, error: int) -> bytes:
    """The final message's bits (0 or 1 each), as segno's ``encoder._encode`` makes
    them: segno writes the data codewords; the blocks, their error correction
    and the interleaving are those of its ``make_final_message``, a codeword at
    a time instead of a bit at a time."""
    buff = _encoder.Buffer()
    ver_range = _encoder.version_range(version)
    for segment in segments:
        _encoder.write_segment(buff, segment, None, ver_range, False)
    capacity = consts.SYMBOL_CAPACITY[version][error]
    _encoder.write_terminator(buff, capacity, None, len(buff))
    _encoder.write_padding_bits(buff, version, len(buff))
    _encoder.write_pad_codewords(buff, version, capacity, len(buff))
    bits = bytes(buff.getbits())
    bits += bytes(-len(bits) % 8)
    data = int(bits.translate(_DIGITS), 2).to_bytes(len(bits) // 8, "big")
    data_blocks, error_blocks, at = [], [], 0
    for info in consts.ECC[version][error]:
        for _ in range(info.num_blocks):
            block = data[at:at + info.num_data]
            at += info.num_data
            data_blocks.append(block)
            error_blocks.append(_error_words(block, info.num_total - info.num_data))
    message = _interleave(data_blocks) + _interleave(error_blocks)
    text = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b").encode("ascii")
    return text.translate(_BITS) + bytes(_REMAINDER_BITS.get(version, 0))


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_BITS = bytes.maketrans(b"01", b"\x00\x01")
# ISO/IEC 18004 7.6: remainder bits after the last codeword (segno's make_final_message).
_REMAINDER_BITS = {**dict.fromkeys((2, 3, 4, 5, 6), 7), **dict.fromkeys((14, 15, 16, 17, 18, 19, 20, 28, 29, 30, 31, 32, 33, 34), 3),
                   **dict.fromkeys((21, 22, 23, 24, 25, 26, 27), 4)}


def _interleave(blocks: list[bytes]) -> bytes:
    """Codeword 1 of each block, then codeword 2 of each, … (blocks may differ by one)."""
    longest = max(len(block) for block in blocks)
    return bytes(block[k] for k in range(longest) for block in blocks if k < len(block))


def _error_words(block: bytes, count: int) -> bytes:
    """Reed–Solomon error correction codewords of ``block`` (segno's make_blocks,
    the remainder of the division kept in one integer)."""
    products = _generator_products(count)
    top = 8 * (count - 1)
    mask = (1 << 8 * count) - 1
    remainder = 0
    for word in block:
        factor = word ^ (remainder >> top)
        remainder = (remainder << 8) & mask
        if factor:
            remainder ^= products[factor]
    return remainder.to_bytes(count, "big")


@lru_cache(maxsize=None)
def _generator_products(count: int) -> tuple[int, ...]:
    """The generator polynomial of ``count`` error words times each codeword value,
    as integers of ``count`` bytes."""
    generator, log, exp = consts.GEN_POLY[count], consts.GALIOS_LOG, consts.GALIOS_EXP
    return (0,) + tuple(int.from_bytes(bytes(exp[log[value] + g] for g in generator), "big") for value in range(1, 256))


class _Layout:
    """One version's matrix before the data, where each bit goes, the modules
    the mask flips and what the format and version information set."""

    def __init__(self, version: int, error: int, mask: int):
        width = _encoder.calc_matrix_size(version)
        matrix = _encoder.make_matrix(width, width)
        _encoder.add_finder_patterns(matrix, width, width)
        _encoder.add_alignment_patterns(matrix, width, width)
        self.start = tuple(bytes(row) for row in matrix)
        self.places = _places(matrix)
        # segno masks every module outside the function patterns and the dark module.
        function = [bytearray(row) for row in matrix]
        function[-8][8] = 0x1
        flip = _encoder.get_data_mask_functions(False)[mask]
        self.flips = [(i, j) for i in range(width) for j in range(width) if function[i][j] > 0x1 and flip(i, j)]
        # Format and version information: fixed modules, written last.
        before = [bytearray([0x7] * width) for _ in range(width)]
        after = [bytearray(row) for row in before]
        _encoder.add_format_info(after, version, error, mask)
        _encoder.add_version_info(after, version)
        self.fixed = [(i, j, after[i][j]) for i in range(width) for j in range(width) if after[i][j] != before[i][j]]


@lru_cache(maxsize=None)
def _layout(version: int, error: int, mask: int) -> _Layout:
    return _Layout(version, error, mask)


def _places(matrix) -> list[tuple[int, int]]:
    """Where segno's ``encoder.add_codewords`` puts each bit of a QR code (not
    Micro), in order: up and down two-module columns from the right."""
    size = len(matrix)
    places = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in range(2):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    places.append((i, j))
    return places
