"""The print pages' QR codes (render.qr_svg): drawn with a fixed data mask, so
segno skips trying all eight, and still read back as the page's URL; placed,
masked and written out by qr.py, module for module and byte for byte as segno
would.

No QR reader is installed, so a small one is here: it reads the format
information (checked against its BCH code), removes the mask the symbol names,
follows the modules in the standard's zigzag, puts the interleaved blocks back
in order and reads the byte-mode segment (ISO/IEC 18004 7.4, 7.7, 7.8, 7.9).
Error correction is not needed: the symbols are exactly as drawn."""

from __future__ import annotations

import re

import pytest
import segno
from segno.consts import ALIGNMENT_POS, ECC  # the standard's tables of blocks and alignment patterns

from recovery_directory.qr import qr_matrix
from recovery_directory.render import QR_MASK, qr_svg

URLS = [
    "https://example.org/recovery-directory/regions/us/illinois/springfield/",
    "https://example.org/recovery-directory/online/",
    "https://example.org/recovery-directory/es/fellowships/al-anon/",
    # Version 7 and up carry version information blocks as well.
    "https://example.org/recovery-directory/regions/us/new-mexico/albuquerque-and-the-middle-rio-grande-valley/",
]

_MASKS = (
    lambda i, j: (i + j) % 2 == 0,
    lambda i, j: i % 2 == 0,
    lambda i, j: j % 3 == 0,
    lambda i, j: (i + j) % 3 == 0,
    lambda i, j: (i // 2 + j // 3) % 2 == 0,
    lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
)
# Format information next to the top-left finder, most significant bit first.
_FORMAT_MODULES = [(8, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [(r, 8) for r in (7, 5, 4, 3, 2, 1, 0)]


def _bch_format(data: int) -> int:
    value = data << 10
    for shift in range(4, -1, -1):
        if value & (1 << (shift + 10)):
            value ^= 0x537 << shift
    return ((data << 10) | value) ^ 0x5412


def _function_modules(version: int) -> list[list[bool]]:
    n = 17 + 4 * version
    taken = [[False] * n for _ in range(n)]

    def mark(rows, cols):
        for r in rows:
            for c in cols:
                taken[r][c] = True

    mark(range(9), range(9))  # finder, separator and format information: top left,
    mark(range(9), range(n - 8, n))  # top right,
    mark(range(n - 8, n), range(9))  # bottom left, with the dark module
    mark([6], range(n))  # timing patterns
    mark(range(n), [6])
    if version >= 2:
        centres = ALIGNMENT_POS[version - 2]
        for r in centres:
            for c in centres:
                if not (r < 9 and c < 9 or r < 9 and c > n - 9 or r > n - 9 and c < 9):
                    mark(range(r - 2, r + 3), range(c - 2, c + 3))
    if version >= 7:  # version information
        mark(range(6), range(n - 11, n - 8))
        mark(range(n - 11, n - 8), range(6))
    return taken


def decode(matrix) -> tuple[int, int, int, str]:
    """(version, error level as segno numbers it, mask, text) of a QR code symbol."""
    n = len(matrix)
    version = (n - 17) // 4
    read = 0
    for r, c in _FORMAT_MODULES:
        read = read << 1 | (matrix[r][c] & 1)
    data = (read ^ 0x5412) >> 10
    assert _bch_format(data) == read, "format information does not check"
    level, mask = data >> 3, data & 7
    taken, inverted = _function_modules(version), _MASKS[mask]
    bits: list[int] = []
    upward, col = True, n - 1
    while col > 0:
        if col == 6:
            col -= 1  # the vertical timing pattern is no column of data
        for r in (range(n - 1, -1, -1) if upward else range(n)):
            for c in (col, col - 1):
                if not taken[r][c]:
                    bits.append((matrix[r][c] & 1) ^ int(inverted(r, c)))
        upward, col = not upward, col - 2
    codewords = [int("".join(map(str, bits[k:k + 8])), 2) for k in range(0, len(bits) - 7, 8)]
    blocks = [ec.num_data for ec in ECC[version][level] for _ in range(ec.num_blocks)]
    data_blocks: list[list[int]] = [[] for _ in blocks]
    at = 0
    for k in range(max(blocks)):  # data codewords are interleaved block by block
        for b, size in enumerate(blocks):
            if k < size:
                data_blocks[b].append(codewords[at])
                at += 1
    stream = "".join(f"{cw:08b}" for block in data_blocks for cw in block)
    assert stream[:4] == "0100", "a byte-mode segment first"
    count_bits = 8 if version < 10 else 16
    length = int(stream[4:4 + count_bits], 2)
    start = 4 + count_bits
    payload = bytes(int(stream[start + 8 * k:start + 8 * k + 8], 2) for k in range(length))
    return version, level, mask, payload.decode("iso-8859-1")


@pytest.mark.parametrize("url", URLS)
def test_the_fixed_mask_code_reads_back_as_the_url(url):
    code = segno.make(url, error="m", mask=QR_MASK)
    version, level, mask, text = decode(code.matrix)
    assert (text, mask, version) == (url, QR_MASK, code.version)
    assert level == {"L": 1, "M": 0, "Q": 3, "H": 2}[code.error]


@pytest.mark.parametrize("url", URLS)
def test_only_the_mask_differs_from_the_code_segno_would_choose(url):
    chosen, fixed = segno.make(url, error="m"), segno.make(url, error="m", mask=QR_MASK)
    assert (fixed.version, fixed.error, fixed.mode) == (chosen.version, chosen.error, chosen.mode)
    assert fixed.error in ("M", "Q", "H")  # at least M: segno raises it when that costs no size
    assert decode(chosen.matrix)[3] == url  # the reader reads any mask, not just ours


def test_qr_svg_draws_the_fixed_mask_code_as_before():
    url = URLS[0]
    svg = str(qr_svg(url))
    expected = segno.make(url, error="m", mask=QR_MASK).svg_inline(
        scale=2, border=2, svgclass="rd-qr__code", lineclass=None, dark="#000", omitsize=True)
    assert svg == expected
    # As before: one path, no size (the stylesheet sizes it), no XML namespace, no URL in the markup.
    assert re.fullmatch(r'<svg viewBox="0 0 (\d+) \1" class="rd-qr__code"><path transform="scale\(2\)" stroke="#000" d="[^"]+"/></svg>', svg)
    assert url not in svg


def _urls_of_every_size() -> list[str]:
    """Print-page-like URLs from a few characters (Micro QR) to version 19, and others."""
    path = "regions/us/new-mexico/albuquerque-and-the-middle-rio-grande-valley/monday/"
    urls = ["https://example.org/recovery-directory/" + (path * 4)[:length] for length in range(0, 320, 7)]
    return urls + ["a", "https://x.y/", "HTTPS://EXAMPLE.ORG/RECOVERY/", "https://example.org/es/grupos/señales/", "0123456789" * 3]


@pytest.mark.parametrize("url", URLS + _urls_of_every_size())
def test_qr_py_draws_what_segno_draws(url):
    code = segno.make(url, error="m", mask=QR_MASK)
    assert [bytes(row) for row in qr_matrix(url, QR_MASK)] == [bytes(row) for row in code.matrix]
    assert str(qr_svg(url)) == code.svg_inline(scale=2, border=2, svgclass="rd-qr__code", lineclass=None, dark="#000", omitsize=True)


@pytest.mark.parametrize("url", URLS)
def test_qr_py_code_reads_back_as_the_url(url):
    version, _, mask, text = decode(qr_matrix(url, QR_MASK))
    assert (text, mask, version) == (url, QR_MASK, segno.make(url, error="m", mask=QR_MASK).version)
