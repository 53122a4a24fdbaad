"""Sites, units, staff roles, the column tree and who owns which column."""
