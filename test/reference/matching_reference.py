"""Reference values for analytics/stats/{matching,balance,did}.ts, written to
test/fixtures/stats/balance.json and test/fixtures/stats/did.json.

Run with Debian's interpreter: /usr/bin/python3 test/reference/matching_reference.py
(statsmodels 0.13.5, numpy, scipy). Everything is seeded, so the fixtures are reproducible.

balance.json: seeded synthetic schools (exact strata phase|type|gender, six covariates with some
missing values); propensity scores from statsmodels Logit on complete cases; greedy matching by a
plain O(n*m) scan written here independently of the TypeScript; the balance table from numpy and
scipy. JSON has no NaN, so missing values are written as null.

did.json: seeded unit x year panels (balanced, unbalanced with entries, exits and gaps, few
clusters); statsmodels OLS with cov_type='cluster' by unit, both the normal and t(G-1) inference.
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stats')
VERSIONS = {'statsmodels': statsmodels.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__}


def clean(value):
    """NaN and infinities become null; numpy scalars and arrays become plain JSON values."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist())
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def write(name, payload):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
        json.dump(clean({'generator': 'test/reference/matching_reference.py', 'versions': VERSIONS, **payload}), f, indent=1, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# Schools, propensity scores, matching, balance


PHASES = ['primary', 'secondary', 'middle']
TYPES = ['community', 'voluntary aided', 'academy']
GENDERS = ['mixed', 'boys', 'girls']


def schools(seed, n):
    rng = np.random.default_rng(seed)
    phase = rng.choice(3, size=n, p=[0.7, 0.25, 0.05])
    kind = rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    gender = rng.choice(3, size=n, p=[0.9, 0.05, 0.05])
    strata = [f'{PHASES[a]}|{TYPES[b]}|{GENDERS[c]}' for a, b, c in zip(phase, kind, gender)]
    ability = rng.normal(size=n)
    english = 70 + 8 * ability + 4 * rng.normal(size=n)
    maths = 68 + 8 * ability + 5 * rng.normal(size=n)
    fsm = np.clip(18 - 5 * ability + 8 * rng.normal(size=n), 0, 80)
    sen = np.clip(14 + 4 * rng.normal(size=n), 0, 60)
    urban = (rng.uniform(size=n) < 0.7).astype(float)
    roll = np.round(np.exp(np.where(phase == 1, 6.8, 5.4) + 0.4 * rng.normal(size=n)))
    # Schools with lower attainment and more FSM federate more often (performance federations).
    eta = -2.4 - 0.06 * (english - 70) + 0.03 * (fsm - 18) + 0.4 * urban - 0.0005 * (roll - 300)
    treated = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    # Some % SEN missing (e.g. a school new to the census): those schools get no score.
    sen[rng.uniform(size=n) < 0.03] = np.nan
    # A hand-made stratum with treated schools and no controls.
    for i in range(3):
        strata[i] = 'special|academy|mixed'
        treated[i] = 1
    covariates = {'priorEnglish': english, 'priorMaths': maths, 'pctSen': sen, 'pctFsm': fsm, 'urban': urban, 'roll': roll}
    return strata, treated, covariates


def propensity(covariates, treated):
    X = np.column_stack(list(covariates.values()))
    complete = ~np.isnan(X).any(axis=1)
    design = sm.add_constant(X[complete], has_constant='add')
    fit = sm.Logit(treated[complete], design).fit(disp=0, tol=1e-12, maxiter=100)
    logit = np.full(len(treated), np.nan)
    logit[complete] = design @ fit.params
    return fit, logit, complete


def greedy(score, treated, strata, ratio=1, replace=False, caliper=0.2, order='largest'):
    """Greedy nearest-neighbour matching by scanning every control for every treated unit."""
    n = len(score)
    has = ~np.isnan(score)
    t_units = [i for i in range(n) if treated[i] == 1 and has[i]]
    c_units = [i for i in range(n) if treated[i] == 0 and has[i]]
    sd = math.sqrt((np.var(score[[*t_units]], ddof=1) + np.var(score[[*c_units]], ddof=1)) / 2)
    width = None if caliper is None else caliper * sd
    if order == 'largest':
        serving = sorted(t_units, key=lambda i: (-score[i], i))
    elif order == 'smallest':
        serving = sorted(t_units, key=lambda i: (score[i], i))
    else:
        serving = list(t_units)

    def reason(t):
        pool = [c for c in c_units if strata[c] == strata[t]]
        if not pool:
            return 'no control in stratum'
        if width is None:
            return 'controls used up'
        return 'controls used up' if min(abs(score[t] - score[c]) for c in pool) <= width else 'none within caliper'

    matched = {t: [] for t in t_units}
    reasons = {}
    if not replace:
        used = set()
        active = serving
        for r in range(ratio):
            still = []
            for t in active:
                best, best_d = None, math.inf
                for c in c_units:
                    if strata[c] != strata[t] or c in used:
                        continue
                    d = abs(score[t] - score[c])
                    if d < best_d or (d == best_d and c < best):
                        best, best_d = c, d
                if best is None or (width is not None and best_d > width):
                    if r == 0:
                        reasons[t] = reason(t)
                    continue
                used.add(best)
                matched[t].append((best, best_d))
                still.append(t)
            active = still
    else:
        for t in serving:
            pool = sorted((abs(score[t] - score[c]), c) for c in c_units if strata[c] == strata[t])
            if not pool:
                reasons[t] = 'no control in stratum'
                continue
            take = [(c, d) for d, c in pool if width is None or d <= width][:ratio]
            if not take:
                reasons[t] = 'none within caliper'
            matched[t] = take
    weights = np.zeros(n)
    matches = []
    for t in sorted(matched):
        if not matched[t]:
            continue
        weights[t] = 1
        for c, _ in matched[t]:
            weights[c] += 1 / len(matched[t])
        matches.append({'treated': t, 'controls': [c for c, _ in matched[t]], 'distances': [d for _, d in matched[t]]})
    unmatched = [{'unit': i, 'stratum': strata[i], 'reason': reasons.get(i, 'no score')}
                 for i in range(n) if treated[i] == 1 and not matched.get(i)]
    return {'ratio': ratio, 'replace': replace, 'caliper': caliper, 'order': order, 'scoreSd': sd, 'caliperWidth': width,
            'matches': matches, 'unmatched': unmatched, 'weights': weights}


def weighted_moments(x, w):
    keep = (w > 0) & ~np.isnan(x)
    x, w = x[keep], w[keep]
    v1, v2 = w.sum(), (w ** 2).sum()
    mean = np.average(x, weights=w)
    var = np.sum(w * (x - mean) ** 2) / (v1 - v2 / v1) if len(x) > 1 else np.nan
    return {'n': int(keep.sum()), 'mean': mean, 'var': var, 'neff': v1 ** 2 / v2, 'x': x, 'unit': bool(np.all(w == 1))}


def welch(t, c):
    vt, vc = t['var'] / t['neff'], c['var'] / c['neff']
    stat = (t['mean'] - c['mean']) / math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt ** 2 / (t['neff'] - 1) + vc ** 2 / (c['neff'] - 1))
    p = 2 * stats.t.sf(abs(stat), df)
    if t['unit'] and c['unit']:
        # Unit weights: the formula above must be scipy's Welch test.
        ref = stats.ttest_ind(t['x'], c['x'], equal_var=False)
        assert math.isclose(ref.statistic, stat, rel_tol=1e-12), (ref.statistic, stat)
        assert math.isclose(ref.pvalue, p, rel_tol=1e-10, abs_tol=1e-300), (ref.pvalue, p)
        stat, p = float(ref.statistic), float(ref.pvalue)
    return {'statistic': stat, 'df': df, 'p': p}


def balance(covariates, treated, strata, weights):
    with_treated = {s for s, t in zip(strata, treated) if t == 1}
    candidate = np.array([t == 0 and s in with_treated for s, t in zip(strata, treated)], dtype=float)
    before_t = (treated == 1).astype(float)
    after_t = np.where(treated == 1, weights, 0.0)
    after_c = np.where(treated == 0, weights, 0.0)
    rows = []
    for name, x in covariates.items():
        t0, c0 = weighted_moments(x, before_t), weighted_moments(x, candidate)
        pooled = math.sqrt((t0['var'] + c0['var']) / 2)
        t1, c1 = weighted_moments(x, after_t), weighted_moments(x, after_c)
        binary = bool(np.all(np.isnan(x) | (x == 0) | (x == 1)))

        def side(t, c):
            smd = (t['mean'] - c['mean']) / pooled
            vr = t['var'] / c['var']
            return {'nTreated': t['n'], 'nControl': c['n'], 'effectiveControls': c['neff'], 'treatedMean': t['mean'],
                    'controlMean': c['mean'], 'treatedVariance': t['var'], 'controlVariance': c['var'], 'smd': smd,
                    'varianceRatio': vr, 'test': welch(t, c),
                    'flags': {'smd': bool(abs(smd) > 0.1), 'varianceRatio': bool(not binary and not (0.5 <= vr <= 2))}}

        rows.append({'name': name, 'binary': binary, 'pooledSd': pooled, 'before': side(t0, c0), 'after': side(t1, c1)})
    return rows


def balance_fixture():
    strata, treated, covariates = schools(71, 900)
    fit, logit, complete = propensity(covariates, treated)
    variants = [
        dict(name='1:1 without replacement, caliper 0.2 SD', ratio=1, replace=False, caliper=0.2),
        dict(name='2:1 without replacement, caliper 0.2 SD', ratio=2, replace=False, caliper=0.2),
        dict(name='3:1 with replacement, caliper 0.2 SD', ratio=3, replace=True, caliper=0.2),
        dict(name='1:1 without replacement, no caliper, smallest first', ratio=1, replace=False, caliper=None, order='smallest'),
        dict(name='2:1 without replacement, caliper 0.05 SD, data order', ratio=2, replace=False, caliper=0.05, order='data'),
    ]
    balance_covariates = {**covariates, 'logitPropensity': logit}
    cases = []
    for v in variants:
        m = greedy(logit, treated, strata, ratio=v['ratio'], replace=v['replace'], caliper=v['caliper'], order=v.get('order', 'largest'))
        reasons = sorted({u['reason'] for u in m['unmatched']})
        cases.append({'name': v['name'], 'match': m, 'reasons': reasons,
                      'balance': balance(balance_covariates, treated, strata, m['weights'])})
    return {
        'note': ('Schools with exact strata phase|type|gender; statsmodels Logit on complete cases (intercept first); '
                 'greedy matching by an O(n*m) scan on the logit (caliper in pooled SDs of the logit, <= inclusive, ties to the lower index, '
                 'k:1 in rounds); balance: SMD over the before-matching pooled SD, reliability-weighted variances, Welch with Kish effective sizes '
                 '(scipy ttest_ind(equal_var=False) where all weights are 1). null = NaN.'),
        'n': len(treated), 'strata': strata, 'treated': treated, 'covariates': covariates,
        'propensity': {'params': fit.params, 'bse': fit.bse, 'llf': fit.llf, 'logit': logit,
                       'probability': 1 / (1 + np.exp(-logit)), 'incomplete': np.flatnonzero(~complete)},
        'cases': cases,
    }


# ---------------------------------------------------------------------------------------------
# Difference-in-differences and event studies


def panel(seed, units, years, formation, effect, observe):
    """y = unit effect + common year trend + effect·treated·post (growing) + AR(1) noise."""
    rng = np.random.default_rng(seed)
    rows = []
    treated_units = set(rng.choice(units, size=units // 2, replace=False).tolist())
    for u in range(units):
        a = rng.normal(0, 3)
        tr = 1 if u in treated_units else 0
        level = a - (1.5 if tr else 0.0)  # federated schools start lower
        e = 0.0
        for year in years:
            e = 0.5 * e + rng.normal(0, 1.5)
            if not observe(rng, u, year):
                continue
            post = 1 if year > formation else 0
            y = 50 + level + 0.4 * (year - years[0]) + tr * post * effect * (year - formation) + e
            rows.append((u, tr, year, post, y))
    unit, treated, year, post, y = (np.array(c) for c in zip(*rows))
    return unit, treated, year, post, y.astype(float)


def inference(model, groups, j):
    normal = model.fit(cov_type='cluster', cov_kwds={'groups': groups})
    t = model.fit(cov_type='cluster', cov_kwds={'groups': groups}, use_t=True)
    return {'estimate': normal.params[j], 'se': normal.bse[j], 't': normal.tvalues[j], 'pNormal': normal.pvalues[j],
            'pT': t.pvalues[j], 'ci': t.conf_int()[j], 'ciNormal': normal.conf_int()[j], 'df': float(len(np.unique(groups)) - 1)}


def did_case(name, seed, units, years, formation, effect, observe, baseline, missing_y=0):
    unit, treated, year, post, y = panel(seed, units, years, formation, effect, observe)
    rng = np.random.default_rng(seed + 1000)
    if missing_y:
        y[rng.choice(len(y), size=missing_y, replace=False)] = np.nan
    keep = ~np.isnan(y)
    u, tr, yr, po, yy = unit[keep], treated[keep], year[keep], post[keep], y[keep]
    X = np.column_stack([np.ones(len(yy)), tr, po, tr * po])
    did = inference(sm.OLS(yy, X), u, 3)
    cells = {}
    for key, t, p in [('controlPre', 0, 0), ('controlPost', 0, 1), ('treatedPre', 1, 0), ('treatedPost', 1, 1)]:
        sel = (tr == t) & (po == p)
        cells[key] = {'mean': yy[sel].mean(), 'n': int(sel.sum())}
    assert math.isclose(did['estimate'], (cells['treatedPost']['mean'] - cells['treatedPre']['mean']) - (cells['controlPost']['mean'] - cells['controlPre']['mean']), rel_tol=1e-9)

    later = sorted(set(yr.tolist()) - set(baseline))
    cols = [np.ones(len(yy)), tr] + [(yr == s).astype(float) for s in later] + [tr * (yr == s) for s in later]
    model = sm.OLS(yy, np.column_stack(cols))
    L = len(later)
    event = []
    for j, s in enumerate(later):
        row = inference(model, u, 2 + L + j)
        row['year'] = int(s)
        row['treated'] = {'mean': yy[(tr == 1) & (yr == s)].mean(), 'n': int(((tr == 1) & (yr == s)).sum())}
        row['control'] = {'mean': yy[(tr == 0) & (yr == s)].mean(), 'n': int(((tr == 0) & (yr == s)).sum())}
        event.append(row)
    base = np.isin(yr, baseline)
    return {'name': name, 'unit': unit, 'treated': treated, 'year': year, 'post': post, 'y': y,
            'n': int(keep.sum()), 'clusters': int(len(np.unique(u))), 'did': {**did, 'cells': cells},
            'event': {'baselineYears': baseline, 'years': event,
                      'baseline': {'treated': {'mean': yy[base & (tr == 1)].mean(), 'n': int((base & (tr == 1)).sum())},
                                   'control': {'mean': yy[base & (tr == 0)].mean(), 'n': int((base & (tr == 0)).sum())}}}}


def did_fixture():
    years = list(range(2003, 2011))
    base = [2003, 2004, 2005, 2006]

    def all_years(rng, u, year):
        return True

    window = {}

    def entries_exits_gaps(rng, u, year):
        # Each school is observed over its own window (openings and closures) with a few gaps.
        if u not in window:
            first = int(rng.integers(2003, 2006))
            last = int(rng.integers(2007, 2011))
            window[u] = (first, last)
        first, last = window[u]
        return first <= year <= last and rng.uniform() > 0.1

    def one_gap(rng, u, year):
        return not (u == 2 and year in (2005, 2008, 2009))

    return {
        'note': ('statsmodels OLS, cov_type="cluster" by unit (default correction G/(G-1)*(N-1)/(N-K)); pNormal and ciNormal '
                 'from the default normal, pT and ci from use_t=True (t with G-1 df). DiD: y ~ 1 + treated + post + treated:post. '
                 'Event study: y ~ 1 + treated + year dummies + treated:year dummies for every non-baseline year, the baseline '
                 'years pooled as reference. Rows with y = null (NaN) are dropped.'),
        'cases': [
            did_case('balanced panel, 30 schools x 8 years', 81, 30, years, 2006, 0.8, all_years, base),
            did_case('unbalanced panel: entries, exits, gaps and missing outcomes', 82, 44, years, 2006, 0.6, entries_exits_gaps, base, missing_y=6),
            did_case('few clusters: 8 schools, one missing three years', 83, 8, years, 2006, 1.0, one_gap, base),
            did_case('baseline of one year with leads before it', 84, 24, years, 2006, 0.5, all_years, [2006]),
        ],
    }


def main():
    write('balance', balance_fixture())
    write('did', did_fixture())


if __name__ == '__main__':
    main()
