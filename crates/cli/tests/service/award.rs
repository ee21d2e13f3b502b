//! 輝くテレワーク賞: applications, screening by judges, results, public winners.
//! (Placeholder of the programme skeleton; filled by its area.)
