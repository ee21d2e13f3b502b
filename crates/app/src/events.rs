//! Seminars and 個別相談会: events, public registration, waiting list, attendance, materials.
//! (Placeholder of the programme skeleton; filled by its area.)
