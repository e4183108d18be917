"""statsmodels' side of bench/mixed.ts: the same random-intercept REML fit on the same pupils, timed.

Run by bench/mixed.ts with Debian's python (`/usr/bin/python3 bench/mixed_reference.py MANIFEST`);
it can be run by hand on the manifest a bench run left in bench/.out/mixed/. The manifest names a
little-endian float64 file of n rows × (k - 1 covariates, y, school id), row-major, and where to
write the results. An intercept column is added here, as Trellis's caller adds it.

Timed separately: building MixedLM (statsmodels splits the rows by school) and fit(reml=True) with
statsmodels' default optimisers (BFGS, then L-BFGS and CG if needed): what a user would run. BLAS
is held to one thread (set before numpy loads), as Trellis's fit runs on one core. Then, untimed,
the fit is polished to the exact optimum of statsmodels' own likelihood (see `polished`).
"""
import os

# Before numpy loads: one BLAS thread (see above).
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[variable] = '1'

import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import statsmodels  # noqa: E402
from scipy.optimize import brentq  # noqa: E402
from statsmodels.regression.mixed_linear_model import MixedLM  # noqa: E402


def main(manifest_file):
    with open(manifest_file) as f:
        manifest = json.load(f)
    n, k = manifest['n'], manifest['k']
    data = np.fromfile(manifest['data'], dtype='<f8').reshape(n, k + 1)
    X = np.column_stack([np.ones(n), data[:, : k - 1]])
    y = data[:, k - 1].copy()
    groups = data[:, k].astype(np.int64)

    started = time.perf_counter()
    model = MixedLM(y, X, groups=groups)
    built = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        result = model.fit(reml=True)
    done = time.perf_counter()
    out = {
        'versions': {'python': platform.python_version(), 'statsmodels': statsmodels.__version__, 'numpy': np.__version__},
        'buildSeconds': built - started,
        'fitSeconds': done - built,
        'params': result.fe_params.tolist(),
        'bse': result.bse_fe.tolist(),
        'scale': float(result.scale),
        'covRe': float(np.asarray(result.cov_re)[0, 0]),
        'llf': float(result.llf),
        'converged': bool(result.converged),
        'warnings': sorted({str(w.message).split('.')[0] for w in caught}),
    }
    # Not timed: statsmodels' default fit stops ~1e-5 (relative) short of the optimum in the
    # variance components, so polish it to the root of statsmodels' own analytic profile score
    # (as test/reference/mixed_reference.py does) and report that too, to check agreement at
    # statsmodels' exact optimum rather than at its stopping point.
    root = float(np.sqrt(result.cov_re_unscaled[0, 0]))
    if root ** 2 > 1e-6:
        half = lambda L: model.score(np.array([L]), profile_fe=True)[0] / L  # noqa: E731
        lo, hi = root * 0.99, root * 1.01
        while half(lo) < 0:
            lo /= 2
        while half(hi) > 0:
            hi *= 2
        best = brentq(half, lo, hi, xtol=1e-15, rtol=1e-15)
        polished = model.fit(reml=True, start_params=np.array([best]), method='bfgs', gtol=1e-12)
        out['polished'] = {
            'params': polished.fe_params.tolist(),
            'bse': polished.bse_fe.tolist(),
            'scale': float(polished.scale),
            'covRe': float(np.asarray(polished.cov_re)[0, 0]),
            'llf': float(polished.llf),
        }
    with open(manifest['results'], 'w') as f:
        json.dump(out, f)


if __name__ == '__main__':
    main(sys.argv[1])
