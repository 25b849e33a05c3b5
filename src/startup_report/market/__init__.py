"""The market stage's domain: sourced facts, the router's economics, finance, Monte Carlo, strategy."""
