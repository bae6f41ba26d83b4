"""Read `bigalloc` dumps: resolve each live block's frames and sum the bytes by the code that made them.

    .venv/bin/python bench/perf/bigalloc/report.py /tmp/owners.txt [--frames 4] [--blocks]

A frame that `backtrace_symbols_fd` printed without a name (`lib.so(+0x1234)`, a symbol the library
does not export) is named from the library's symbol tables (`nm`, then `nm -D`), demangled by
`c++filt`: the nearest function at or below the offset. An owner is the first `--frames` frames
outside the C and C++ runtimes; prints, per dump, the bytes of each owner and the window (the
generation: the number of trims before it) that allocated them, then one line per owner across dumps.
"""

from __future__ import annotations

import argparse
import bisect
import functools
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

FRAME = re.compile(
    r"^(?P<path>[^(\[]*)\((?P<symbol>[^+)]*)\+?(?P<offset>0x[0-9a-f]+)?\)\s*\[(?P<address>0x[0-9a-f]+)\]"
)
RUNTIME = ("libc.so", "libstdc++", "libgomp", "libbigalloc", "ld-linux", "libgcc_s")
RUNTIME_NAMES = ("operator new", "malloc", "calloc", "realloc", "posix_memalign", "aligned_alloc")


@dataclass
class Block:
    address: int
    size: int
    generation: int
    function: str
    frames: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    start: int
    end: int
    resident_kb: int
    name: str


@functools.cache
def symbols(path: str) -> tuple[list[int], list[str]]:
    """Function symbols of a library, sorted by address (its full table if kept, else the dynamic one)."""
    for flags in ([], ["-D"]):
        try:
            out = subprocess.run(
                ["nm", *flags, "--defined-only", path], capture_output=True, text=True, check=False
            ).stdout
        except OSError:
            return [], []
        rows = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TtWw":
                rows.append((int(parts[0], 16), parts[2]))
        if rows:
            rows.sort()
            return [a for a, _ in rows], [n for _, n in rows]
    return [], []


@functools.cache
def demangle(name: str) -> str:
    out = subprocess.run(["c++filt", name], capture_output=True, text=True, check=False).stdout.strip()
    return out or name


def resolve(line: str) -> str:
    match = FRAME.match(line.strip())
    if not match:
        return line.strip()
    path, symbol, offset = match["path"], match["symbol"], match["offset"]
    library = Path(path).name
    if not symbol and offset:
        addresses, names = symbols(path)
        at = bisect.bisect_right(addresses, int(offset, 16)) - 1
        if at >= 0:
            symbol = names[at]
    name = demangle(symbol) if symbol else f"+{offset}"
    return f"{library}:{_short(name)}"


def _short(name: str, width: int = 110) -> str:
    name = re.sub(r"\(.*\)", "()", name, count=1) if "(" in name else name  # drop argument lists
    return name if len(name) <= width else name[: width - 3] + "..."


def read(path: Path) -> tuple[dict[str, list[Block]], dict[str, list[Mapping]]]:
    """Blocks and anonymous mappings (written by `memory_owners.py` after each dump) by dump label."""
    dumps: dict[str, list[Block]] = {}
    maps: dict[str, list[Mapping]] = {}
    current: list[Block] = []
    label = ""
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("dump "):
            label = line.split()[1]
            current = dumps.setdefault(label, [])
        elif line.startswith("block "):
            _, address, size, generation, function = line.split()[:5]
            current.append(Block(int(address, 16), int(size), int(generation), function))
        elif line.startswith("map "):
            _, start, end, kb, *name = line.split()
            maps.setdefault(label, []).append(Mapping(int(start, 16), int(end, 16), int(kb), " ".join(name)))
        elif current:
            current[-1].frames.append(line)
    return dumps, maps


def mapping_kinds(blocks: list[Block], maps: list[Mapping]) -> dict[str, float]:
    """Resident MB of the anonymous mappings: the main heap, those holding a live large block
    (malloc's mapped blocks, or an arena heap with one), stacks, and the rest (not a live large block:
    free arena heaps, libraries' own mmaps)."""
    kinds: dict[str, float] = defaultdict(float)
    for m in maps:
        holds = any(b.address < m.end and b.address + b.size > m.start for b in blocks)  # a VMA may split
        kind = m.name or ("holds a live large block" if holds else "anonymous, no live large block")
        kinds[kind] += m.resident_kb / 1024
    return dict(kinds)


def owner(block: Block, frames: int) -> str:
    named = [resolve(f) for f in block.frames]
    kept = [n for n in named if not n.startswith(RUNTIME) and not any(r in n for r in RUNTIME_NAMES)]
    return " < ".join(kept[:frames]) or " < ".join(named[:frames])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dump", type=Path)
    parser.add_argument("--frames", type=int, default=4, help="frames that name an owner")
    parser.add_argument("--blocks", action="store_true", help="print every block's frames")
    args = parser.parse_args()
    dumps, maps = read(args.dump)
    across: dict[str, dict[str, float]] = defaultdict(dict)
    for label, blocks in dumps.items():
        total = sum(b.size for b in blocks) / 2**20
        print(f"dump {label}: {len(blocks)} blocks, {total:.1f} MB")
        kinds = mapping_kinds(blocks, maps.get(label, []))
        print("  resident anonymous: " + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(kinds.items())))
        grouped: dict[tuple[str, int], list[Block]] = defaultdict(list)
        for block in blocks:
            grouped[(owner(block, args.frames), block.generation)].append(block)
        for (name, generation), group in sorted(grouped.items(), key=lambda kv: -sum(b.size for b in kv[1])):
            mb = sum(b.size for b in group) / 2**20
            across[name][label] = across[name].get(label, 0.0) + mb
            print(f"  {mb:7.1f} MB {len(group):3d} blocks  window {generation}  {name}")
            if args.blocks:
                for line in group[0].frames:
                    print(f"        {resolve(line)}")
    labels = list(dumps)
    print("\nMB by owner across dumps: " + " ".join(f"{label:>7}" for label in labels))
    for name, row in sorted(across.items(), key=lambda kv: -max(kv[1].values())):
        print("  " + " ".join(f"{row.get(label, 0.0):7.1f}" for label in labels) + f"  {name}")


if __name__ == "__main__":
    main()
