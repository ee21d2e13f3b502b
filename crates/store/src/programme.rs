//! Counts of the programme's records by day, for the programme statistics
//! (`josei_app::programme`): consultations by channel and by topic,
//! consulting requests and visits, seminar registrations and attendance,
//! award applications. Each is one grouped query over its area's table; the
//! groups are by day (a few thousand rows at most over the years), so the
//! application files them under fiscal years without date functions that
//! differ between SQLite and PostgreSQL.

use crate::{Db, Result};
use jiff::civil::Date;
use sqlx::Row;

/// The records of one day in one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCount {
    pub day: Date,
    /// The group's stored value (a channel or topic as its column holds
    /// it); "" when not grouped.
    pub key: String,
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
    /// Seminar registrations not cancelled (registered, waiting, attended),
    /// by the event's day.
    pub seminar_registrations: Vec<DayCount>,
    /// Registrants who attended, by the event's day.
    pub seminar_attendance: Vec<DayCount>,
    /// Award applications submitted, by their round's fiscal year (dated
    /// the year's 1 April).
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
        Ok(ProgrammeCounts {
            consultations: self
                .day_counts(
                    "SELECT received_on AS day, channel AS k, COUNT(*) AS n FROM consultations \
                     GROUP BY received_on, channel",
                )
                .await?,
            consultation_topics: self
                .day_counts(
                    "SELECT c.received_on AS day, t.topic AS k, COUNT(*) AS n \
                     FROM consultation_topics t JOIN consultations c ON c.id = t.consultation_id \
                     GROUP BY c.received_on, t.topic",
                )
                .await?,
            consulting_requests: self
                .day_counts(
                    "SELECT SUBSTR(created_at, 1, 10) AS day, '' AS k, COUNT(*) AS n \
                     FROM consulting_requests GROUP BY SUBSTR(created_at, 1, 10)",
                )
                .await?,
            consulting_visits: self
                .day_counts(
                    "SELECT visited_on AS day, '' AS k, COUNT(*) AS n FROM consulting_visits \
                     GROUP BY visited_on",
                )
                .await?,
            seminar_registrations: self
                .day_counts(
                    "SELECT SUBSTR(e.starts_at, 1, 10) AS day, '' AS k, COUNT(*) AS n \
                     FROM event_registrations r JOIN events e ON e.id = r.event_id \
                     WHERE r.status <> 'cancelled' GROUP BY SUBSTR(e.starts_at, 1, 10)",
                )
                .await?,
            seminar_attendance: self
                .day_counts(
                    "SELECT SUBSTR(e.starts_at, 1, 10) AS day, '' AS k, COUNT(*) AS n \
                     FROM event_registrations r JOIN events e ON e.id = r.event_id \
                     WHERE r.status = 'attended' GROUP BY SUBSTR(e.starts_at, 1, 10)",
                )
                .await?,
            award_applications: self
                .day_counts(
                    "SELECT CAST(r.fiscal_year AS TEXT) || '-04-01' AS day, '' AS k, COUNT(*) AS n \
                     FROM award_applications a JOIN award_rounds r ON r.id = a.round_id \
                     WHERE a.status = 'submitted' GROUP BY r.fiscal_year",
                )
                .await?,
        })
    }

    /// The rows of a grouped query with the columns `day` (an ISO date),
    /// `k` and `n`; a row whose day is not a date is a damaged row.
    async fn day_counts(&self, sql: &str) -> Result<Vec<DayCount>> {
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let day: String = r.try_get("day")?;
            let day = day.parse::<Date>().map_err(|e| {
                crate::StoreError::Db(sqlx::Error::Decode(
                    format!("programme statistics: day {day:?}: {e}").into(),
                ))
            })?;
            out.push(DayCount {
                day,
                key: r.try_get("k")?,
                count: r.try_get("n")?,
            });
        }
        Ok(out)
    }
}
