"""The spot-check draw (抽样): a seeded random sample, so a recorded draw can be shown again."""

import math
import random
from decimal import Decimal


def sample_size(population_size, ratio):
    """At least ratio of the population, rounded up, and never fewer than one."""
    if population_size == 0:
        return 0
    return max(1, math.ceil(population_size * Decimal(str(ratio)) - Decimal("1e-9")))


def draw(population, seed, ratio):
    """The ids drawn from population (ids) with seed: the same arguments, the same sample."""
    ordered = sorted(population)
    return sorted(random.Random(seed).sample(ordered, sample_size(len(ordered), ratio)))
