"""Writes good.wav and bad.wav, the scan sounds (run once; the WAVs are kept in git).

Good: a short bright two-tone chirp. Bad: a low buzz, long enough to notice across a bench.
Made here from sine waves, so there is no third-party sound to license.

    python resources/sounds/make_sounds.py
"""

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def tone(parts: list[tuple[float, float]], volume: float) -> bytes:
    frames = bytearray()
    for frequency, seconds in parts:
        count = int(RATE * seconds)
        for i in range(count):
            fade = min(1.0, i / 200, (count - i) / 200)  # no clicks at the edges
            sample = volume * fade * math.sin(2 * math.pi * frequency * i / RATE)
            if frequency == 0:  # a pause
                sample = 0.0
            elif frequency < 300:  # a square-ish buzz for "refused"
                sample = volume * fade * (1 if sample > 0 else -1) * 0.6
            frames += struct.pack("<h", int(sample * 32767))
    return bytes(frames)


def write(path: Path, data: bytes) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data)


if __name__ == "__main__":
    here = Path(__file__).parent
    write(here / "good.wav", tone([(1760.0, 0.06), (2349.0, 0.08)], 0.5))
    write(here / "bad.wav", tone([(180.0, 0.18), (0.0, 0.05), (180.0, 0.18)], 0.5))
