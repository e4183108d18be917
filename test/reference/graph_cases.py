"""The test graphs every graph-metric fixture is computed on.

Run with Debian's python (`/usr/bin/python3 test/reference/graph_cases.py`); it writes
test/fixtures/graph/cases.json. Every case is deterministic (fixed seeds, no library RNG).

Weights are drawn from {0.25, 0.5, 1, 2, 4} so that distances (1 / weight) and their sums are
exact in binary floating point: equal-length shortest paths are then equal in every
implementation, and weighted betweenness can be compared to 1e-9.

`load_cases()` returns each case as it is stored *and* simplified by Trellis's documented policy
(analytics/graph/csr.ts): self-loops dropped, duplicate edges merged with summed weights.
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'graph', 'cases.json')
WEIGHTS = [0.25, 0.5, 1.0, 2.0, 4.0]

# Zachary's karate club (1977), the 78 friendships, nodes 0..33.
KARATE = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8), (0, 10), (0, 11), (0, 12), (0, 13), (0, 17), (0, 19), (0, 21), (0, 31), (1, 2), (1, 3), (1, 7), (1, 13), (1, 17), (1, 19), (1, 21), (1, 30), (2, 3), (2, 7), (2, 8), (2, 9), (2, 13), (2, 27), (2, 28), (2, 32), (3, 7), (3, 12), (3, 13), (4, 6), (4, 10), (5, 6), (5, 10), (5, 16), (6, 16), (8, 30), (8, 32), (8, 33), (9, 33), (13, 33), (14, 32), (14, 33), (15, 32), (15, 33), (18, 32), (18, 33), (19, 33), (20, 32), (20, 33), (22, 32), (22, 33), (23, 25), (23, 27), (23, 29), (23, 32), (23, 33), (24, 25), (24, 27), (24, 31), (25, 31), (26, 29), (26, 33), (27, 33), (28, 31), (28, 33), (29, 32), (29, 33), (30, 32), (30, 33), (31, 32), (31, 33), (32, 33)]


def attributes(rng, n):
    """School-like node attributes for assortativity and geography."""
    return {
        'phase': [rng.choice(['primary', 'secondary', 'special']) for _ in range(n)],
        'type': [rng.choice(['academy', 'maintained', 'free']) for _ in range(n)],
        'fsmBand': [rng.randint(1, 4) for _ in range(n)],
        'la': [rng.choice(['Devon', 'Plymouth', 'Torbay']) for _ in range(n)],
        'grade': [rng.choice([1, 2, 3, 4]) for _ in range(n)],
        'lat': [round(50.2 + rng.random(), 5) for _ in range(n)],
        'lon': [round(-4.5 + rng.random() * 1.5, 5) for _ in range(n)],
    }


def random_graph(rng, n, m, directed, weighted):
    edges = []
    while len(edges) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a == b:
            continue
        edges.append([a, b, rng.choice(WEIGHTS) if weighted else 1.0])
    return edges


def planted(rng, groups, size, p_in, p_out):
    n = groups * size
    edges = []
    for a in range(n):
        for b in range(a + 1, n):
            p = p_in if a // size == b // size else p_out
            if rng.random() < p:
                edges.append([a, b, 1.0])
    return n, edges


def build():
    rng = random.Random(20261123)
    cases = []
    cases.append({'name': 'karate', 'nodes': 34, 'directed': False, 'edges': [[a, b, 1.0] for a, b in KARATE]})
    wrng = random.Random(34)
    cases.append({'name': 'karate-weighted', 'nodes': 34, 'directed': False, 'edges': [[a, b, wrng.choice(WEIGHTS)] for a, b in KARATE]})
    # Sparse random graph: isolates and several components, weighted.
    cases.append({'name': 'sparse-weighted', 'nodes': 150, 'directed': False, 'edges': random_graph(rng, 150, 170, False, True)})
    # Denser random graph, unweighted, one big component.
    cases.append({'name': 'dense', 'nodes': 80, 'directed': False, 'edges': random_graph(rng, 80, 400, False, False)})
    # Directed, weighted, with reciprocal arcs (giving → receiving).
    directed = random_graph(rng, 60, 260, True, True)
    directed += [[b, a, w] for a, b, w in directed[:40]]
    cases.append({'name': 'directed-weighted', 'nodes': 60, 'directed': True, 'edges': directed})
    # Messy input: duplicates (both orientations), self-loops, isolates, two components.
    cases.append({'name': 'messy', 'nodes': 12, 'directed': False, 'edges': [
        [0, 1, 1.0], [1, 0, 1.0], [1, 2, 2.0], [2, 2, 4.0], [2, 3, 0.5], [3, 0, 1.0], [0, 2, 0.25],
        [5, 6, 1.0], [6, 7, 1.0], [7, 5, 2.0], [7, 8, 1.0], [8, 8, 1.0], [5, 6, 1.0], [9, 10, 4.0],
    ]})
    cases.append({'name': 'messy-directed', 'nodes': 8, 'directed': True, 'edges': [
        [0, 1, 1.0], [0, 1, 1.0], [1, 0, 2.0], [1, 2, 1.0], [2, 3, 0.5], [3, 1, 1.0], [3, 3, 1.0], [4, 5, 1.0], [5, 4, 1.0],
    ]})
    # Planted communities for Louvain/Leiden.
    n, edges = planted(rng, 4, 25, 0.3, 0.01)
    cases.append({'name': 'planted', 'nodes': n, 'directed': False, 'edges': edges})
    # Star (maximal centralisation) and a path (long geodesics).
    cases.append({'name': 'star', 'nodes': 9, 'directed': False, 'edges': [[0, i, 1.0] for i in range(1, 9)]})
    cases.append({'name': 'path', 'nodes': 7, 'directed': False, 'edges': [[i, i + 1, 1.0] for i in range(6)]})
    cases.append({'name': 'single-edge', 'nodes': 2, 'directed': False, 'edges': [[0, 1, 1.0]]})
    cases.append({'name': 'empty', 'nodes': 5, 'directed': False, 'edges': []})
    for c in cases:
        c['attributes'] = attributes(random.Random(c['nodes'] * 7 + len(c['edges'])), c['nodes'])
    return cases


def simplify(case):
    """Trellis's input policy: drop self-loops, merge duplicates (summing weights)."""
    merged = {}
    for a, b, w in case['edges']:
        if a == b:
            continue
        key = (a, b) if case['directed'] or a < b else (b, a)
        merged[key] = merged.get(key, 0.0) + w
    return sorted((a, b, w) for (a, b), w in merged.items())


def load_cases():
    with open(OUT) as f:
        cases = json.load(f)
    for c in cases:
        c['simple'] = simplify(c)
    return cases


if __name__ == '__main__':
    cases = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(cases, f)
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')
