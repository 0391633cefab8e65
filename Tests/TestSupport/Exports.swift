// Tests that import TestSupport get the seeded generator with it.
@_exported import SeededRandom
