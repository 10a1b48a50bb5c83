//! Host globs for site-specific rules (`sites = ["gzeromedia.com", "*.reuters.com"]`).

/// One entry of a rule's `sites` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteGlob {
    /// `example.com`: that host, with or without a leading `www.`.
    Host(String),
    /// `*.example.com`: `example.com` and any subdomain of it.
    Domain(String),
}

impl SiteGlob {
    /// Parses a glob; `None` when it is not a plain host or `*.` followed by a host.
    pub fn parse(glob: &str) -> Option<SiteGlob> {
        let glob = glob.trim().to_ascii_lowercase();
        let (domain, host) = match glob.strip_prefix("*.") {
            Some(rest) => (true, rest.to_string()),
            None => (false, glob.strip_prefix("www.").unwrap_or(&glob).to_string()),
        };
        let valid = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid {
            return None;
        }
        Some(if domain { SiteGlob::Domain(host) } else { SiteGlob::Host(host) })
    }

    /// Whether `host` (lowercase, from [`host_of`]) matches this glob.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            SiteGlob::Host(h) => host == h,
            SiteGlob::Domain(d) => {
                host == d || (host.ends_with(d.as_str()) && host[..host.len() - d.len()].ends_with('.'))
            }
        }
    }
}

impl std::fmt::Display for SiteGlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SiteGlob::Host(h) => f.write_str(h),
            SiteGlob::Domain(d) => write!(f, "*.{d}"),
        }
    }
}

/// The host of a URL, lowercased and without a leading `www.`: `https://www.Reuters.com/x`
/// gives `reuters.com`. A bare host (`reuters.com/path`) works too.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = hostport.split(':').next()?.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(host.strip_prefix("www.").map(str::to_string).unwrap_or(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_of_strips_scheme_www_port_and_path() {
        assert_eq!(host_of("https://www.Reuters.com:443/world/x?y#z").as_deref(), Some("reuters.com"));
        assert_eq!(host_of("gzeromedia.com/news").as_deref(), Some("gzeromedia.com"));
        assert_eq!(host_of("http://user@uk.reuters.com").as_deref(), Some("uk.reuters.com"));
        assert_eq!(host_of("").as_deref(), None);
    }

    #[test]
    fn domain_glob_matches_subdomains_but_not_lookalikes() {
        let g = SiteGlob::parse("*.reuters.com").unwrap();
        assert!(g.matches("reuters.com"));
        assert!(g.matches("uk.reuters.com"));
        assert!(!g.matches("notreuters.com"));
        let h = SiteGlob::parse("www.gzeromedia.com").unwrap();
        assert!(h.matches("gzeromedia.com"));
        assert!(!h.matches("x.gzeromedia.com"));
        assert!(SiteGlob::parse("bad host").is_none());
        assert!(SiteGlob::parse("*.").is_none());
    }
}
