"""What the book shows: figures, rule-worded findings, glue helpers, worked math, published results."""
