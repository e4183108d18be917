"""Reference values for analytics/benchmarking, written to test/fixtures/benchmarking/*.json.

Run with Debian's interpreter: /usr/bin/python3 test/reference/benchmarking_reference.py
(statsmodels 0.13.5, scipy, numpy). Datasets are seeded, so the fixtures are reproducible.
Missing values are written as null (JSON has no NaN); the tests read null as NaN.

- similar_schools.json: z-scores within phase (numpy, ddof=1) and the weighted, missing-rescaled
  Euclidean distance written out with numpy; with unit weights it is R's dist() for NA
  (checked by hand: dist(rbind(c(1,2,NA,4), c(2,NA,1,0))) = sqrt(17 * 4/2)).
- against_the_odds.json: statsmodels OLS (HC1 and classical), OLSInfluence
  resid_studentized_internal, numpy quantiles (linear = Hyndman & Fan 7).
- variation.json: scipy.stats.f_oneway, scipy.stats.f.sf (exact p), scipy.stats.chi2.sf (the
  large-sample p), the Snijders & Bosker ANOVA ICC; numpy for the school-level summary.
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'benchmarking')
VERSIONS = {'statsmodels': statsmodels.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__}


def clean(value):
    """NaN -> None, numpy scalars and arrays -> plain Python, recursively."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if math.isnan(f) else f
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(clean({'generator': 'test/reference/benchmarking_reference.py', 'versions': VERSIONS, **payload}), f, indent=1, allow_nan=False)


# ---------------------------------------------------------------- similar schools

def similar_case(name, seed, k, weights, exclude_count):
    rng = np.random.default_rng(seed)
    n_primary, n_secondary, n_unknown = 50, 30, 2
    n = n_primary + n_secondary + n_unknown
    ids = rng.choice(np.arange(100000, 999999), size=n, replace=False)
    phases = ['primary'] * n_primary + ['secondary'] * n_secondary + [None] * n_unknown
    order = rng.permutation(n)
    ids = ids[order]
    phases = [phases[i] for i in order]
    is_sec = np.array([p == 'secondary' for p in phases])
    roll = np.where(is_sec, rng.normal(950, 250, n), rng.normal(260, 90, n)).clip(20)
    fsm = rng.beta(2, 6, n) * 100
    sen = rng.beta(2, 12, n) * 100
    eal = rng.beta(1, 5, n) * 100
    prior = np.where(is_sec, rng.normal(105, 3, n), rng.normal(17, 1.5, n))
    urban = (rng.uniform(size=n) < 0.7).astype(float)
    X = np.column_stack([roll, fsm, sen, eal, prior, urban])
    p = X.shape[1]
    X[rng.uniform(size=X.shape) < 0.08] = np.nan
    # Three schools with most features missing (fewer than half): never matched.
    for row in rng.choice(np.where(~is_sec & np.array([p_ is not None for p_ in phases]))[0], size=3, replace=False):
        X[row, :4] = np.nan
    w = np.asarray(weights, dtype=float)

    labels = []
    for ph in phases:
        if ph is not None and ph not in labels:
            labels.append(ph)
    means = np.full((len(labels), p), np.nan)
    sds = np.full((len(labels), p), np.nan)
    usable = np.zeros((len(labels), p), dtype=bool)
    Z = np.full(X.shape, np.nan)
    for g, ph in enumerate(labels):
        rows = np.array([q == ph for q in phases])
        for j in range(p):
            v = X[rows, j]
            v = v[~np.isnan(v)]
            if len(v) > 0:
                means[g, j] = v.mean()
            if len(v) >= 2:
                sds[g, j] = v.std(ddof=1)
            usable[g, j] = w[j] > 0 and len(v) >= 2 and sds[g, j] > 0
            if usable[g, j]:
                Z[rows, j] = (X[rows, j] - means[g, j]) / sds[g, j]

    status = []
    for i in range(n):
        if phases[i] is None:
            status.append('no-phase')
            continue
        g = labels.index(phases[i])
        have = int(np.sum(~np.isnan(Z[i]) & usable[g]))
        status.append('too-few-features' if 2 * have < int(usable[g].sum()) else 'matched')

    exclude = [int(v) for v in rng.choice(ids, size=exclude_count, replace=False)]
    results = []
    for a in range(n):
        out = {'id': int(ids[a]), 'status': status[a]}
        if status[a] != 'matched':
            out.update({'ids': [], 'distances': [], 'contributions': []})
            results.append(out)
            continue
        g = labels.index(phases[a])
        W = float(w[usable[g]].sum())
        cands = []
        for b in range(n):
            if b == a or status[b] != 'matched' or phases[b] != phases[a] or int(ids[b]) in exclude:
                continue
            diff = Z[b] - Z[a]
            mask = ~np.isnan(diff)
            wp = float(w[mask].sum())
            if wp == 0:
                continue
            contrib = np.where(mask, w * diff ** 2 * W / wp, np.nan)
            cands.append((math.sqrt(float(np.nansum(w * diff ** 2)) * W / wp), int(ids[b]), contrib, diff))
        cands.sort(key=lambda c: (c[0], c[1]))
        top = cands[:k]
        out.update({'compared': len(cands), 'ids': [c[1] for c in top], 'distances': [c[0] for c in top],
                    'contributions': [c[2] for c in top], 'differences': [c[3] for c in top]})
        results.append(out)
    return {'name': name, 'k': k, 'ids': ids, 'phases': phases,
            'featureNames': ['roll', 'fsmPct', 'senPct', 'ealPct', 'priorAttainment', 'urban'],
            'features': X, 'weights': w, 'exclude': exclude, 'phaseLabels': labels, 'means': means, 'sds': sds,
            'z': Z, 'status': status, 'results': results}


# ---------------------------------------------------------------- against the odds

def quartile_groups(values, cuts):
    """1 + #{c : c < x}, bins closed on the right; 0 for missing."""
    return [0 if np.isnan(v) else int(np.searchsorted(cuts, v, side='left')) + 1 for v in values]


def odds_case(name, seed, n, integer_attainment=False):
    rng = np.random.default_rng(seed)
    ids = rng.choice(np.arange(100000, 999999), size=n, replace=False)
    fsm = rng.beta(2, 5, n) * 70
    sen = rng.beta(2, 12, n) * 100
    eal = rng.beta(1, 4, n) * 100
    prior = rng.normal(105, 3, n)
    y = 30 - 0.25 * fsm - 0.1 * sen + 0.03 * eal + 1.2 * (prior - 105) + rng.normal(size=n) * (2 + fsm / 20)
    if integer_attainment:
        y = np.round(y)  # ties in attainment, some of them on a quartile cut
    ctx = {'fsmPct': fsm, 'senPct': sen, 'ealPct': eal, 'prior': prior}
    for key in ctx:
        ctx[key][rng.uniform(size=n) < 0.04] = np.nan
    y[rng.uniform(size=n) < 0.04] = np.nan
    names = list(ctx)
    C = np.column_stack([ctx[k] for k in names])
    ok = ~np.isnan(y) & ~np.isnan(C).any(axis=1)
    X = sm.add_constant(C[ok])
    model = sm.OLS(y[ok], X)
    fit = model.fit()
    hc1 = model.fit(cov_type='HC1')
    stud = fit.get_influence().resid_studentized_internal

    predicted = np.full(n, np.nan)
    resid = np.full(n, np.nan)
    rstd = np.full(n, np.nan)
    predicted[ok] = fit.fittedvalues
    resid[ok] = fit.resid
    rstd[ok] = stud
    att = np.where(ok, y, np.nan)
    dis = np.where(ok, ctx['fsmPct'], np.nan)
    cuts = {key: np.quantile(v[~np.isnan(v)], [0.25, 0.5, 0.75]) for key, v in
            {'attainment': att, 'predicted': predicted, 'disadvantage': dis}.items()}
    aq = quartile_groups(att, cuts['attainment'])
    pq = quartile_groups(predicted, cuts['predicted'])
    dq = quartile_groups(dis, cuts['disadvantage'])
    flag = [int(a == 4 and d == 4) for a, d in zip(aq, dq)]
    flag_source = [int(a >= 3 and (not np.isnan(v)) and v >= 35) for a, v in zip(aq, dis)]
    rows = np.where(ok)[0]
    ranking = rows[np.lexsort((ids[rows], -resid[rows]))]
    return {'name': name, 'ids': ids, 'attainment': y, 'context': [{'name': k, 'values': ctx[k]} for k in names],
            'n': int(ok.sum()), 'excluded': int((~ok).sum()), 'rsquared': fit.rsquared,
            'params': fit.params, 'hc1': {'bse': hc1.bse, 'tvalues': hc1.tvalues, 'pvalues': hc1.pvalues},
            'nonrobust': {'bse': fit.bse}, 'predicted': predicted, 'resid': resid, 'studentized': rstd,
            'cuts': cuts, 'attainmentQuartile': aq, 'predictedQuartile': pq, 'disadvantageQuartile': dq,
            'flag': flag, 'flagSource': flag_source, 'ranking': ranking}


# ---------------------------------------------------------------- variation

def anova_case(name, seed, sizes, tau, missing_rate=0.03, identical=False):
    rng = np.random.default_rng(seed)
    J = len(sizes)
    school_ids = rng.choice(np.arange(100000, 999999), size=J, replace=False)
    school = np.concatenate([np.full(s, school_ids[j]) for j, s in enumerate(sizes)])
    if identical:
        # Every school holds the same scores in a different order: equal means, SS_between = 0,
        # and the ANOVA estimate of tau^2 is negative.
        base = rng.normal(50, 10, sizes[0])
        score = np.concatenate([rng.permutation(base) for _ in sizes])
    else:
        u = rng.normal(0, tau, J)
        score = np.concatenate([100 + u[j] * 10 + rng.normal(0, 10, s) for j, s in enumerate(sizes)])
    score[rng.uniform(size=len(score)) < missing_rate] = np.nan
    perm = rng.permutation(len(score))  # pupils arrive in no particular order
    school, score = school[perm], score[perm]
    ok = ~np.isnan(score)
    ids = np.unique(school[ok])
    groups = [score[ok & (school == s)] for s in ids]
    nj = np.array([len(g) for g in groups])
    N, Jn = int(nj.sum()), len(ids)
    f_stat, f_p = stats.f_oneway(*groups)
    grand = score[ok].mean()
    ssb = float(sum(len(g) * (g.mean() - grand) ** 2 for g in groups))
    ssw = float(sum(((g - g.mean()) ** 2).sum() for g in groups))
    msb, msw = ssb / (Jn - 1), ssw / (N - Jn)
    n0 = (N - (nj ** 2).sum() / N) / (Jn - 1)
    tau2 = (msb - msw) / n0
    return {'name': name, 'school': school, 'score': score, 'pupils': N, 'missing': int((~ok).sum()), 'groups': Jn,
            'ids': ids, 'n': nj, 'mean': [g.mean() for g in groups],
            'sd': [g.std(ddof=1) if len(g) > 1 else np.nan for g in groups],
            'grandMean': grand, 'ssBetween': ssb, 'ssWithin': ssw, 'msBetween': msb, 'msWithin': msw,
            'f': float(f_stat), 'fP': float(f_p), 'fSf': float(stats.f.sf(f_stat, Jn - 1, N - Jn)),
            'chi2P': float(stats.chi2.sf((Jn - 1) * f_stat, Jn - 1)), 'n0': n0, 'tauSquaredRaw': tau2,
            'icc': max(tau2, 0) / (max(tau2, 0) + msw), 'iccRaw': tau2 / (tau2 + msw)}


def describe_case(name, seed, n):
    rng = np.random.default_rng(seed)
    ids = rng.choice(np.arange(100000, 999999), size=n, replace=False)
    v = np.round(rng.normal(60, 12, n), 1)
    v[rng.uniform(size=n) < 0.1] = np.nan
    top = np.nanmax(v)
    tie = np.where(np.isnan(v))[0][0]
    v[tie] = top  # two schools share the highest value: the lower id is reported
    ok = ~np.isnan(v)
    x = v[ok]
    q1, med, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    min_id = int(ids[ok][x == x.min()].min())
    max_id = int(ids[ok][x == x.max()].min())
    return {'name': name, 'ids': ids, 'values': v, 'n': int(ok.sum()), 'missing': int((~ok).sum()), 'mean': x.mean(),
            'sd': x.std(ddof=1), 'min': x.min(), 'q1': q1, 'median': med, 'q3': q3, 'max': x.max(),
            'range': x.max() - x.min(), 'iqr': q3 - q1, 'minId': min_id, 'maxId': max_id}


def main():
    write('similar_schools', {
        'note': 'z within phase (ddof=1); d = sqrt(sum w (za-zb)^2 * W_usable / W_shared); ties by lower id; status per school',
        'cases': [similar_case('weighted-with-missing', 51, 5, [1, 2, 1, 0.5, 1.5, 1], 4),
                  similar_case('unit-weights-zero-weight', 52, 8, [1, 1, 1, 1, 1, 0], 0)]})
    write('against_the_odds', {
        'note': 'statsmodels OLS on complete cases with an intercept; HC1 SEs; internally studentised residuals; quartiles 1 + #{cut < x} with numpy linear cuts',
        'cases': [odds_case('continuous', 61, 300), odds_case('integer-attainment-ties', 62, 40, integer_attainment=True)]})
    sizes = [int(s) for s in np.random.default_rng(70).integers(2, 60, size=40)]
    sizes[3] = 1  # a one-pupil school: in the ANOVA, no SD of its own
    write('variation', {
        'note': 'scipy f_oneway; fSf = scipy.stats.f.sf (exact p, not computed by the kernel); chi2P = chi2.sf((J-1)F, J-1); ICC by Snijders & Bosker ANOVA estimator',
        'anova': [anova_case('unbalanced', 71, sizes, 0.5),
                  anova_case('unbalanced-weak', 76, sizes, 0.12),
                  anova_case('identical-schools', 72, [12, 12, 12, 12, 12], 0.0, missing_rate=0.0, identical=True),
                  anova_case('large', 73, [int(s) for s in np.random.default_rng(74).integers(20, 120, size=80)], 0.03)],
        'describe': [describe_case('with-missing-and-tie', 75, 50)]})


if __name__ == '__main__':
    main()
