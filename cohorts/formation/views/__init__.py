"""The formation pages: rounds (set-up and collecting), answer (a participant's link), review
(the board: forming, editing and publishing the groups)."""
