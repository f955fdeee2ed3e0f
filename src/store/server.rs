//! Reaching the team's PostgreSQL server: the address as libpq takes it
//! (`postgres://` or `postgresql://`, a Unix-socket folder as `?host=/path`),
//! the password from the address, `PGPASSWORD` or the password file, and
//! TLS whose verification means what libpq's `sslmode` says.
//!
//! An address is shown only redacted: its password never reaches a
//! message, a log line or the screen.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::{Result, StoreError};

mod scratch;
mod session;
mod setup;

#[doc(hidden)]
pub use scratch::ScratchDatabase;
pub use session::ServerBackend;
pub use setup::{Setup, check_server, init_schema, init_server, open_server};

/// Whether `text` names a server rather than a file.
pub fn is_server_address(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// How the connection is protected (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it (libpq's default); not verified unless
    /// a root certificate is given.
    Prefer,
    /// TLS always; the certificate is verified only against a root
    /// certificate when one is given or found.
    Require,
    /// TLS, and the server's certificate must chain to the root.
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

/// A parsed server address.
#[derive(Debug, Clone)]
pub struct Address {
    config: postgres::Config,
    tls: TlsMode,
    root_cert: Option<PathBuf>,
    shown: String,
}

impl Address {
    /// The address with its password left out, for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub fn tls(&self) -> TlsMode {
        self.tls
    }
}

/// An address with any password replaced by `***`.
pub fn redact(address: &str) -> String {
    let Some(scheme_end) = address.find("://") else {
        return address.to_string();
    };
    let rest = &address[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = address[..scheme_end + 3].to_string();
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..colon]);
                    out.push_str(":***");
                }
                None => out.push_str(userinfo),
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let tail = &rest[authority_end..];
    // A password may also come as a parameter.
    let mut parts = tail.splitn(2, '?');
    out.push_str(parts.next().unwrap_or(""));
    if let Some(query) = parts.next() {
        out.push('?');
        let params: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        out.push_str(&params.join("&"));
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a server address. The TLS parameters libpq knows and the
/// client library does not (`verify-ca`, `verify-full`, `sslrootcert`) are
/// taken here.
pub fn parse(address: &str) -> Result<Address> {
    let shown = redact(address.trim());
    let bad = |why: String| {
        StoreError::Refused(format!("{shown} is not a usable database address: {why}"))
    };
    let (base, query) = match address.trim().split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (address.trim(), None),
    };
    let mut tls = TlsMode::Prefer;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for param in query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|p| !p.is_empty())
    {
        let (key, value) = param.split_once('=').unwrap_or((param, ""));
        match key {
            "sslmode" => {
                tls = match percent_decode(value).as_str() {
                    "disable" => TlsMode::Disable,
                    "allow" | "prefer" => TlsMode::Prefer,
                    "require" => TlsMode::Require,
                    "verify-ca" => TlsMode::VerifyCa,
                    "verify-full" => TlsMode::VerifyFull,
                    other => {
                        return Err(bad(format!(
                            "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                        )));
                    }
                }
            }
            "sslrootcert" => root_cert = Some(PathBuf::from(percent_decode(value))),
            _ => kept.push(param.to_string()),
        }
    }
    let client_mode = match tls {
        TlsMode::Disable => "disable",
        TlsMode::Prefer => "prefer",
        _ => "require",
    };
    kept.push(format!("sslmode={client_mode}"));
    // A host or port in the parameters replaces the one before the path, as
    // libpq has it (the client library would try both).
    let overrides = |k: &str| kept.iter().any(|p| p.split('=').next() == Some(k));
    let base = if overrides("host") || overrides("port") {
        without_host(base, overrides("host"), overrides("port"))
    } else {
        base.to_string()
    };
    let rebuilt = format!("{base}?{}", kept.join("&"));
    let mut config: postgres::Config = rebuilt
        .parse()
        .map_err(|e: postgres::Error| bad(e.to_string()))?;
    if config.get_user().is_none() {
        let login = std::env::var("PGUSER")
            .ok()
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "postgres".into());
        config.user(&login);
    }
    if config.get_dbname().is_none() {
        let user = config.get_user().unwrap_or_default().to_string();
        config.dbname(&user);
    }
    if config.get_password().is_none() {
        if let Some(p) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
            config.password(p.to_string_lossy().as_bytes());
        } else if let Some(p) = password_file_entry(&config) {
            config.password(p.as_bytes());
        }
    }
    config.connect_timeout(Duration::from_secs(5));
    config.application_name("teamloop");
    if root_cert.is_none() {
        let default = home().map(|h| h.join(".postgresql").join("root.crt"));
        root_cert = default.filter(|p| p.exists());
    }
    Ok(Address {
        config,
        tls,
        root_cert,
        shown,
    })
}

/// `scheme://user@host:port/db` without its host, its port, or both.
fn without_host(base: &str, host: bool, port: bool) -> String {
    let Some(scheme_end) = base.find("://") else {
        return base.to_string();
    };
    let rest = &base[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let (user, hostport) = match authority.rfind('@') {
        Some(at) => (&authority[..=at], &authority[at + 1..]),
        None => ("", authority),
    };
    let (h, p) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (h, Some(p)),
        _ => (hostport, None),
    };
    let mut out = format!("{}{user}", &base[..scheme_end + 3]);
    if !host {
        out.push_str(h);
        if let (Some(p), false) = (p, port) {
            out.push(':');
            out.push_str(p);
        }
    }
    out.push_str(&rest[authority_end..]);
    out
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// The password for this address from the password file (`PGPASSFILE`, or
/// `~/.pgpass`), as libpq reads it: `host:port:database:user:password`
/// lines, `*` matching anything, `\` escaping; a file others can read is
/// ignored.
fn password_file_entry(config: &postgres::Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".pgpass")))?;
    let text = readable_only_by_owner(&path)?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) | None => "localhost".into(),
        #[cfg(not(unix))]
        None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let fields = split_pgpass(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = |field: &str, value: &str| field == "*" || field == value;
        if matches(&fields[0], &host)
            && matches(&fields[1], &port)
            && matches(&fields[2], db)
            && matches(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    fields.last_mut().expect("one field").push(n);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

#[cfg(unix)]
fn readable_only_by_owner(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

#[cfg(not(unix))]
fn readable_only_by_owner(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Opens a connection; every failure is one line naming the redacted
/// address.
pub fn connect(address: &Address) -> Result<postgres::Client> {
    let result = if address.tls == TlsMode::Disable {
        address.config.connect(postgres::NoTls)
    } else {
        let tls = tls_config(address)?;
        address
            .config
            .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
    };
    let mut client = result.map_err(|e| connect_error(address, &e))?;
    // A write waits for the board's lock at most 10 s (one stuck terminal
    // does not hang the others), and no statement runs over a minute: each
    // is refused in one line instead (see `sql::postgres::server_error`).
    client
        .batch_execute("SET lock_timeout = '10s'; SET statement_timeout = '60s'")
        .map_err(crate::store::sql::postgres::server_error)?;
    Ok(client)
}

fn connect_error(address: &Address, e: &postgres::Error) -> StoreError {
    let shown = address.shown();
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return StoreError::Refused(match code {
            "28P01" | "28000" => format!(
                "the server at {shown} refused the login: {} (give the password in PGPASSWORD or ~/.pgpass)",
                db.message()
            ),
            "3D000" => format!(
                "{shown}: {} (create it, or give another database in the address)",
                db.message()
            ),
            _ => format!("{shown}: {}", db.message()),
        });
    }
    // The client library's own words, which may carry the address: only
    // the cause's.
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let why = redact(&cause.to_string());
    StoreError::Refused(format!(
        "cannot reach the database server at {shown}: {why}"
    ))
}

fn tls_config(address: &Address) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Refused(format!("TLS: {e}")))?;
    let roots = match &address.root_cert {
        Some(path) => Some(load_roots(path)?),
        None => None,
    };
    let verify = matches!(address.tls, TlsMode::VerifyCa | TlsMode::VerifyFull);
    let config = match (roots, verify) {
        (None, true) => {
            return Err(StoreError::Refused(format!(
                "{}: sslmode={} needs the certificate of the authority that signed the server's (sslrootcert=PATH in the address, or ~/.postgresql/root.crt)",
                address.shown(),
                if address.tls == TlsMode::VerifyCa {
                    "verify-ca"
                } else {
                    "verify-full"
                }
            )));
        }
        (None, false) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
            .with_no_client_auth(),
        (Some(roots), _) => {
            let webpki = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| StoreError::Refused(format!("TLS: {e}")))?;
            if address.tls == TlsMode::VerifyFull {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                // verify-ca, and require or prefer with a root: the chain, not the name.
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
                    .with_no_client_auth()
            }
        }
    };
    Ok(config)
}

fn load_roots(path: &Path) -> Result<RootCertStore> {
    let text = std::fs::read(path).map_err(|e| {
        StoreError::Refused(format!(
            "cannot read the root certificate {}: {e}",
            path.display()
        ))
    })?;
    let mut roots = RootCertStore::empty();
    for cert in rustls::pki_types::pem::PemObject::pem_slice_iter(&text) {
        let cert: CertificateDer<'static> = cert.map_err(|e| {
            StoreError::Refused(format!(
                "{} holds no usable certificate: {e}",
                path.display()
            ))
        })?;
        roots.add(cert).map_err(|e| {
            StoreError::Refused(format!(
                "{} holds no usable certificate: {e}",
                path.display()
            ))
        })?;
    }
    if roots.is_empty() {
        return Err(StoreError::Refused(format!(
            "{} holds no certificate",
            path.display()
        )));
    }
    Ok(roots)
}

/// libpq's `require` and `prefer` without a root certificate: encrypted,
/// but any certificate is taken (its signatures are still checked).
#[derive(Debug)]
struct Unverified(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain to the root must hold; the name is not checked.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_shows() {
        assert_eq!(
            redact("postgres://ana:s3cret@db.example:5432/team?sslmode=verify-full"),
            "postgres://ana:***@db.example:5432/team?sslmode=verify-full"
        );
        assert_eq!(
            redact("postgresql://db/team?user=ana&password=s3cret"),
            "postgresql://db/team?user=ana&password=***"
        );
        assert_eq!(redact("postgres://ana@db/team"), "postgres://ana@db/team");
        let e = parse("postgres://ana:s3cret@db/team?sslmode=sometimes").unwrap_err();
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(e.to_string().contains("sslmode=sometimes"), "{e}");
    }

    #[test]
    fn addresses_as_libpq_takes_them() {
        assert!(is_server_address("postgres://db/team"));
        assert!(is_server_address("PostgreSQL://db/team"));
        assert!(!is_server_address("/home/ana/postgres://x"));
        assert!(!is_server_address("team.db"));
        assert_eq!(percent_decode("%2Ftmp%2fpg%zz%é"), "/tmp/pg%zz%é");
        let a = parse("postgres://ana@localhost/team?host=%2Ftmp%2Fpg&port=5433").unwrap();
        assert_eq!(a.tls(), TlsMode::Prefer);
        assert_eq!(a.config.get_dbname(), Some("team"));
        assert_eq!(a.config.get_ports(), &[5433]);
        let a = parse("postgres://ana@db/team?sslmode=verify-full&sslrootcert=/x/ca.crt").unwrap();
        assert_eq!(a.tls(), TlsMode::VerifyFull);
        assert_eq!(a.root_cert.as_deref(), Some(Path::new("/x/ca.crt")));
    }

    #[test]
    fn password_file_lines_with_escapes_and_stars() {
        assert_eq!(
            split_pgpass(r"db.example:*:team:ana:pa\:ss\\word"),
            vec!["db.example", "*", "team", "ana", r"pa:ss\word"]
        );
    }
}

#[cfg(test)]
mod on_a_server {
    use super::*;

    fn tcp(host: &str, params: &str) -> Option<String> {
        crate::store::sql::postgres::test_server()?;
        let port = std::env::var("TEAMLOOP_TEST_PG_PORT").ok()?;
        Some(format!(
            "postgres://teamloop@{host}:{port}/postgres?{params}"
        ))
    }

    fn encrypted(address: &str) -> Result<bool> {
        let mut client = connect(&parse(address)?)?;
        let row = client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .map_err(crate::store::sql::postgres::server_error)?;
        Ok(row.get(0))
    }

    #[test]
    fn verification_means_what_sslmode_says() {
        let Some(ca) = std::env::var("TEAMLOOP_TEST_PG_CA").ok() else {
            if crate::store::sql::postgres::test_server().is_some() {
                eprintln!("skipped: the test server has no TLS (no openssl when it started)");
            }
            return;
        };
        let Some(full) = tcp(
            "localhost",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        ) else {
            return;
        };
        assert!(
            encrypted(&full).unwrap(),
            "verify-full to the name on the certificate"
        );
        let by_ip = tcp(
            "127.0.0.1",
            &format!("sslmode=verify-full&sslrootcert={ca}"),
        )
        .unwrap();
        let e = encrypted(&by_ip).unwrap_err().to_string();
        assert!(e.contains("cannot reach") && e.contains("127.0.0.1"), "{e}");
        let chain = tcp("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}")).unwrap();
        assert!(
            encrypted(&chain).unwrap(),
            "verify-ca does not check the name"
        );
        let server_cert = ca.replace("ca.crt", "server.crt");
        let wrong_root = tcp(
            "localhost",
            &format!("sslmode=verify-ca&sslrootcert={server_cert}"),
        )
        .unwrap();
        assert!(
            encrypted(&wrong_root).is_err(),
            "a root that signed nothing"
        );
        let no_root = tcp("localhost", "sslmode=verify-full").unwrap();
        let e = parse(&no_root)
            .and_then(|a| connect(&a).map(|_| ()))
            .unwrap_err();
        assert!(e.to_string().contains("sslrootcert"), "{e}");
        let require = tcp("localhost", "sslmode=require").unwrap();
        assert!(encrypted(&require).unwrap());
        let plain = tcp("localhost", "sslmode=disable").unwrap();
        assert!(!encrypted(&plain).unwrap());
    }

    #[test]
    fn an_unreachable_server_and_a_missing_database_are_one_line_each() {
        let Some(_) = crate::store::sql::postgres::test_server() else {
            return;
        };
        let e = connect(&parse("postgres://ana:s3cret@127.0.0.1:1/team?sslmode=disable").unwrap())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "cannot reach the database server at postgres://ana:***@127.0.0.1:1/team"
            ),
            "{e}"
        );
        assert!(!e.contains("s3cret") && !e.contains('\n'), "{e}");
        let missing = tcp("localhost", "sslmode=disable")
            .unwrap()
            .replace("/postgres?", "/no_such_team?");
        let e = connect(&parse(&missing).unwrap())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no_such_team") && e.contains("create it"), "{e}");
    }
}
