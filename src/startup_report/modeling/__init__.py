"""Model families of the comparison, each behind a small build / fit / predict interface."""
