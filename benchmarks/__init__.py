"""Speed measurements (``make bench``): printed as figures and ratios, never asserted in tests."""
