//! A database URL that may hold a password: shown and logged only redacted.

/// A database location (a file path or a `sqlite:`/`postgres://` URL). Its
/// `Display` and `Debug` replace the password with `***`; only
/// [`DatabaseUrl::expose`] gives the real text, for connecting.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> DatabaseUrl {
        DatabaseUrl(url.into())
    }

    /// The URL itself, password included: for opening a connection only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether this is a server URL (`scheme://…`) rather than a file.
    pub fn is_url(&self) -> bool {
        self.0.contains("://")
    }

    /// `text` (e.g. a driver's error) with this URL replaced by its redacted form.
    pub fn redact_in(&self, text: &str) -> String {
        match self.password() {
            Some(p) if !p.is_empty() => text.replace(&self.0, &self.redacted()).replace(p, "***"),
            _ => text.replace(&self.0, &self.redacted()),
        }
    }

    fn password(&self) -> Option<&str> {
        let url = &self.0;
        let scheme = url.find("://")?;
        let at = url.rfind('@').filter(|at| *at > scheme)?;
        url[scheme + 3..at].split_once(':').map(|(_, p)| p)
    }

    /// The URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        let url = &self.0;
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let userinfo = &url[scheme + 3..at];
                match userinfo.split_once(':') {
                    Some((user, _)) => {
                        format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
                    }
                    None => url.to_string(),
                }
            }
            _ => url.to_string(),
        }
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(DatabaseUrl::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn database_urls_are_shown_without_their_password() {
        let u = DatabaseUrl::new("postgres://josei:s3cret@db.internal:5432/josei");
        assert_eq!(u.to_string(), "postgres://josei:***@db.internal:5432/josei");
        assert_eq!(
            format!("{u:?}"),
            "DatabaseUrl(postgres://josei:***@db.internal:5432/josei)"
        );
        assert_eq!(u.expose(), "postgres://josei:s3cret@db.internal:5432/josei");
        assert_eq!(
            u.redact_in("cannot reach postgres://josei:s3cret@db.internal:5432/josei (s3cret)"),
            "cannot reach postgres://josei:***@db.internal:5432/josei (***)"
        );
        let plain = DatabaseUrl::new("postgres://josei@db/josei");
        assert_eq!(plain.to_string(), "postgres://josei@db/josei");
        assert_eq!(DatabaseUrl::new("josei.db").to_string(), "josei.db");
        assert!(!DatabaseUrl::new("josei.db").is_url());
    }
}
