#!/usr/bin/env python3
"""Write the seed corpus of every harness to fuzz/corpus/NAME/seed-*.

Binary harnesses get pseudo-random inputs of several lengths from a fixed
seed, so the files are the same on every run; the cli harness gets small
text files in each input layout. Run from the repository root; existing
files with other names (regression inputs) are left alone.
"""

import pathlib
import random

BINARY_HARNESSES = ["discrete", "family", "smoothing", "wasserstein", "mmd",
                    "logits", "accumulator", "contrastive"]

CLI_SEEDS = [
    # control byte, split byte, then the p file and the q file.
    b"\x00\x80" + b"0.5 0.5 0\n" + b"0.25 0.25 0.5\n",
    b"\x01\x80" + b"a 1\nb 2\n# comment\n" + b"a 3\nc 4\r\n",
    b"\x02\x60" + b"1,2,3\n4 5 6\n" + b"1e-300 2.5e10 7\n",
    b"\x04\x80" + b"don't stop the words\n" + b"x y\nz w\n",
    b"\x08\x80" + "caf\u00e9 na\u00efve\n".encode() + b"1 2\n3 4\n",
    b"\x10\x40" + b"\x00binary\xff\n" + b"nan inf -1\n",
    b"\x00\x80" + b"0x1p-3 .5 1e400\n" + b"-0 0 1e-400\n",
]


def main():
    root = pathlib.Path("fuzz/corpus")
    rng = random.Random(20261204)
    for name in BINARY_HARNESSES:
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        for i, length in enumerate([8, 32, 64, 128, 256, 512, 1024, 2048]):
            data = bytes(rng.randrange(256) for _ in range(length))
            (folder / f"seed-{i:02d}").write_bytes(data)
    folder = root / "cli"
    folder.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(CLI_SEEDS):
        (folder / f"seed-{i:02d}").write_bytes(data)


if __name__ == "__main__":
    main()
