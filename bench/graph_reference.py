"""The igraph and networkx side of bench/graph.ts: the same metrics on the same graphs, timed.

Run by bench/graph.ts with Debian's python (`/usr/bin/python3 bench/graph_reference.py
MANIFEST`); not meant to be run by hand, but it can be, on a manifest an earlier bench run left in
bench/.out/graph/. The manifest names each graph's edge list (`source<TAB>target<TAB>weight`, one
undirected tie per line, already simplified by Trellis's policy: no loops, no duplicates) and node
file (`la<TAB>phase` category codes, -1 = unknown). Weight = tie strength; path metrics use
distance = 1 / weight, as Trellis does.

Only the metric call is timed: building the graphs, attribute lists and community lists is not.
BLAS is held to one thread (set before numpy loads) so that every library runs on one core, as
Trellis's metrics do; only Trellis's "2 workers" row uses both.

What it writes (MANIFEST's `results`): per graph and metric, for igraph and for networkx, one
cell {status, ms, runs, note, value}. status is
- 'ran': `runs` holds every run in ms, `ms` their median;
- 'estimated': exact all-sources metrics that would take too long, timed on a seeded sample of
  `sources` sources and scaled by nodes / sources (a search per source, so the cost is linear in
  the number of sources); `ms` is the estimate;
- 'skipped': networkx metrics whose time, predicted from the previous, smaller graph, exceeds the
  budget (`ms` is the prediction), and igraph's exact betweenness where it would take minutes;
- 'stopped': a networkx run stopped at the budget (`ms`), so it takes longer;
- 'none': the library has no such metric.
Values that bench/graph.ts checks Trellis against go to files beside the results
(`<graph>.<name>.f64`, little-endian float64, one per node) or into `value` (scalars).
"""
import os

# Before numpy loads: one BLAS thread (see above).
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[variable] = '1'

import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from array import array  # noqa: E402

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402

# How the networkx time of a metric grows with the graph, to predict it on the next graph from
# the last one measured (size = nodes + ties): linear passes 1, triangle and neighbourhood-overlap work ~m^1.4
# (hubs), Louvain a little above linear.
GROWTH = {'clustering': 1.4, 'brokerage': 1.4, 'louvain': 1.2}


class Overrun(Exception):
    pass


def _alarm(signum, frame):
    raise Overrun()


signal.signal(signal.SIGALRM, _alarm)


def median_ms(runs):
    return statistics.median(runs) if runs else None


def timed(fn, repeat_below_s=1.0, max_runs=5, limit_s=None):
    """Runs fn until the runs add up to repeat_below_s (at most max_runs); returns (value, wall ms per run, CPU ms per run)."""
    runs = []
    cpu = []
    value = None
    for _ in range(max_runs):
        if limit_s:
            signal.setitimer(signal.ITIMER_REAL, limit_s)
        try:
            start = time.perf_counter()
            start_cpu = time.process_time()
            value = fn()
            runs.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        finally:
            if limit_s:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if sum(runs) >= repeat_below_s * 1000:
            break
    return value, runs, cpu


def cell(status, ms=None, runs=None, note='', value=None, sources=None, cpu=None):
    c = {'status': status, 'ms': ms, 'note': note}
    if cpu is not None:
        # CPU time of this process, and the machine's 1-minute load when the runs ended: other
        # work on the machine shows as wall time well above CPU time and a load above the cores.
        c['cpuMs'] = cpu
        c['load'] = os.getloadavg()[0]
    if runs is not None:
        c['runs'] = runs
    if value is not None and not (isinstance(value, float) and math.isnan(value)):
        c['value'] = value
    if sources is not None:
        c['sources'] = sources
    return c


def write_values(out, key, name, values):
    data = array('d', (float('nan') if v is None else float(v) for v in values))
    if sys.byteorder != 'little':
        data.byteswap()
    with open(os.path.join(out, f'{key}.{name}.f64'), 'wb') as f:
        data.tofile(f)


def load(spec):
    n = spec['nodes']
    edges = np.loadtxt(spec['edgeFile'], delimiter='\t', ndmin=2, dtype=np.float64)
    if edges.size == 0:
        edges = np.zeros((0, 3))
    source = edges[:, 0].astype(np.int64)
    target = edges[:, 1].astype(np.int64)
    weight = edges[:, 2]
    nodes = np.loadtxt(spec['nodeFile'], delimiter='\t', ndmin=2, dtype=np.int64)
    return n, source, target, weight, nodes[:, 0], nodes[:, 1]


def sample_of(n, count, seed):
    return sorted(random.Random(seed).sample(range(n), min(n, count)))


def per_source(run_on, n, budget_s, seed):
    """Times run_on(sources) on a growing seeded sample until it takes about budget_s; returns (ms per source, sources)."""
    count = 2
    while True:
        sources = sample_of(n, count, seed)
        start = time.perf_counter()
        run_on(sources)
        seconds = time.perf_counter() - start
        if seconds >= budget_s / 4 or count >= n:
            return seconds * 1000 / len(sources), len(sources)
        count = min(n, max(count * 2, int(count * budget_s / max(seconds, 1e-3) / 2)))


class Predictor:
    """networkx times seen so far, per metric, to predict the next graph's from its size (see GROWTH)."""

    def __init__(self):
        self.seen = {}

    def predict(self, metric, size):
        if metric not in self.seen:
            return None
        size0, ms0 = self.seen[metric]
        return ms0 * (max(size, 1) / max(size0, 1)) ** GROWTH.get(metric, 1.0)

    def record(self, metric, size, ms):
        self.seen[metric] = (size, ms)


def reference(spec, manifest, predictor):
    key = spec['key']
    out = manifest['out']
    budget_s = manifest['budgetSeconds']
    sample_s = manifest['sampleSeconds']
    n, source, target, weight, la, phase = load(spec)
    m = len(source)
    distance = (1.0 / weight).tolist()
    weights = weight.tolist()
    pairs = list(zip(source.tolist(), target.tolist()))
    g = ig.Graph(n=n, edges=pairs, directed=False)
    g.es['weight'] = weights
    g.es['distance'] = distance
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from((a, b, {'weight': w, 'distance': d}) for (a, b), w, d in zip(pairs, weights, distance))
    la_list = la.tolist()
    phase_list = phase.tolist()
    # Modularity groups: an unknown local authority is a group of its own, as in bench/graph.ts.
    la_group = [c if c >= 0 else max(la_list) + 1 for c in la_list]
    results = {}

    def igraph_metric(name, fn, note=''):
        value, runs, cpu = timed(fn)
        results.setdefault(name, {})['igraph'] = cell('ran', median_ms(runs), runs, note, cpu=median_ms(cpu))
        return value

    def networkx_metric(name, fn, note=''):
        predicted = predictor.predict(name, n + m)
        if predicted is not None and predicted > budget_s * 1000:
            results.setdefault(name, {})['networkx'] = cell('skipped', predicted, note=f'est. {predicted / 1000:.0f} s from the previous graph, over the {budget_s:.0f} s budget')
            return None
        limit = budget_s
        try:
            value, runs, _ = timed(fn, limit_s=limit)
        except Overrun:
            predictor.record(name, n + m, limit * 1000)
            results.setdefault(name, {})['networkx'] = cell('stopped', limit * 1000, note=f'stopped at the {limit:.0f} s budget')
            return None
        predictor.record(name, n + m, median_ms(runs))
        results.setdefault(name, {})['networkx'] = cell('ran', median_ms(runs), runs, note)
        return value

    def none(name, library, note):
        results.setdefault(name, {})[library] = cell('none', note=note)

    # Degree and strength.
    strength = igraph_metric('degree', lambda: (g.degree(), g.strength(weights='weight')))[1]
    write_values(out, key, 'strength', strength)
    networkx_metric('degree', lambda: (dict(G.degree()), dict(G.degree(weight='weight'))))

    # Eigenvector centrality, weighted, max = 1.
    if m > 0:
        ev, eigenvalue = igraph_metric('eigenvector', lambda: g.eigenvector_centrality(directed=False, scale=True, weights='weight', return_eigenvalue=True), 'ARPACK')
        write_values(out, key, 'eigenvector', ev)
        results['eigenvector']['igraph']['value'] = eigenvalue
        networkx_metric('eigenvector', lambda: nx.eigenvector_centrality_numpy(G, weight='weight'), 'eigenvector_centrality_numpy (ARPACK via scipy)')

    # PageRank, weighted, d = 0.85.
    pr = igraph_metric('pagerank', lambda: g.pagerank(damping=0.85, weights='weight', directed=False), 'PRPACK')
    write_values(out, key, 'pagerank', pr)
    # networkx stops when the L1 change is below n · tol: tol = 1e-13 / n is Trellis's L1 < 1e-13.
    networkx_metric('pagerank', lambda: nx.pagerank(G, alpha=0.85, weight='weight', tol=1e-13 / max(n, 1), max_iter=100000), 'power iteration to the same L1 change (1e-13) as Trellis')

    # Clustering: unweighted local, Barrat weighted local, transitivity.
    local, barrat, transitivity = igraph_metric(
        'clustering',
        lambda: (g.transitivity_local_undirected(mode='zero'), g.transitivity_local_undirected(mode='zero', weights='weight'), g.transitivity_undirected()),
        'local, Barrat weighted local, transitivity: three calls',
    )
    write_values(out, key, 'local', local)
    write_values(out, key, 'barrat', barrat)
    results['clustering']['igraph']['value'] = transitivity if not math.isnan(transitivity) else None
    networkx_metric('clustering', lambda: (nx.clustering(G), nx.transitivity(G)), 'unweighted local and transitivity only (its weighted clustering is Onnela\'s, not Barrat\'s)')

    # Burt: constraint (igraph), constraint and effective size (networkx).
    constraint = igraph_metric('brokerage', lambda: g.constraint(weights='weight'), 'constraint only: igraph has no effective size')
    write_values(out, key, 'constraint', constraint)
    networkx_metric('brokerage', lambda: (nx.constraint(G, weight='weight'), nx.effective_size(G, weight='weight')), 'constraint and effective size')

    # k-core.
    coreness = igraph_metric('kcore', lambda: g.coreness())
    write_values(out, key, 'coreness', coreness)
    networkx_metric('kcore', lambda: nx.core_number(G))

    # Cohesion: density, components, Freeman degree centralisation, isolates.
    def centralisation(degrees):
        if n < 3:
            return None
        top = max(degrees)
        return (top * n - sum(degrees)) / ((n - 1) * (n - 2))

    def igraph_cohesion():
        degrees = g.degree()
        parts = g.connected_components()
        return g.density(), len(parts), max(parts.sizes()), centralisation(degrees), degrees.count(0)

    cohesion = igraph_metric('cohesion', igraph_cohesion, 'density, components, centralisation (from the degree list), isolates')
    results['cohesion']['igraph']['value'] = cohesion[1]

    def networkx_cohesion():
        degrees = [d for _, d in G.degree()]
        parts = list(nx.connected_components(G))
        return nx.density(G), len(parts), max(map(len, parts)), centralisation(degrees), nx.number_of_isolates(G)

    networkx_metric('cohesion', networkx_cohesion, 'the same')

    # Assortativity: degree, nominal by local authority and by phase (schools with an unknown
    # category left out with their ties: the induced subgraph, built untimed).
    def known(codes):
        keep = [v for v in range(n) if codes[v] >= 0]
        if len(keep) == n:
            return g, G, codes
        return g.induced_subgraph(keep), G.subgraph(keep), [codes[v] for v in keep]

    g_la, G_la, la_known = known(la_list)
    g_ph, G_ph, phase_known = known(phase_list)
    nx.set_node_attributes(G, dict(enumerate(la_list)), 'la')
    nx.set_node_attributes(G, dict(enumerate(phase_list)), 'phase')
    if m > 0:
        values = igraph_metric(
            'assortativity',
            lambda: (g.assortativity_degree(directed=False), g_la.assortativity_nominal(la_known, directed=False), g_ph.assortativity_nominal(phase_known, directed=False)),
            'degree, nominal by LA, nominal by phase',
        )
        results['assortativity']['igraph']['value'] = list(values)
        networkx_metric(
            'assortativity',
            lambda: (nx.degree_assortativity_coefficient(G), nx.attribute_assortativity_coefficient(G_la, 'la'), nx.attribute_assortativity_coefficient(G_ph, 'phase')),
            'the same',
        )

    none('mixing', 'igraph', 'no cross-category share or tie geography')
    none('mixing', 'networkx', 'no cross-category share or tie geography')

    # Modularity of the local-authority partition.
    if m > 0:
        q_la = igraph_metric('modularity', lambda: g.modularity(la_group, weights='weight'))
        results['modularity']['igraph']['value'] = q_la
        groups = {}
        for v, c in enumerate(la_group):
            groups.setdefault(c, set()).add(v)
        communities = list(groups.values())
        networkx_metric('modularity', lambda: nx.community.modularity(G, communities, weight='weight'))

        # Louvain; the modularity reached is computed afterwards, untimed.
        found = igraph_metric('louvain', lambda: g.community_multilevel(weights='weight'), 'community_multilevel')
        results['louvain']['igraph']['value'] = g.modularity(found.membership, weights='weight')
        parts = networkx_metric('louvain', lambda: nx.community.louvain_communities(G, weight='weight', seed=1), 'louvain_communities')
        if parts is not None:
            results['louvain']['networkx']['value'] = nx.community.modularity(G, parts, weight='weight')

        found = igraph_metric('leiden', lambda: g.community_leiden(objective_function='modularity', weights='weight', beta=0.01, n_iterations=2), 'community_leiden, modularity, 2 iterations')
        results['leiden']['igraph']['value'] = g.modularity(found.membership, weights='weight')
    none('leiden', 'networkx', f'networkx {nx.__version__} has no Leiden')
    none('coreperiphery', 'igraph', 'no Borgatti–Everett core–periphery')
    none('coreperiphery', 'networkx', 'no Borgatti–Everett core–periphery')

    # Closeness, harmonic centrality and average path length: exact, every source (Trellis
    # samples them interactively; the exact values come from its exact pass).
    for variant, w in (('unweighted', None), ('weighted', 'distance')):
        name = f'closeness-{variant}'
        if spec['closenessExact']:
            def all_three(w=w):
                return (g.closeness(weights=w, normalized=True), g.harmonic_centrality(weights=w, normalized=False), g.average_path_length(directed=False, unconn=True, weights=w))

            closeness, harmonic, apl = igraph_metric(name, all_three, 'exact closeness, harmonic and average path length: three all-source passes')
            write_values(out, key, f'closeness-{variant}', closeness)
            write_values(out, key, f'harmonic-{variant}', harmonic)
            results[name]['igraph']['value'] = apl
        else:
            per, count = per_source(lambda s, w=w: (g.closeness(vertices=s, weights=w), g.harmonic_centrality(vertices=s, weights=w)), n, sample_s, 7)
            # average_path_length has no source subset: it is one more pass of the same searches.
            estimate = per * n * 3 / 2
            results.setdefault(name, {})['igraph'] = cell('estimated', estimate, note=f'exact closeness + harmonic + average path length: {count} sources timed, scaled to {n:,}', sources=count)
        # networkx: its all-source passes are always too slow here; sampled sources, scaled.
        def networkx_sources(s, w=w):
            for v in s:
                nx.closeness_centrality(G, u=v, distance=w)
            nx.harmonic_centrality(G, distance=w, sources=s)

        per, count = per_source(networkx_sources, n, sample_s, 7)
        results.setdefault(name, {})['networkx'] = cell('estimated', per * n * 3 / 2, note=f'exact closeness + harmonic + average path length: {count} sources timed, scaled to {n:,}', sources=count)

    none('betweenness-sampled-unweighted', 'igraph', 'no sampled estimate with an error bound')
    none('betweenness-sampled-weighted', 'igraph', 'no sampled estimate with an error bound')
    none('betweenness-sampled-unweighted', 'networkx', 'its k-source sampling has no uniform error bound')
    none('betweenness-sampled-weighted', 'networkx', 'its k-source sampling has no uniform error bound')

    # Exact betweenness, single-threaded.
    for variant, w in (('unweighted', None), ('weighted', 'distance')):
        name = f'betweenness-{variant}'
        if spec['igraphBetweenness'][variant]:
            values = igraph_metric(name, lambda w=w: g.betweenness(directed=False, weights=w), 'betweenness(), one thread')
            write_values(out, key, name, values)
        else:
            results.setdefault(name, {})['igraph'] = cell('skipped', note=spec['igraphBetweennessNote'])
        per, count = per_source(lambda s, w=w: nx.betweenness_centrality(G, k=len(s), normalized=False, weight=w, seed=len(s)), n, sample_s, 7)
        results.setdefault(name, {})['networkx'] = cell('estimated', per * n, note=f'{count} sources timed (betweenness_centrality k={count}), scaled to {n:,}', sources=count)
    return results


def main():
    manifest_file = sys.argv[1]
    with open(manifest_file) as f:
        manifest = json.load(f)
    predictor = Predictor()
    graphs = {}
    # Smallest first, so that each networkx prediction comes from the graph just below.
    for spec in sorted(manifest['graphs'], key=lambda s: s['edges']):
        started = time.perf_counter()
        print(f'  python: {spec["key"]} ({spec["nodes"]:,} nodes, {spec["edges"]:,} ties)', flush=True)
        graphs[spec['key']] = reference(spec, manifest, predictor)
        print(f'  python: {spec["key"]} done in {time.perf_counter() - started:.0f} s', flush=True)
    versions = {'python': sys.version.split()[0], 'igraph': ig.__version__, 'networkx': nx.__version__, 'numpy': np.__version__, 'scipy': scipy.__version__}
    with open(manifest['results'], 'w') as f:
        json.dump({'versions': versions, 'graphs': graphs}, f)


if __name__ == '__main__':
    main()
