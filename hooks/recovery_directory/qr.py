"""The print pages' QR codes, drawn faster than segno alone, symbol for symbol as segno.

segno (pure Python) spent about 1.7 ms on a print page's code, a thousand
print pages per language at 2,000 listings: it works bit by bit (the
codewords and their error correction as lists of bits, each bit placed and
masked module by module), then writes the SVG through its general writer.
Here segno still decides the symbol — the segment's mode, the version, the
error level it raises, the data codewords — through its encoder's own
functions, in the order of its ``encoder._encode``; a byte-mode segment's bits
are written at once, the error correction is computed a codeword at a time,
and where each module comes from (a bit, flipped or not by the fixed mask,
render.QR_MASK, or a function pattern) is worked out once per version, so a
symbol's modules are gathered in one step; the SVG path is joined from a
table of moves (qr_svg_markup): 0.22 ms a code, against 0.73 ms placed and
written module by module and run by run. segno is pinned in
requirements.lock; tests/test_qr_code.py compares every module and the SVG
with ``segno.make`` and reads the codes back, so a new segno is checked.

A Micro QR code (a URL of a few characters) is left to segno as before.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter

import segno
from segno import consts
from segno import encoder as _encoder

ERROR = "m"  # at least M; segno raises it when that costs no size


def qr_matrix(url: str, mask: int) -> tuple[bytearray, ...]:
    """The modules of segno's ``make(url, error="m", mask=mask)``: 1 dark, 0 light."""
    segments = _encoder.Segments()
    segments.add_segment(_segment(url))
    error = _encoder.normalize_errorlevel(ERROR)
    version = _encoder.find_version(segments, error, eci=False, micro=None)
    if version < 1:  # Micro QR: rare (a URL of a few characters), segno's own way
        return segno.make(url, error=ERROR, mask=mask).matrix
    error = _encoder.boost_error_level(version, error, segments, False)
    bits = _codewords(segments, version, error)
    layout = _layout(version, error, mask, len(bits))
    modules = bytes(layout.gather(bits + bits.translate(_FLIP) + _CONSTANTS))
    width = layout.width
    return tuple(bytearray(modules[at:at + width]) for at in range(0, len(modules), width))


def _segment(url: str):
    """segno's ``make_segment(url, None)``, its bits made at once in byte mode
    (a URL with small letters): segno appends them eight at a time, from Python."""
    data, length, encoding = _encoder.data_to_bytes(url, None)
    if _encoder.find_mode(data) != consts.MODE_BYTE:
        return _encoder.make_segment(url, None)
    bits = format(int.from_bytes(data, "big"), f"0{8 * length}b").encode("ascii").translate(_BITS)
    return _encoder._Segment(bytearray(bits), length, consts.MODE_BYTE, encoding)


def qr_svg_markup(matrix: tuple[bytearray, ...], scale: int, border: int, svgclass: str, dark: str) -> str:
    """The SVG segno's ``svg_inline(scale=…, border=…, svgclass=…, lineclass=None,
    dark=…, omitsize=True)`` writes for ``matrix``: one path of horizontal runs.

    segno moves from the end of one run of dark modules to the start of the
    next: within a row by the light modules between them ("m3 0h2"), to the
    next row back across it ("m-20 1h4"). So a run's move and line depend
    only on the modules from the end of the run before to its own end: each
    such stretch is written once a build (_Moves) and the path joined from
    them, the rows joined with a separator so a stretch shows a change of row."""
    width = len(matrix)
    size = (width + 2 * border) * scale
    y = border + 0.5
    flat = b"\x02".join(bytes(row).translate(_DARK_ONE) for row in matrix)
    stretches = _STRETCH.findall(flat)
    if matrix[0][0]:  # the first run starts the path: at its place, not a move
        first = stretches.pop(0)
        start = f"M{border} {int(y) if int(y) == y else y}h{len(first)}"
    else:  # segno's quirk (utils.matrix_to_lines): a light first module makes an empty first run
        start = f"M{border} {int(y) if int(y) == y else y}h0"
    moves = _moves(width)
    path = start + "".join(map(moves.__getitem__, stretches))
    return (f'<svg viewBox="0 0 {size} {size}" class="{svgclass}"><path transform="scale({scale})" '
            f'stroke="{dark}" d="{path}"/></svg>')


class _Moves(dict):
    """A stretch of modules (light ones, row ends as 2, then a run of dark
    ones) → its move and line in a path, for symbols ``width`` modules wide."""

    def __init__(self, width: int):
        super().__init__()
        self.width = width

    def __missing__(self, stretch: bytes) -> str:
        dark = stretch.count(1)
        rows = stretch.count(2)
        if rows:  # from the last run's end to this row's first run: back across the row
            before, after = stretch.index(2), len(stretch) - dark - stretch.rindex(2) - 1
            move = f"m{after - (self.width - before)} {rows}h{dark}"
        else:
            move = f"m{len(stretch) - dark} 0h{dark}"
        self[stretch] = move
        return move


@lru_cache(maxsize=None)
def _moves(width: int) -> _Moves:
    return _Moves(width)


_STRETCH = re.compile(rb"[\x00\x02]*\x01+")
_DARK_ONE = bytes([0] + [1] * 255)  # any module not 0 is dark


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
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")
_CONSTANTS = bytes(range(256))  # after a code's bits and its bits flipped: a module's fixed value
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
    """Where each module of one version's symbol comes from, for a message of
    ``count`` bits, worked out once per version: the matrix before the data,
    each bit in its place, the modules the mask flips, then what the format
    and version information set. ``gather`` picks the modules, row after row,
    from the bits, the bits flipped and the constants after them (_CONSTANTS)."""

    def __init__(self, version: int, error: int, mask: int, count: int):
        width = self.width = _encoder.calc_matrix_size(version)
        matrix = _encoder.make_matrix(width, width)
        _encoder.add_finder_patterns(matrix, width, width)
        _encoder.add_alignment_patterns(matrix, width, width)
        constant = 2 * count  # where the constants start: bits, bits flipped, then 0, 1, 2, …
        source = [[constant + value for value in row] for row in matrix]
        for k, (i, j) in enumerate(_places(matrix)[:count]):
            source[i][j] = k
        # segno masks every module outside the function patterns and the dark module.
        function = [bytearray(row) for row in matrix]
        function[-8][8] = 0x1
        flip = _encoder.get_data_mask_functions(False)[mask]
        for i in range(width):
            for j in range(width):
                if function[i][j] > 0x1 and flip(i, j):
                    at = source[i][j]
                    source[i][j] = at + count if at < count else constant + ((at - constant) ^ 1)
        # Format and version information: fixed modules, written last.
        before = [bytearray([0x7] * width) for _ in range(width)]
        after = [bytearray(row) for row in before]
        _encoder.add_format_info(after, version, error, mask)
        _encoder.add_version_info(after, version)
        for i in range(width):
            for j in range(width):
                if after[i][j] != before[i][j]:
                    source[i][j] = constant + after[i][j]
        self.gather = itemgetter(*(at for row in source for at in row))


@lru_cache(maxsize=None)
def _layout(version: int, error: int, mask: int, count: int) -> _Layout:
    return _Layout(version, error, mask, count)


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
