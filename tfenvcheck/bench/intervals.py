"""The statistics behind the bench's intervals: 95% prediction intervals, from the standard library only.

A projection predicts one future run, so its interval is a *prediction* interval, not the mean's
confidence interval: it holds the run's own randomness (the spread of its steps, which epoch
starts wait) as well as what the sample leaves unknown. For a sum of N future steps drawn like n
measured ones (mean m, standard deviation s) the textbook interval is

    N m  +-  t(0.975, n - 1) s sqrt(N + N^2 / n)

(for N = 1 the familiar m +- t s sqrt(1 + 1/n)). Steps measured in strata (the text batches at
quantiles of their longest review, each standing for an equal share of the tutorial's batches)
combine as a stratified sample: the mean is the strata's mean, a future step's variance is the
within-strata variance plus the spread of the strata means, and the mean's variance is
sum(s_k^2 / n_k) / K^2, with the pooled sum(n_k - 1) degrees of freedom.

Student's t quantile comes from an exact table (to three decimals, as printed in textbooks) with
harmonic interpolation in 1/df between its rows, which is within 0.001 of the exact quantile; scipy
is not a dependency.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

Z_975 = statistics.NormalDist().inv_cdf(0.975)  # 1.959964...
# t(0.975, df): df 1-30, then 40, 60, 120 (any textbook's table).
_T_975 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
    11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
    20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
    29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980,
}  # fmt: skip


def t_975(df: int) -> float:
    """Student's t 0.975 quantile for `df` degrees of freedom (df >= 1)."""
    if df < 1:
        raise ValueError("t quantile needs at least one degree of freedom")
    if df in _T_975:
        return _T_975[df]
    lower = max(row for row in _T_975 if row < df)
    above = [row for row in _T_975 if row > df]
    # Linear in 1/df between the table's rows; past the last row, towards the normal quantile (1/df = 0).
    upper_t, upper_inverse = (_T_975[min(above)], 1 / min(above)) if above else (Z_975, 0.0)
    share = (1 / lower - 1 / df) / (1 / lower - upper_inverse)
    return _T_975[lower] + share * (upper_t - _T_975[lower])


@dataclass(frozen=True)
class Stratum:
    """Summary of the measured steps of one stratum."""

    count: int
    mean: float
    sd: float

    @classmethod
    def of(cls, values: list[float]) -> Stratum:
        return cls(len(values), statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0)


@dataclass(frozen=True)
class Prediction:
    """An expected value and the half-width of its 95% prediction interval (None: cannot be told)."""

    value: float
    half_width: float | None

    @property
    def low(self) -> float | None:
        return None if self.half_width is None else self.value - self.half_width

    @property
    def high(self) -> float | None:
        return None if self.half_width is None else self.value + self.half_width


def predict_sum(strata: list[Stratum], future_count: int) -> Prediction:
    """The sum of `future_count` future steps, each drawn from the strata with equal weight."""
    if not strata or future_count <= 0:
        return Prediction(0.0, 0.0)
    k = len(strata)
    mean = statistics.fmean(s.mean for s in strata)
    df = sum(s.count - 1 for s in strata)
    if df < 1 or any(s.count < 2 for s in strata):
        return Prediction(future_count * mean, None)
    within = statistics.fmean(s.sd**2 for s in strata)
    between = statistics.fmean((s.mean - mean) ** 2 for s in strata) if k > 1 else 0.0
    mean_variance = sum(s.sd**2 / s.count for s in strata) / k**2
    variance = future_count * (within + between) + future_count**2 * mean_variance
    return Prediction(future_count * mean, t_975(df) * math.sqrt(variance))


def agresti_coull(successes: int, trials: int) -> Prediction:
    """The 95% Agresti-Coull interval of a proportion: add z^2/2 successes and failures, then Wald."""
    n = trials + Z_975**2
    p = (successes + Z_975**2 / 2) / n
    return Prediction(p, Z_975 * math.sqrt(p * (1 - p) / n))


def predict_count(successes: int, trials: int, future_trials: int) -> Prediction:
    """How many of `future_trials` succeed, when `successes` of `trials` did: binomial with the
    proportion known only to its sample, its variance taken at the Agresti-Coull estimate (so 0 of 5
    still leaves room for a success)."""
    if trials <= 0 or future_trials <= 0:
        return Prediction(0.0, 0.0 if future_trials <= 0 else None)
    p = agresti_coull(successes, trials).value
    variance = future_trials * p * (1 - p) + future_trials**2 * p * (1 - p) / (trials + Z_975**2)
    return Prediction(future_trials * successes / trials, Z_975 * math.sqrt(variance))


def root_sum_square(half_widths: list[float | None]) -> float | None:
    """Independent parts' half-widths combined; None when one of them is unknown."""
    if any(h is None for h in half_widths):
        return None
    return math.sqrt(sum(h * h for h in half_widths if h is not None))
