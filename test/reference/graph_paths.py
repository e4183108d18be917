"""Reference values for analytics/graph shortest-path metrics: betweenness, closeness, harmonic
centrality and average path length.

Run with Debian's python (`/usr/bin/python3 test/reference/graph_paths.py`); it writes
test/fixtures/graph/paths.json from the cases in cases.json (simplified by Trellis's policy via
`load_cases()`). Directed cases are directed graphs; weighted metrics use the edge attribute
`distance = 1 / weight` (weight = tie strength). The unweighted metrics set every weight to 1.

networkx runs on exact rationals (fractions.Fraction distances), so its values are the exact
mathematical ones; igraph runs on floats and treats path lengths within a relative 1e-10 as
equal. The two are asserted to agree to 1e-9 on every value before anything is written.

Libraries per metric (both where both have it):
- betweenness raw: igraph `betweenness(directed, weights)` and networkx
  `betweenness_centrality(normalized=False)`; normalised: networkx `normalized=True`
  (undirected 2 / ((n-1)(n-2)) times the raw pair sum, directed 1 / ((n-1)(n-2))).
- closeness: networkx `closeness_centrality(wf_improved=True)` on the reversed graph (networkx
  measures incoming distance; Trellis's closeness is outward), cross-checked against igraph
  `closeness(mode='out', normalized=True)` times (r - 1) / (n - 1); `closenessReachable` is the
  igraph value (reachable vertices only; null for a vertex that reaches nobody).
- harmonic: networkx `harmonic_centrality` on the reversed graph (raw sum) and igraph
  `harmonic_centrality(mode='out', normalized=...)`; normalised = raw / (n - 1).
- averagePathLength: igraph `average_path_length(directed=True, unconn=True)`, cross-checked
  with networkx all-pairs lengths; null when no pair is connected.

NaN is written as null (JSON has no NaN).
"""
import json
import math
import os
import sys
from fractions import Fraction

import igraph as ig
import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from graph_cases import load_cases  # noqa: E402

OUT = os.path.join(HERE, '..', 'fixtures', 'graph', 'paths.json')


def close(a, b):
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or math.isnan(a)) and (b is None or math.isnan(b))
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def agree(name, xs, ys):
    for i, (a, b) in enumerate(zip(xs, ys)):
        assert close(a, b), f'{name}[{i}]: {a} != {b}'


def clean(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def metrics(n, directed, edges, weighted):
    dist = [1.0 / w if weighted else 1.0 for _, _, w in edges]
    g = ig.Graph(n=n, edges=[(a, b) for a, b, _ in edges], directed=directed)
    g.es['distance'] = dist
    # networkx runs on exact rationals: equal-length geodesics tie exactly, as in igraph, which
    # compares float path lengths with a tolerance (merged weights such as 0.75 or 2.5 make
    # distances that are not exact binary fractions, and float sums of equal paths can differ).
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n))
    for a, b, w in edges:
        G.add_edge(a, b, distance=1 / Fraction(w) if weighted else Fraction(1))
    out = G.reverse(copy=True) if directed else G

    raw = g.betweenness(directed=True, weights='distance')
    nx_raw = nx.betweenness_centrality(G, normalized=False, weight='distance')
    agree('betweenness', raw, [float(nx_raw[v]) for v in range(n)])
    nx_norm = nx.betweenness_centrality(G, normalized=True, weight='distance')
    norm = [float(nx_norm[v]) for v in range(n)]
    if n > 2:
        scale = (1 if directed else 2) / ((n - 1) * (n - 2))
        agree('betweenness normalised', norm, [b * scale for b in raw])

    nx_close = nx.closeness_centrality(out, distance='distance', wf_improved=True)
    closeness = [float(nx_close[v]) for v in range(n)]
    reachable = g.closeness(mode='out', weights='distance', normalized=True)
    reach = [len(g.subcomponent(v, mode='out')) for v in range(n)]
    agree('closeness (igraph x (r-1)/(n-1))', closeness,
          [0.0 if r == 1 else c * (r - 1) / (n - 1) for c, r in zip(reachable, reach)])

    nx_harm = nx.harmonic_centrality(out, distance='distance')
    harmonic = [float(nx_harm[v]) for v in range(n)]
    agree('harmonic', harmonic, g.harmonic_centrality(mode='out', weights='distance', normalized=False))
    harmonic_norm = g.harmonic_centrality(mode='out', weights='distance', normalized=True) if n > 1 else [float('nan')] * n
    agree('harmonic normalised', harmonic_norm, [h / (n - 1) for h in harmonic])

    apl = g.average_path_length(directed=True, unconn=True, weights='distance')
    total, pairs = 0.0, 0
    for s, lengths in nx.all_pairs_dijkstra_path_length(G, weight='distance'):
        for t, d in lengths.items():
            if t != s:
                total += d
                pairs += 1
    agree('averagePathLength', [apl], [float(total / pairs) if pairs else float('nan')])

    return {
        'betweenness': raw,
        'betweennessNormalised': norm,
        'closeness': closeness,
        'closenessReachable': [clean(c) for c in reachable],
        'harmonic': harmonic,
        'harmonicNormalised': [clean(h) for h in harmonic_norm],
        'averagePathLength': clean(apl),
    }


def main():
    result = {
        'libraries': {
            'igraph': ig.__version__,
            'networkx': nx.__version__,
            'betweenness': 'igraph betweenness (raw) = networkx betweenness_centrality(normalized=False); normalised: networkx normalized=True',
            'closeness': 'networkx closeness_centrality(wf_improved=True) on the reversed graph (outward) = igraph closeness(mode=out) x (r-1)/(n-1)',
            'closenessReachable': 'igraph closeness(mode=out, normalized=True); null = reaches nobody',
            'harmonic': 'networkx harmonic_centrality on the reversed graph = igraph harmonic_centrality(mode=out, normalized=False)',
            'harmonicNormalised': 'igraph harmonic_centrality(mode=out, normalized=True) = harmonic / (n - 1)',
            'averagePathLength': 'igraph average_path_length(directed=True, unconn=True) = networkx all-pairs mean; null = no connected pair',
        },
        'cases': [],
    }
    for case in load_cases():
        n, directed, edges = case['nodes'], case['directed'], case['simple']
        result['cases'].append({
            'name': case['name'],
            'unweighted': metrics(n, directed, edges, False),
            'weighted': metrics(n, directed, edges, True),
        })
    with open(OUT, 'w') as f:
        json.dump(result, f)
    print(f"wrote {len(result['cases'])} cases to {os.path.relpath(OUT)}")


if __name__ == '__main__':
    main()
