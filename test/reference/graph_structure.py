"""Reference values for the local, structural and network-level graph metrics.

Run with Debian's python (`/usr/bin/python3 test/reference/graph_structure.py`); it writes
test/fixtures/graph/structure.json, read by analytics/graph/{degree,eigenvector,pagerank,
clustering,brokerage,k-core,cohesion,assortativity,mixing}.test.ts.

Every case of cases.json is used as simplified by Trellis's policy (`load_cases()`). Metrics that
are defined on undirected graphs are computed on the *undirected view*: for a directed case the
arcs (a, b) and (b, a) merge into one edge whose weight is their sum (analytics/graph/csr.ts
`undirected()`). Metrics with a directed form (degree, PageRank, density, reciprocity,
assortativity, centralisation) use the case as it is.

Where python-igraph has the metric it is the reference; networkx is the second opinion where it
has the same metric (the script stops if they disagree by more than 1e-9), and the reference where
igraph lacks it (effective size). numpy gives the geography and mixing numbers. NaN is written as
null: it marks a metric that is undefined on that case (see each TypeScript file for why).
"""
import json
import math
import os
import sys

import igraph as ig
import networkx as nx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from graph_cases import load_cases  # noqa: E402

OUT = os.path.join(HERE, '..', 'fixtures', 'graph', 'structure.json')
EARTH_RADIUS_KM = 6371.0088
TOL = 1e-9


def clean(x):
    """JSON-ready: NaN → null, numpy scalars → Python numbers, recursively."""
    if isinstance(x, dict):
        return {k: clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [clean(v) for v in x]
    if x is None or isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    f = float(x)
    return None if math.isnan(f) else f


def agree(a, b, what):
    """Stops the script when the two libraries disagree (NaN must meet NaN)."""
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    assert a.shape == b.shape, what
    for x, y in zip(a, b):
        if math.isnan(x) or math.isnan(y):
            assert math.isnan(x) and math.isnan(y), f'{what}: {x} vs {y}'
        else:
            assert abs(x - y) <= TOL * max(1.0, abs(x), abs(y)), f'{what}: {x} vs {y}'


def undirected_edges(c):
    merged = {}
    for a, b, w in c['simple']:
        key = (min(a, b), max(a, b))
        merged[key] = merged.get(key, 0.0) + w
    return sorted((a, b, w) for (a, b), w in merged.items())


def igraph_of(n, edges, directed):
    g = ig.Graph(n=n, edges=[(a, b) for a, b, _ in edges], directed=directed)
    g.es['weight'] = [w for _, _, w in edges]
    return g


def networkx_of(n, edges, directed):
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from(edges)
    return g


def check_eigenvector_is_unique(u, weights):
    """On a disconnected graph the leading eigenvector is unique only when one component's leading
    eigenvalue is the largest; otherwise igraph's answer depends on its random start vector."""
    tops = []
    for comp in u.connected_components():
        if len(comp) < 2:
            continue
        sub = u.induced_subgraph(comp)
        a = np.array(sub.get_adjacency_sparse(attribute='weight' if weights else None).todense(), dtype=float)
        tops.append(np.linalg.eigvalsh(a)[-1])
    tops.sort()
    assert len(tops) < 2 or tops[-1] - tops[-2] > 1e-6, f'tied leading eigenvalues {tops[-2:]}'


def degree_metrics(g):
    if not g.is_directed():
        d = g.degree()
        s = g.strength(weights='weight')
        return {'degree': d, 'strength': s, 'inDegree': d, 'outDegree': d, 'inStrength': s, 'outStrength': s, 'balance': [None] * g.vcount()}
    ins, outs = g.strength(mode='in', weights='weight'), g.strength(mode='out', weights='weight')
    balance = [(o - i) / (o + i) if o + i > 0 else None for i, o in zip(ins, outs)]
    return {
        'degree': g.degree(mode='all'), 'strength': g.strength(mode='all', weights='weight'),
        'inDegree': g.degree(mode='in'), 'outDegree': g.degree(mode='out'),
        'inStrength': ins, 'outStrength': outs, 'balance': balance,
    }


def pagerank_metrics(g, gx):
    out = {}
    for name, w in (('weighted', 'weight'), ('unweighted', None)):
        pr = g.pagerank(damping=0.85, weights=w, directed=g.is_directed())
        if g.vcount() > 0:
            px = nx.pagerank(gx, alpha=0.85, weight=w, tol=1e-15, max_iter=100000)
            agree(pr, [px[v] for v in range(g.vcount())], f'pagerank {name}')
        out[name] = pr
    return out


def clustering_metrics(u, ux):
    local = u.transitivity_local_undirected(mode='zero')
    weighted = u.transitivity_local_undirected(mode='zero', weights='weight')
    cx = nx.clustering(ux)
    agree(local, [cx[v] for v in range(u.vcount())], 'local clustering')
    avg = u.transitivity_avglocal_undirected(mode='zero') if u.vcount() else float('nan')
    avg_w = u.transitivity_avglocal_undirected(mode='zero', weights='weight') if u.vcount() else float('nan')
    if u.vcount():
        agree(avg, nx.average_clustering(ux), 'average clustering')
        agree(avg_w, float(np.mean(weighted)), 'average weighted clustering')
    transitivity = u.transitivity_undirected()  # mode="nan": NaN without connected triples
    if not math.isnan(transitivity):
        agree(transitivity, nx.transitivity(ux), 'transitivity')
    return {'local': local, 'weighted': weighted, 'averageLocal': avg, 'averageWeighted': avg_w, 'transitivity': transitivity}


def brokerage_metrics(u, ux):
    out = {}
    for name, w in (('weighted', 'weight'), ('unweighted', None)):
        es = nx.effective_size(ux, weight=w)
        out[name] = {'constraint': u.constraint(weights=w), 'effectiveSize': [es[v] for v in range(u.vcount())]}
    return out


def centralisation(g):
    """Freeman degree centralisation as igraph_centralization_degree(mode=ALL, loops=False,
    normalized=True) computes it: python-igraph 0.10 does not expose that function, so its
    documented theoretical maximum is applied here to igraph's degrees."""
    n = g.vcount()
    d = g.degree(mode='all', loops=False)
    if n == 0:
        return float('nan')
    tmax = 2 * (n - 1) * (n - 2) if g.is_directed() else (n - 1) * (n - 2)
    total = sum(max(d) - x for x in d)
    return total / tmax if tmax > 0 else float('nan')


def cohesion_metrics(g, gx):
    n = g.vcount()
    comps = g.connected_components(mode='weak')
    density = g.density(loops=False) if n > 1 else float('nan')
    if n > 1:
        agree(density, nx.density(gx), 'density')
    reciprocity = g.reciprocity(ignore_loops=True, mode='default') if g.is_directed() else float('nan')
    if g.is_directed() and g.ecount():
        agree(reciprocity, nx.overall_reciprocity(gx), 'reciprocity')
    return {
        'density': density,
        'membership': comps.membership,
        'count': len(comps),
        'largest': max((len(c) for c in comps), default=0),
        'degreeCentralisation': centralisation(g),
        'reciprocity': reciprocity,
        'isolates': sum(1 for x in g.degree(mode='all') if x == 0),
    }


def masked(values, name):
    """The same attribute with some schools' values missing (null), deterministically."""
    salt = len(name)
    return [None if (i * 7 + salt) % 5 == 0 else v for i, v in enumerate(values)]


def induced_on_known(n, edges, directed, values):
    keep = [i for i in range(n) if values[i] is not None]
    index = {v: i for i, v in enumerate(keep)}
    sub = [(index[a], index[b], w) for a, b, w in edges if a in index and b in index]
    return len(keep), sub, [values[v] for v in keep]


def nominal(n, edges, directed, values):
    n2, sub, vals = induced_on_known(n, edges, directed, values)
    if not sub:
        return float('nan')
    codes = {c: i for i, c in enumerate(sorted(set(vals)))}
    g = igraph_of(n2, sub, directed)
    r = g.assortativity_nominal([codes[v] for v in vals], directed=directed)
    gx = networkx_of(n2, sub, directed)
    nx.set_node_attributes(gx, dict(enumerate(vals)), 'x')
    with np.errstate(all='ignore'):
        rx = nx.attribute_assortativity_coefficient(gx, 'x')
    agree(r, rx, 'nominal assortativity')
    return r


def numeric(n, edges, directed, values):
    n2, sub, vals = induced_on_known(n, edges, directed, values)
    if not sub:
        return float('nan')
    g = igraph_of(n2, sub, directed)
    r = g.assortativity(vals, directed=directed)
    gx = networkx_of(n2, sub, directed)
    nx.set_node_attributes(gx, dict(enumerate(vals)), 'x')
    with np.errstate(all='ignore'):
        rx = nx.numeric_assortativity_coefficient(gx, 'x')
    agree(r, rx, 'numeric assortativity')
    return r


def degree_assortativity(n, edges, directed):
    if not edges:
        return float('nan')
    r = igraph_of(n, edges, directed).assortativity_degree(directed=directed)
    with np.errstate(all='ignore'):
        rx = nx.degree_assortativity_coefficient(networkx_of(n, edges, directed))
    agree(r, rx, 'degree assortativity')
    return r


def assortativity_metrics(c, uedges):
    n, edges, directed, at = c['nodes'], c['simple'], c['directed'], c['attributes']
    phase_m, fsm_m = masked(at['phase'], 'phase'), masked(at['fsmBand'], 'fsmBand')
    out = {
        'masks': {'phase': phase_m, 'fsmBand': fsm_m},
        'phase': nominal(n, edges, directed, at['phase']),
        'type': nominal(n, edges, directed, at['type']),
        'la': nominal(n, edges, directed, at['la']),
        'fsmBand': numeric(n, edges, directed, at['fsmBand']),
        'grade': numeric(n, edges, directed, at['grade']),
        'degree': degree_assortativity(n, edges, directed),
        'phaseMasked': nominal(n, edges, directed, phase_m),
        'fsmBandMasked': numeric(n, edges, directed, fsm_m),
        'singleCategory': nominal(n, edges, directed, ['primary'] * n),
    }
    if directed:
        out['undirected'] = {
            'phase': nominal(n, uedges, False, at['phase']),
            'fsmBand': numeric(n, uedges, False, at['fsmBand']),
            'degree': degree_assortativity(n, uedges, False),
        }
    return out


def cross_share(edges, values):
    ties = cross = weight = cross_weight = 0.0
    for a, b, w in edges:
        if values[a] is None or values[b] is None:
            continue
        ties += 1
        weight += w
        if values[a] != values[b]:
            cross += 1
            cross_weight += w
    return {
        'ties': ties, 'crossTies': cross, 'crossShare': cross / ties if ties else float('nan'),
        'weight': weight, 'crossWeight': cross_weight, 'crossWeightShare': cross_weight / weight if weight else float('nan'),
    }


def geography(edges, lat, lon):
    known = [(a, b, w) for a, b, w in edges if lat[a] is not None and lat[b] is not None and lon[a] is not None and lon[b] is not None]
    distances = [None] * len(edges)
    if known:
        a = np.array([e[0] for e in known])
        b = np.array([e[1] for e in known])
        w = np.array([e[2] for e in known])
        la = np.radians(np.array([lat[i] if lat[i] is not None else np.nan for i in range(len(lat))], dtype=float))
        lo = np.radians(np.array([lon[i] if lon[i] is not None else np.nan for i in range(len(lon))], dtype=float))
        h = np.sin((la[b] - la[a]) / 2) ** 2 + np.cos(la[a]) * np.cos(la[b]) * np.sin((lo[b] - lo[a]) / 2) ** 2
        d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h))
        stats = {
            'count': len(known), 'mean': float(np.mean(d)), 'median': float(np.median(d)),
            'p90': float(np.percentile(d, 90)), 'weightedMean': float(np.sum(w * d) / np.sum(w)),
        }
        it = iter(d)
        for i, (x, y, _) in enumerate(edges):
            if lat[x] is not None and lat[y] is not None and lon[x] is not None and lon[y] is not None:
                distances[i] = float(next(it))
    else:
        stats = {'count': 0, 'mean': float('nan'), 'median': float('nan'), 'p90': float('nan'), 'weightedMean': float('nan')}
    return {**stats, 'distances': distances}


def edge_classes(edges):
    """A class code per merged edge (0 strong, 1 weak, 2 dormant in Trellis), made up for the test."""
    return [(a * 3 + b * 5 + int(w * 4)) % 3 for a, b, w in edges]


def class_shares(edges, codes, classes=3):
    counts = np.zeros(classes)
    weights = np.zeros(classes)
    for (_, _, w), k in zip(edges, codes):
        counts[k] += 1
        weights[k] += w
    total, total_w = counts.sum(), weights.sum()
    return {
        'counts': counts, 'weights': weights,
        'shares': counts / total if total else [float('nan')] * classes,
        'weightShares': weights / total_w if total_w else [float('nan')] * classes,
    }


def mixing_metrics(c):
    edges, at = c['simple'], c['attributes']
    lat_m = masked(at['lat'], 'lat')
    codes = edge_classes(edges)
    return {
        'phase': cross_share(edges, at['phase']),
        'phaseMasked': cross_share(edges, masked(at['phase'], 'phase')),
        'geography': geography(edges, at['lat'], at['lon']),
        'latMasked': lat_m,
        'geographyMasked': geography(edges, lat_m, at['lon']),
        'edgeClass': codes,
        'classShares': class_shares(edges, codes),
    }


def case_metrics(c):
    n, directed = c['nodes'], c['directed']
    g = igraph_of(n, c['simple'], directed)
    gx = networkx_of(n, c['simple'], directed)
    uedges = undirected_edges(c)
    u = igraph_of(n, uedges, False)
    ux = networkx_of(n, uedges, False)
    check_eigenvector_is_unique(u, True)
    check_eigenvector_is_unique(u, False)
    core = u.coreness(mode='all')
    cx = nx.core_number(ux)
    agree(core, [cx[v] for v in range(n)], 'coreness')
    return {
        'degree': degree_metrics(g),
        'eigenvector': {
            'weighted': u.eigenvector_centrality(scale=True, weights='weight'),
            'unweighted': u.eigenvector_centrality(scale=True),
        },
        'pagerank': pagerank_metrics(g, gx),
        'clustering': clustering_metrics(u, ux),
        'brokerage': brokerage_metrics(u, ux),
        'coreness': core,
        'cohesion': cohesion_metrics(g, gx),
        'assortativity': assortativity_metrics(c, uedges),
        'mixing': mixing_metrics(c),
    }


def main():
    cases = load_cases()
    out = {
        'libraries': {
            'igraph': ig.__version__, 'networkx': nx.__version__, 'numpy': np.__version__,
            'degree': 'igraph degree/strength', 'eigenvector': 'igraph eigenvector_centrality(scale=True), undirected view',
            'pagerank': 'igraph pagerank (PRPACK), checked against networkx pagerank',
            'clustering': 'igraph transitivity_local_undirected(mode="zero") and Barrat weights, transitivity_undirected, transitivity_avglocal_undirected; checked against networkx',
            'constraint': 'igraph constraint', 'effectiveSize': 'networkx effective_size',
            'coreness': 'igraph coreness(mode="all"), checked against networkx core_number',
            'cohesion': 'igraph density, connected_components(weak), reciprocity; Freeman degree centralisation from igraph degrees and igraph_centralization_degree_tmax',
            'assortativity': 'igraph assortativity_nominal/assortativity/assortativity_degree on the subgraph of nodes with a value, checked against networkx',
            'mixing': 'numpy (haversine R = 6371.0088 km, numpy median and linear percentile)',
        },
        'cases': {c['name']: case_metrics(c) for c in cases},
    }
    with open(OUT, 'w') as f:
        json.dump(clean(out), f)
    print(f'wrote {len(cases)} cases to {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
