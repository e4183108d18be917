"""Reference values for analytics/stats, written to test/fixtures/stats/*.json.

Run with Debian's interpreter: /usr/bin/python3 test/reference/stats_reference.py
(statsmodels 0.13.5, numpy, scipy). Datasets are seeded, so the fixtures are reproducible.
"""
import json
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stats')
VERSIONS = {'statsmodels': statsmodels.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__}


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump({'generator': 'test/reference/stats_reference.py', 'versions': VERSIONS, **payload}, f, indent=1)


def cluster_ids(rng, sizes):
    ids = np.concatenate([np.full(s, g) for g, s in enumerate(sizes)])
    return ids


def ols_case(name, n_sizes, k, seed, offset=0.0):
    rng = np.random.default_rng(seed)
    groups = cluster_ids(rng, n_sizes)
    n = len(groups)
    x = rng.normal(size=(n, k - 1))
    x[:, -1] += offset  # a large offset (e.g. a year or a raw score) makes X ill-conditioned
    x[:, 0] += 0.5 * rng.normal(size=len(n_sizes))[groups]  # cluster-level component
    X = np.column_stack([np.ones(n), x])
    cond = float(np.linalg.cond(X))
    beta = np.arange(1, k + 1) / 2.0
    u = rng.normal(size=len(n_sizes))[groups]
    y = X @ beta + u + rng.normal(size=n) * (1 + np.abs(x[:, 0]))  # heteroskedastic
    model = sm.OLS(y, X)
    fits = {
        'nonrobust': model.fit(),
        'hc1': model.fit(cov_type='HC1'),
        'cluster': model.fit(cov_type='cluster', cov_kwds={'groups': groups}),
    }
    out = {'name': name, 'condition': cond, 'n': n, 'k': k, 'X': X.T.tolist(), 'y': y.tolist(), 'clusters': groups.tolist()}
    base = fits['nonrobust']
    out['params'] = base.params.tolist()
    out['rsquared'] = float(base.rsquared)
    out['fitted'] = base.fittedvalues.tolist()
    out['resid'] = base.resid.tolist()
    for key, fit in fits.items():
        out[key] = {'bse': fit.bse.tolist(), 'tvalues': fit.tvalues.tolist(), 'pvalues': fit.pvalues.tolist()}
    # statsmodels' cluster p-values use t with G-1 df (use_t default for cluster is the normal
    # unless use_t=True): record both so the convention is explicit.
    ct = model.fit(cov_type='cluster', cov_kwds={'groups': groups}, use_t=True)
    out['cluster_t'] = {'pvalues': ct.pvalues.tolist(), 'df': float(ct.df_resid_inference) if hasattr(ct, 'df_resid_inference') and ct.df_resid_inference is not None else None}
    return out


def logit_case(name, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    X = np.column_stack([np.ones(n), x])
    eta = X @ np.array([-0.3, 0.8, -0.5])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    fit = sm.Logit(y, X).fit(disp=0, tol=1e-12, maxiter=100)
    return {'name': name, 'n': n, 'k': 3, 'X': X.T.tolist(), 'y': y.tolist(), 'params': fit.params.tolist(),
            'bse': fit.bse.tolist(), 'zvalues': fit.tvalues.tolist(), 'pvalues': fit.pvalues.tolist(),
            'llf': float(fit.llf)}


def separated_case(seed):
    """Completely separated by x1 + x2 > 0: statsmodels refuses to fit (no finite MLE)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(40, 2))
    X = np.column_stack([np.ones(40), x])
    y = (x[:, 0] + x[:, 1] > 0).astype(float)
    try:
        sm.Logit(y, X).fit(disp=0)
        outcome = 'fitted'
    except Exception as error:  # PerfectSeparationError in statsmodels 0.13
        outcome = type(error).__name__
    return {'name': 'complete-separation', 'n': 40, 'k': 3, 'X': X.T.tolist(), 'y': y.tolist(), 'statsmodels': outcome}


def welch_case(name, a, b):
    res = stats.ttest_ind(a, b, equal_var=False)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    diff = np.mean(a) - np.mean(b)
    half = stats.t.ppf(0.975, df) * np.sqrt(va + vb)
    # Hedges' g: Cohen's d on the pooled SD times J = 1 - 3/(4(n1+n2)-9); variance
    # (n1+n2)/(n1 n2) + g^2/(2(n1+n2)) (Hedges & Olkin 1985; Borenstein et al. 2009, eq. 4.20, 4.28).
    n1, n2 = len(a), len(b)
    sp = np.sqrt(((n1 - 1) * np.var(a, ddof=1) + (n2 - 1) * np.var(b, ddof=1)) / (n1 + n2 - 2))
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    g = j * diff / sp
    vg = (n1 + n2) / (n1 * n2) + g ** 2 / (2 * (n1 + n2))
    z = stats.norm.ppf(0.975)
    return {'name': name, 'a': list(map(float, a)), 'b': list(map(float, b)), 'statistic': float(res.statistic),
            'pvalue': float(res.pvalue), 'df': float(df), 'diff': float(diff), 'ci': [float(diff - half), float(diff + half)],
            'hedgesG': float(g), 'hedgesSe': float(np.sqrt(vg)), 'hedgesCi': [float(g - z * np.sqrt(vg)), float(g + z * np.sqrt(vg))]}


def main():
    write('ols', {'note': 'statsmodels OLS: nonrobust, HC1, cluster (default correction G/(G-1)*(N-1)/(N-K), normal p-values); X is column-major (list of columns)',
                  'cases': [ols_case('unbalanced-singleton', [1, 3, 7, 12, 2, 9, 5, 15, 4, 6], 3, 11),
                            ols_case('many-clusters', [int(s) for s in np.random.default_rng(5).integers(1, 25, size=30)], 5, 12),
                            ols_case('ill-conditioned-offset', [8, 1, 5, 11, 3, 7, 2, 9], 3, 13, offset=2000.0)]})
    write('logit', {'note': 'statsmodels Logit (Newton), SEs from the inverse Hessian; z and normal p-values',
                    'cases': [logit_case('moderate', 150, 21), logit_case('larger', 600, 22)],
                    'separated': [separated_case(23)]})
    rng = np.random.default_rng(31)
    write('welch', {'note': 'scipy.stats.ttest_ind(equal_var=False); CI with the Welch-Satterthwaite df; Hedges g (Borenstein et al. 2009)',
                    'cases': [welch_case('unequal', rng.normal(0, 1, 12), rng.normal(0.6, 2.5, 30)),
                              welch_case('small', rng.normal(10, 3, 5), rng.normal(8, 1, 7))]})
    pv = [
        [0.01, 0.04, 0.03, 0.005, 0.2],
        list(map(float, np.random.default_rng(41).uniform(0, 0.1, 12))),
        [0.5, 0.5, 0.001, 0.9],
    ]
    write('holm', {'note': 'statsmodels.stats.multitest.multipletests(method="holm")',
                   'cases': [{'p': p, 'adjusted': multipletests(p, method='holm')[1].tolist()} for p in pv]})


if __name__ == '__main__':
    main()
