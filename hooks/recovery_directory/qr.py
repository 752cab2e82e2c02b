"""The print pages' QR codes, drawn faster than segno alone, symbol for symbol as segno.

segno (pure Python) spends most of a code placing the bits in the matrix
module by module and masking it module by module, then more writing the SVG
through its general writer: about 1.7 ms a print page, a thousand print pages
per language at 2,000 listings. The places depend only on the version, so
here they are worked out once per version; the mask is fixed (render.QR_MASK),
so the modules it flips are listed once per version too. segno still does what
decides the symbol — the segments, the version, the error level it raises,
the codewords and their error correction — through its encoder's own
functions, in the order of its ``encoder._encode`` (segno is pinned in
requirements.lock: a new segno is checked by tests/test_qr_code.py, which
compares every module with ``segno.make`` and reads the codes back).

A Micro QR code (a very short URL) is left to segno as before.
"""

from __future__ import annotations

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
    """segno.utils.matrix_to_lines, as (row, x1, x2) per run of dark modules."""
    last_bit = 0x1
    for index, row in enumerate(matrix):
        x1 = x2 = x
        for bit in row:
            if last_bit != bit and not bit:
                yield index, x1, x2
                x1 = x2
            x2 += 1
            if not bit:
                x1 += 1
            last_bit = bit
        if last_bit:
            yield index, x1, x2
            last_bit = 0x0


def _codewords(segments, version: int, error: int):
    """The final message's bits, as segno's ``encoder._encode`` makes them."""
    buff = _encoder.Buffer()
    ver_range = _encoder.version_range(version)
    for segment in segments:
        _encoder.write_segment(buff, segment, None, ver_range, False)
    capacity = consts.SYMBOL_CAPACITY[version][error]
    _encoder.write_terminator(buff, capacity, None, len(buff))
    _encoder.write_padding_bits(buff, version, len(buff))
    _encoder.write_pad_codewords(buff, version, capacity, len(buff))
    return _encoder.make_final_message(version, error, buff)


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
