"""Reference fits for analytics/stats/mixed.ts: statsmodels MixedLM, random intercept, REML and ML.

Run with Debian's interpreter: /usr/bin/python3 test/reference/mixed_reference.py
(statsmodels 0.13.5, numpy, pandas). Writes, under test/fixtures/stats/:

- mixed-data.csv    the seeded datasets, long format: dataset,school,y,x1..x4 (empty where a
                    dataset has fewer columns); values are rounded to 4 decimals so that every
                    reader (numpy, R, JavaScript) parses exactly the same doubles;
- mixed-models.csv  one model per line: name,dataset,columns (space-separated; an intercept is
                    always added);
- mixed.json        statsmodels' estimates for every model × method.

test/reference/mixed_reference.R fits the same models with R's nlme::lme from the two CSVs.

Convergence: statsmodels optimises the profile likelihood over the square root of the variance
ratio with BFGS, which stops ~1e-9 (relative) short of the optimum on most datasets here but
0.012 short in absolute terms (of 0.0126) on `near-boundary`, REML; `fit` below polishes every
fit with statsmodels' own score (see there) and records how far that moved the ratio
(`ratioMovedByRefinement`) and the score at the answer (`scoreRatio`).
"""
import csv
import json
import os
import warnings

import numpy as np
import pandas as pd
import scipy
import statsmodels
from scipy.optimize import brentq
from statsmodels.regression.mixed_linear_model import MixedLM

OUT = os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stats')
VERSIONS = {'statsmodels': statsmodels.__version__, 'scipy': scipy.__version__, 'numpy': np.__version__, 'pandas': pd.__version__}
MAX_COLUMNS = 4


def dataset(name, sizes, seed, sigma_u, sigma_e, columns, zero_variance_school=None):
    """Pupils in schools. `columns` maps x1.. to a kind:

    'pupil'       N(0, 1) per pupil;
    'contextual'  pupil value with a school-mean component (correlated with u_j's school);
    'binary'      0/1 per pupil (p = 0.4);
    'prior'       prior attainment on a raw scale, 100 ± 15 (an offset that tests conditioning);
    'school'      N(0, 1) per school, constant within the school;
    'school01'    0/1 per school (e.g. federated);
    'roll'        school size in hundreds, 2..15, constant within the school.
    """
    rng = np.random.default_rng(seed)
    sizes = np.asarray(sizes, dtype=int)
    school = np.repeat(np.arange(len(sizes)), sizes)
    n = len(school)
    u = rng.normal(0, sigma_u, len(sizes)) if sigma_u > 0 else np.zeros(len(sizes))
    xs = {}
    for col, kind in columns.items():
        if kind == 'pupil':
            xs[col] = rng.normal(size=n)
        elif kind == 'contextual':
            xs[col] = rng.normal(size=n) + 0.8 * rng.normal(size=len(sizes))[school]
        elif kind == 'binary':
            xs[col] = (rng.uniform(size=n) < 0.4).astype(float)
        elif kind == 'prior':
            xs[col] = 100 + 15 * rng.normal(size=n)
        elif kind == 'school':
            xs[col] = rng.normal(size=len(sizes))[school]
        elif kind == 'school01':
            xs[col] = (rng.uniform(size=len(sizes)) < 0.5).astype(float)[school]
        elif kind == 'roll':
            xs[col] = rng.integers(2, 16, size=len(sizes)).astype(float)[school]
        else:
            raise ValueError(kind)
    slopes = [0.5, -0.8, 1.2, 0.3]
    y = 10 + u[school] + rng.normal(0, sigma_e, n)
    for j, col in enumerate(columns):
        y = y + slopes[j] * (xs[col] - np.mean(xs[col]))
    if zero_variance_school is not None:
        y[school == zero_variance_school] = 12.5
    # Labels are not in row order and rows are shuffled, so nothing may rely on sorted input.
    labels = rng.permutation(len(sizes)) * 7 + 3
    order = rng.permutation(n)
    frame = pd.DataFrame({'school': labels[school], 'y': np.round(y, 4)})
    for col in columns:
        frame[col] = np.round(xs[col], 4)
    frame = frame.iloc[order].reset_index(drop=True)
    return name, frame


def datasets():
    rng = np.random.default_rng(7001)
    return dict([
        dataset('balanced', [10] * 25, 101, 1.0, 2.0, {'x1': 'pupil', 'x2': 'binary'}),
        dataset('unbalanced', rng.integers(2, 41, 35), 102, 0.8, 1.5, {'x1': 'pupil', 'x2': 'contextual', 'x3': 'school'}),
        dataset('singletons', [1] * 20 + list(rng.integers(2, 10, 20)), 103, 1.0, 1.0, {'x1': 'pupil'}),
        dataset('zero-variance-school', rng.integers(3, 16, 20), 104, 1.0, 1.5, {'x1': 'binary'}, zero_variance_school=4),
        dataset('school-covariates', rng.integers(5, 31, 30), 105, 3.0, 10.0,
                {'x1': 'prior', 'x2': 'binary', 'x3': 'school01', 'x4': 'roll'}),
        # True sigma_u = 0; with this seed both REML and ML estimates lie on the boundary.
        dataset('boundary', np.random.default_rng(1121).integers(3, 13, 30), 121, 0.0, 1.0, {'x1': 'pupil'}),
        dataset('near-boundary', rng.integers(4, 20, 40), 107, 0.15, 1.0, {'x1': 'pupil', 'x2': 'school'}),
        dataset('large-and-small', [600, 450, 800] + list(rng.integers(2, 5, 60)), 108, 0.7, 1.0, {'x1': 'pupil', 'x2': 'school'}),
    ])


MODELS = [
    ('balanced', 'balanced', ['x1', 'x2']),
    ('unbalanced', 'unbalanced', ['x1', 'x2', 'x3']),
    ('singletons', 'singletons', ['x1']),
    ('zero-variance-school', 'zero-variance-school', ['x1']),
    ('school-covariates', 'school-covariates', ['x1', 'x2', 'x3', 'x4']),
    ('school-covariates-null', 'school-covariates', []),
    ('boundary', 'boundary', ['x1']),
    ('near-boundary', 'near-boundary', ['x1', 'x2']),
    ('large-and-small', 'large-and-small', ['x1', 'x2']),
    ('unbalanced-null', 'unbalanced', []),
]


def fit(frame, columns, reml):
    """statsmodels MixedLM, tightened: BFGS first (gtol 1e-12), then the root of statsmodels' own
    analytic profile score in the root L of the variance ratio (brentq to machine precision), then
    a refit started there so every reported number comes from statsmodels' fit(). On the boundary
    (ratio below 1e-6 after BFGS) the score is not usable (statsmodels inverts the random-effect
    covariance, which blows up as L -> 0), so the BFGS answer stands; it is ~1e-10 from 0."""
    X = np.column_stack([np.ones(len(frame))] + [frame[c].to_numpy() for c in columns])
    model = MixedLM(frame['y'].to_numpy(), X, groups=frame['school'].to_numpy())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        first = model.fit(reml=reml, method='bfgs', gtol=1e-12, maxiter=10000)
        result, refined, score = first, False, None
        root = float(np.sqrt(first.cov_re_unscaled[0, 0]))
        if root ** 2 > 1e-6:
            # d llf / dL divided by L, i.e. twice the derivative with respect to the ratio.
            half = lambda L: model.score(np.array([L]), profile_fe=True)[0] / L  # noqa: E731
            lo, hi = root * 0.9, root * 1.1
            while half(lo) < 0:
                lo /= 2
            while half(hi) > 0:
                hi *= 2
            best = brentq(half, lo, hi, xtol=1e-15, rtol=1e-15)
            result = model.fit(reml=reml, start_params=np.array([best]), method='bfgs', gtol=1e-12, maxiter=10000)
            refined = True
            score = float(half(float(np.sqrt(result.cov_re_unscaled[0, 0]))) / 2)
    k = X.shape[1]
    wald = None
    if k > 1:
        # Joint Wald test that every slope is zero, on statsmodels' covariance (params = fe + ratio).
        contrast = np.zeros((k - 1, len(result.params)))
        contrast[np.arange(k - 1), np.arange(1, k)] = 1
        test = result.wald_test(contrast, use_f=False, scalar=True)
        wald = {'indices': list(range(1, k)), 'chi2': float(np.squeeze(test.statistic)), 'df': k - 1,
                'pvalue': float(test.pvalue)}
    return {
        'params': result.fe_params.tolist(),
        'bse': result.bse_fe.tolist(),
        'zvalues': (result.fe_params / result.bse_fe).tolist(),
        'pvalues': result.pvalues[:k].tolist(),
        'cov': result.cov_params()[:k, :k].tolist(),
        'scale': float(result.scale),
        'covRe': float(np.asarray(result.cov_re)[0, 0]),
        'ratio': float(result.cov_re_unscaled[0, 0]),
        'llf': float(result.llf),
        'converged': bool(result.converged),
        'refined': refined,
        'ratioMovedByRefinement': float(result.cov_re_unscaled[0, 0] - first.cov_re_unscaled[0, 0]),
        'scoreRatio': score,
        'wald': wald,
        'warnings': sorted({str(w.message).split('.')[0].split(',')[0] for w in caught}),
    }


def main():
    data = datasets()
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'mixed-data.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['dataset', 'school', 'y'] + [f'x{j + 1}' for j in range(MAX_COLUMNS)])
        for name, frame in data.items():
            for row in frame.itertuples(index=False):
                values = row._asdict()
                xs = [f'{values[c]:.4f}' if c in values else '' for c in (f'x{j + 1}' for j in range(MAX_COLUMNS))]
                w.writerow([name, int(values['school']), f"{values['y']:.4f}"] + xs)
    with open(os.path.join(OUT, 'mixed-models.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['name', 'dataset', 'columns'])
        for name, ds, columns in MODELS:
            w.writerow([name, ds, ' '.join(columns)])
    # Refit from the rounded CSV values so the reference sees exactly what the tests read.
    table = pd.read_csv(os.path.join(OUT, 'mixed-data.csv'))
    cases = []
    for name, ds, columns in MODELS:
        frame = table[table['dataset'] == ds]
        sizes = frame.groupby('school').size()
        cases.append({'name': name, 'dataset': ds, 'columns': columns, 'n': int(len(frame)), 'groups': int(len(sizes)),
                      'reml': fit(frame, columns, True), 'ml': fit(frame, columns, False)})
        print(f"{name}: n={len(frame)} J={len(sizes)} reml ratio={cases[-1]['reml']['ratio']:.6g} ml ratio={cases[-1]['ml']['ratio']:.6g}")
    with open(os.path.join(OUT, 'mixed.json'), 'w') as f:
        json.dump({'generator': 'test/reference/mixed_reference.py', 'versions': VERSIONS,
                   'note': 'statsmodels MixedLM(y, [1, columns], groups) random intercept, fit(reml, method=bfgs, gtol=1e-12), polished at the root of statsmodels\' profile score (see fit()); '
                           'bse/cov from the inverse observed Hessian of the profile likelihood in (beta, ratio); '
                           'covRe = sigma2 between, scale = sigma2 within, ratio = covRe/scale; scoreRatio = d llf / d ratio at the answer; wald = joint Wald chi2 that all slopes are 0 (result.wald_test)',
                   'cases': cases}, f, indent=1)


if __name__ == '__main__':
    main()
