//! The programme around the subsidy as a whole: its statistics against the
//! budgets of the seed, and the public portal's information.
