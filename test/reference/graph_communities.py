"""Reference values for communities (analytics/graph/modularity.ts, louvain.ts, leiden.ts).

Run with Debian's python (`/usr/bin/python3 test/reference/graph_communities.py`); it writes
test/fixtures/graph/communities.json.

Every case is taken as Trellis takes it (csr.ts): simplified by our policy, then, when directed,
symmetrised by summing the weights of a → b and b → a (`undirected()` in csr.ts). Modularity is
python-igraph's `GraphBase.modularity(membership, weights, resolution)` on that undirected graph
(the low-level call: `Graph.modularity` in 0.10.2 ignores the resolution, python-igraph#640),
cross-checked against networkx's `community.modularity` (the two must agree to 1e-12 or this
script stops). A graph with no edges has no modularity (igraph returns NaN): stored as null.

Fixed partitions per case: `phase` (the node attribute, labels numbered in sorted order), `mod3`
(node index mod 3), `singletons`, `whole` (one community) and `igraphMultilevel` (igraph's own
Louvain result at resolution 1). Each is scored at resolution 1 and 0.5.

igraph's own optimisers, for the "at least igraph − 0.02" checks: `community_multilevel`
(Blondel et al. 2008) and `community_leiden(objective_function="modularity")` (Traag et al. 2019,
igraph's defaults: beta 0.01, 2 iterations), each run at resolution 1 and 0.5 with Python's RNG
seeded, scored by `GraphBase.modularity` at the same resolution.
"""
import json
import math
import os
import random
import sys

import igraph
import networkx as nx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from graph_cases import load_cases  # noqa: E402

OUT = os.path.join(HERE, '..', 'fixtures', 'graph', 'communities.json')
RESOLUTIONS = [1.0, 0.5]


def undirected_edges(case):
    """The undirected view: (a, b) and (b, a) merged with their weights summed."""
    merged = {}
    for a, b, w in case['simple']:
        key = (min(a, b), max(a, b))
        merged[key] = merged.get(key, 0.0) + w
    return sorted((a, b, w) for (a, b), w in merged.items())


def key(r):
    """'1' and '0.5', as JavaScript's String(r) writes them."""
    return format(r, 'g')


def clean(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def igraph_modularity(g, membership, resolution):
    # GraphBase, not Graph: python-igraph 0.10.2's Graph.modularity drops `resolution`
    # (igraph/python-igraph#640), scoring every partition at resolution 1.
    return igraph.GraphBase.modularity(g, membership, g.es['weight'] if g.ecount() else None, resolution)


def networkx_modularity(n, edges, membership, resolution):
    if not edges:
        return float('nan')
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(edges)
    groups = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, set()).add(v)
    return nx.community.modularity(G, list(groups.values()), weight='weight', resolution=resolution)


def checked_modularity(g, n, edges, membership, resolution):
    q = igraph_modularity(g, membership, resolution)
    q_nx = networkx_modularity(n, edges, membership, resolution)
    if not (math.isnan(q) and math.isnan(q_nx)) and abs(q - q_nx) > 1e-12:
        raise SystemExit(f'igraph {q} and networkx {q_nx} disagree')
    return q


def main():
    out = {
        'library': f'python-igraph {igraph.__version__} (modularity, community_multilevel, community_leiden); '
                   f'networkx {nx.__version__} cross-checks modularity to 1e-12',
        'resolutions': [key(r) for r in RESOLUTIONS],
        'cases': {},
    }
    for case in load_cases():
        n = case['nodes']
        edges = undirected_edges(case)
        g = igraph.Graph(n=n, edges=[(a, b) for a, b, _ in edges], directed=False)
        g.es['weight'] = [w for _, _, w in edges]
        weights = g.es['weight'] if edges else None
        labels = sorted(set(case['attributes']['phase']))
        random.seed(7)
        multilevel = g.community_multilevel(weights=weights).membership if edges else list(range(n))
        partitions = {
            'phase': [labels.index(p) for p in case['attributes']['phase']],
            'mod3': [v % 3 for v in range(n)],
            'singletons': list(range(n)),
            'whole': [0] * n,
            'igraphMultilevel': multilevel,
        }
        modularity = {
            name: {key(r): clean(checked_modularity(g, n, edges, m, r)) for r in RESOLUTIONS}
            for name, m in partitions.items()
        }
        optimisers = {'multilevel': {}, 'leiden': {}}
        for r in RESOLUTIONS:
            if not edges:
                optimisers['multilevel'][key(r)] = None
                optimisers['leiden'][key(r)] = None
                continue
            random.seed(11)
            ml = g.community_multilevel(weights=weights, resolution=r).membership
            random.seed(11)
            ld = g.community_leiden(objective_function='modularity', weights=weights, resolution_parameter=r).membership
            optimisers['multilevel'][key(r)] = {'modularity': igraph_modularity(g, ml, r), 'communities': max(ml) + 1}
            optimisers['leiden'][key(r)] = {'modularity': igraph_modularity(g, ld, r), 'communities': max(ld) + 1}
        out['cases'][case['name']] = {'partitions': partitions, 'modularity': modularity, 'igraph': optimisers}
    with open(OUT, 'w') as f:
        json.dump(out, f, allow_nan=False)
    print(f'wrote {len(out["cases"])} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
