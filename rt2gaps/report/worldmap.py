"""Country shapes for the coverage map, read offline from Natural Earth TopoJSON (no geopandas).

TopoJSON stores every border once, as an "arc" shared by the two countries it separates, with
quantised, delta-encoded points. We decode the arcs, thin each arc on its own (its two ends are kept,
so neighbours still meet exactly and no slivers open between them), project them once with the Equal
Earth projection (equal-area: a large State does not look more important than it is), and stitch
the rings of each country. Only numpy is needed here; ``country_path`` builds a matplotlib Path and
imports matplotlib inside, so the query path never pays for it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rt2gaps.paths import DATA_DIR

if TYPE_CHECKING:
    from matplotlib.path import Path as MplPath

WORLD_ATLAS_DIR = DATA_DIR / "world-atlas"
COUNTRIES_FILE = WORLD_ATLAS_DIR / "countries-50m.json"
# Derived from COUNTRIES_FILE by ``write_projected`` (decoding the TopoJSON on every run costs ~0.2 s):
# the projected rings as .npy arrays one after another, with the source's sha256 to tell when it is stale.
PROJECTED_FILE = WORLD_ATLAS_DIR / "countries-50m.projected.npys"
SHAPES_DATA, SHAPES_PACKAGE = "Natural Earth 4.1.0", "world-atlas 2.0.2"  # said by ui string chart.shapes_source
SHAPES_ORIGIN = f"{SHAPES_DATA} (public domain), via {SHAPES_PACKAGE}"
ANTARCTICA_M49 = "010"  # not a State; left off the map to give the States the room
# Thinning grid (degrees): 0.25 degree is about 0.1 mm on an A4-wide map, invisible in print, and
# it cuts the 50m file's 80,000 points to about a third.
THIN_DEGREES = 0.25

# Equal Earth projection (Šavrič, Patterson & Jenny 2018), coefficients from the paper.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


@dataclass(frozen=True)
class CountryShape:
    """One country of the shape file: M49 code, its name there, and projected polygons.

    ``polygons`` is a list of rings lists: the first ring of each is the outline, the others holes.
    """

    m49: str
    name: str
    polygons: tuple[tuple[np.ndarray, ...], ...]

    @property
    def area(self) -> float:
        """Projected area (outlines minus holes), in squared projection units."""
        return sum(
            abs(_signed_area(rings[0])) - sum(abs(_signed_area(h)) for h in rings[1:]) for rings in self.polygons
        )

    @property
    def anchor(self) -> tuple[float, float]:
        """A point for a marker: the mean vertex of the largest outline."""
        largest = max((rings[0] for rings in self.polygons), key=lambda ring: abs(_signed_area(ring)))
        x, y = largest.mean(axis=0)
        return float(x), float(y)


def equal_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project longitude and latitude (degrees) with Equal Earth; units are those of the unit sphere."""
    lam = np.radians(lon)
    theta = np.arcsin(_M * np.sin(np.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * np.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area of a ring whose last point repeats its first; positive when counter-clockwise."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def decode_arcs(topology: dict, step: float = THIN_DEGREES) -> list[np.ndarray]:
    """Every arc as (longitude, latitude) degrees, thinned: vectorised over all arcs at once.

    Thinning keeps an arc's two ends and the first point of every run of points that fall in the
    same ``step``-degree grid cell, so no point moves. Each shared arc is thinned once and read
    forwards by one neighbour and backwards by the other, so borders still match exactly.
    """
    lengths = np.fromiter((len(arc) for arc in topology["arcs"]), dtype=np.int64)
    coordinates = chain.from_iterable(chain.from_iterable(topology["arcs"]))
    points = np.fromiter(coordinates, dtype=float, count=2 * int(lengths.sum())).reshape(-1, 2)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    ends = starts + lengths - 1
    transform = topology.get("transform")
    if transform:  # quantised: the first point of an arc is absolute, the others are deltas
        running = points.cumsum(axis=0)
        before = np.vstack(([0.0, 0.0], running))[starts]
        points = (running - np.repeat(before, lengths, axis=0)) * transform["scale"] + transform["translate"]
    keep = np.ones(len(points), dtype=bool)
    if step > 0:
        cells = np.floor(points / step)
        keep[1:] = (cells[1:] != cells[:-1]).any(axis=1)
    keep[starts] = True
    keep[ends] = True
    kept_per_arc = np.add.reduceat(keep.astype(np.int64), starts)
    return np.split(points[keep], np.cumsum(kept_per_arc)[:-1])


def _clip_at(ring: np.ndarray, meridian: float, keep_west: bool) -> np.ndarray:
    """Sutherland-Hodgman: the part of a closed ring west (or east) of a meridian, closed again."""
    out: list[tuple[float, float]] = []
    points = ring.tolist()
    for (x1, y1), (x2, y2) in zip(points[:-1], points[1:], strict=True):
        inside1 = x1 <= meridian if keep_west else x1 >= meridian
        inside2 = x2 <= meridian if keep_west else x2 >= meridian
        if inside1:
            out.append((x1, y1))
        if inside1 != inside2:
            out.append((meridian, y1 + (meridian - x1) / (x2 - x1) * (y2 - y1)))
    if len(out) < 3:
        return np.empty((0, 2))
    out.append(out[0])
    return np.asarray(out)


def split_at_antimeridian(ring: np.ndarray) -> list[np.ndarray]:
    """A ring that crosses ±180° (Russia, Fiji), as the two rings on either side; others unchanged.

    World-atlas 2 keeps such rings whole for spherical renderers; on a flat map their edge would
    run across the whole world. The ring is unwrapped to be continuous, cut at the meridian, and
    the far part is shifted back by 360°.
    """
    if len(ring) < 2 or np.abs(np.diff(ring[:, 0])).max() <= 180:
        return [ring]
    unwrapped = ring.copy()
    unwrapped[:, 0] = np.unwrap(ring[:, 0], period=360)
    meridian = 180.0 if unwrapped[:, 0].max() > 180 else -180.0
    shift = -360.0 if meridian > 0 else 360.0
    near = _clip_at(unwrapped, meridian, keep_west=meridian > 0)
    far = _clip_at(unwrapped, meridian, keep_west=meridian < 0)
    if len(far):
        far[:, 0] += shift
    return [part for part in (near, far) if len(part)]


def project(ring: np.ndarray) -> np.ndarray:
    x, y = equal_earth(ring[:, 0], ring[:, 1])
    return np.column_stack((x, y))


def _ring(arc_indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Join a ring's arcs (a negative index ``~i`` is arc ``i`` read backwards), dropping shared ends."""
    pieces = []
    for position, index in enumerate(arc_indices):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        pieces.append(arc if position == 0 else arc[1:])
    return np.concatenate(pieces)


def _oriented(rings: list[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Outline counter-clockwise, holes clockwise, so a non-zero fill leaves the holes empty."""
    fixed = []
    for position, ring in enumerate(rings):
        counter_clockwise = _signed_area(ring) > 0
        want_counter_clockwise = position == 0
        fixed.append(ring if counter_clockwise == want_counter_clockwise else ring[::-1])
    return tuple(fixed)


def read_topology(path: Path = COUNTRIES_FILE) -> dict:
    """The TopoJSON document; a clear error when the committed file is missing."""
    from rt2gaps.errors import Rt2gapsError

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise Rt2gapsError(f"world shapes missing: {path} (see data/world-atlas/README.md)") from None


@lru_cache(maxsize=2)
def country_shapes(path: Path = COUNTRIES_FILE, step: float = THIN_DEGREES) -> dict[str, CountryShape]:
    """Projected shapes by M49 code (3 digits); Antarctica and shapes without a code are left out.

    Read from the derived ``PROJECTED_FILE`` when it was made from this very file and step (same
    arrays, bit for bit), else decoded from the TopoJSON.
    """
    if path == COUNTRIES_FILE and PROJECTED_FILE.exists():
        projected = read_projected(PROJECTED_FILE)
        if projected is not None and projected[0] == (_sha256(path), step):
            return projected[1]
    return decode_shapes(path, step)


def decode_shapes(path: Path = COUNTRIES_FILE, step: float = THIN_DEGREES) -> dict[str, CountryShape]:
    """``country_shapes`` from the TopoJSON itself: decode, thin, cut at the antimeridian, project."""
    topology = read_topology(path)
    arcs = decode_arcs(topology, step)
    polygons: dict[str, list[tuple[np.ndarray, ...]]] = {}
    names: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = geometry.get("id")
        if code is None or code == ANTARCTICA_M49:
            continue
        code = str(code).zfill(3)
        names.setdefault(code, geometry.get("properties", {}).get("name", ""))
        if geometry["type"] == "Polygon":
            parts = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        for part in parts:
            rings = [_ring(ring, arcs) for ring in part]
            outline = split_at_antimeridian(rings[0])
            if len(outline) > 1:  # the holes of a cut polygon are dropped (none in the file)
                polygons.setdefault(code, []).extend(_oriented([project(piece)]) for piece in outline)
            else:
                polygons.setdefault(code, []).append(_oriented([project(ring) for ring in rings]))
    return {code: CountryShape(code, names[code], tuple(parts)) for code, parts in polygons.items()}


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_projected(target: Path = PROJECTED_FILE, source: Path = COUNTRIES_FILE, step: float = THIN_DEGREES) -> None:
    """Write the derived shapes file; run it again whenever ``countries-50m.json`` or the step changes.

    ``python -c "from rt2gaps.report.worldmap import write_projected; write_projected()"``. Arrays in
    order: header (JSON: source sha256, step, codes, names), all ring points, points per ring, rings
    per polygon, polygons per country. ``.npy`` bytes are the same for the same arrays.
    """
    shapes = decode_shapes(source, step)
    codes = sorted(shapes)
    rings = [ring for code in codes for polygon in shapes[code].polygons for ring in polygon]
    header = {"source_sha256": _sha256(source), "step": step, "codes": codes,
              "names": [shapes[code].name for code in codes]}  # fmt: skip
    with target.open("wb") as stream:
        np.save(stream, np.array(json.dumps(header, ensure_ascii=False)))
        np.save(stream, np.concatenate(rings))
        np.save(stream, np.array([len(ring) for ring in rings], dtype=np.int64))
        np.save(stream, np.array([len(p) for c in codes for p in shapes[c].polygons], dtype=np.int64))
        np.save(stream, np.array([len(shapes[c].polygons) for c in codes], dtype=np.int64))


def read_projected(path: Path = PROJECTED_FILE) -> tuple[tuple[str, float], dict[str, CountryShape]] | None:
    """((source sha256, step), shapes) from a file of ``write_projected``; None when it cannot be read."""
    try:
        with path.open("rb") as stream:
            header = json.loads(np.load(stream).item())
            points, ring_sizes, polygon_sizes, country_sizes = (np.load(stream) for _ in range(4))
    except (OSError, ValueError, KeyError):
        return None
    rings = iter(np.split(points, np.cumsum(ring_sizes)[:-1]))
    polygons = iter([tuple(next(rings) for _ in range(size)) for size in polygon_sizes])
    shapes = {
        code: CountryShape(code, name, tuple(next(polygons) for _ in range(size)))
        for code, name, size in zip(header["codes"], header["names"], country_sizes, strict=True)
    }
    return (header["source_sha256"], header["step"]), shapes


def country_path(shape: CountryShape) -> MplPath:
    """One matplotlib Path for all of a country's polygons and holes (closed rings, non-zero fill)."""
    from matplotlib.path import Path as MplPath

    vertices = []
    codes = []
    for rings in shape.polygons:
        for ring in rings:
            vertices.append(ring)
            vertices.append(ring[:1])
            ring_codes = np.full(len(ring) + 1, MplPath.LINETO, dtype=np.uint8)
            ring_codes[0] = MplPath.MOVETO
            ring_codes[-1] = MplPath.CLOSEPOLY
            codes.append(ring_codes)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def world_outline(points: int = 181) -> np.ndarray:
    """The edge of the Equal Earth world (the ±180° meridians), for the map's frame."""
    lat = np.linspace(-90, 90, points)
    east = np.column_stack(equal_earth(np.full(points, 180.0), lat))
    west = np.column_stack(equal_earth(np.full(points, -180.0), lat[::-1]))
    return np.concatenate([east, west])
