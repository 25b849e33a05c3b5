"""The evaluation stage's domain: quality with intervals, calibration, automation, serving, the hand-off."""
