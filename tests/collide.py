"""Build a YAML file with another file's length, CRC32 and Adler-32 (finding 1 of issue 17).

A hostile clinic file can match the cheap checksums a cache might key on in a
fraction of a second; this builds one the same way, so that the tests show the
cache keyed on them would be fooled, and that ours is not.

How: the wanted text is followed by a YAML comment of letters, as long as it takes
to reach the original's length. Its characters are moved up and down to give the same
byte sum (Adler's A), then pairs (+1 here, -1 further on) to give the same
weighted sum (Adler's B). Last, CRC32, which is linear over XOR: groups of four
letters "bccb" become "cbbc" (each letter's lowest bit flips, and the +1 -1 -1 +1
pattern leaves both Adler sums as they are); which groups to flip is a linear
system over GF(2), solved by elimination.
"""

from __future__ import annotations

import zlib

_MOD = 65521
_GADGET = b"bccb"
_GADGETS = 96  # more groups than CRC bits, so the system nearly always has a solution
_FILLER = 700  # characters for the Adler fixes
# Comment characters stay within "0".."z" (digits, letters and a few signs), starting
# from the middle of that range so that sums can move either way.
_LOW, _HIGH, _START = ord("0"), ord("z"), b"U"


def _adler(data: bytes) -> tuple[int, int]:
    value = zlib.adler32(data)
    return value & 0xFFFF, value >> 16


def colliding(original: bytes, wanted: bytes) -> bytes:
    """``wanted`` plus a comment, with ``original``'s length, CRC32 and Adler-32."""
    head = wanted.rstrip(b"\n") + b"\n# "
    room = len(original) - len(head) - 1
    if room < _FILLER + 4 * _GADGETS:
        raise ValueError("the wanted text is too long to leave room for the comment")
    gadgets_at = len(head)
    filler_at = gadgets_at + 4 * _GADGETS
    filler_len = room - 4 * _GADGETS
    data = bytearray(head + _GADGET * _GADGETS + _START * filler_len + b"\n")
    _fix_sum(data, original, filler_at, filler_len)
    _fix_weighted_sum(data, original, filler_at, filler_len)
    _fix_crc(data, original, gadgets_at)
    result = bytes(data)
    assert len(result) == len(original)
    assert zlib.crc32(result) == zlib.crc32(original)
    assert zlib.adler32(result) == zlib.adler32(original)
    return result


def _fix_sum(data: bytearray, original: bytes, at: int, length: int) -> None:
    """Letters up or down (staying in a..z) until the byte sums are equal."""
    missing = sum(original) - sum(data)
    if abs(missing) > length * (_HIGH - _START[0]):
        raise ValueError("not enough room to match the byte sum")
    position = at
    while missing:
        step = 1 if missing > 0 else -1
        if _LOW <= data[position] + step <= _HIGH:
            data[position] += step
            missing -= step
        position = at + (position - at + 1) % length


def _fix_weighted_sum(data: bytearray, original: bytes, at: int, length: int) -> None:
    """Pairs (+1 at p, -1 at p + d) add d to B and nothing to A, until B is equal."""
    missing = (_adler(original)[1] - _adler(data)[1]) % _MOD
    while missing:
        distance = min(missing, length - 1)
        for start in range(at, at + length - distance):
            end = start + distance
            if data[start] < _HIGH and data[end] > _LOW:
                data[start] += 1
                data[end] -= 1
                missing -= distance
                break
        else:
            raise ValueError("no room left for the weighted sum")


def _fix_crc(data: bytearray, original: bytes, at: int) -> None:
    """Flip the groups whose CRC differences add up (XOR) to the difference wanted."""
    base = zlib.crc32(bytes(data))
    columns = []
    for number in range(_GADGETS):
        flipped = bytearray(data)
        start = at + 4 * number
        flipped[start : start + 4] = b"cbbc"
        columns.append(zlib.crc32(bytes(flipped)) ^ base)
    chosen = _solve(columns, base ^ zlib.crc32(original))
    for number in chosen:
        start = at + 4 * number
        data[start : start + 4] = b"cbbc"


def _solve(columns: list[int], target: int) -> list[int]:
    """Which columns XOR to ``target`` (Gaussian elimination over GF(2))."""
    rows: list[tuple[int, int]] = []  # (vector, set of columns as a bit mask)
    for number, vector in enumerate(columns):
        mask = 1 << number
        for pivot, pivot_mask in rows:
            if vector ^ pivot < vector:
                vector, mask = vector ^ pivot, mask ^ pivot_mask
        if vector:
            rows.append((vector, mask))
            rows.sort(reverse=True)
    chosen = 0
    for pivot, pivot_mask in rows:
        if target ^ pivot < target:
            target, chosen = target ^ pivot, chosen ^ pivot_mask
    if target:
        raise ValueError("no combination of groups gives that CRC")
    return [number for number in range(len(columns)) if chosen >> number & 1]
