//! A fresh, empty database per test on the machine's PostgreSQL and MariaDB, so tests run in parallel and
//! leave nothing behind. The database is dropped when the returned guard is dropped.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, Executor};

/// Admin URL of the PostgreSQL server (defaults to the local trust-auth superuser).
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Admin URL of the MariaDB/MySQL server (defaults to the local password-less root).
pub fn mysql_admin_url() -> String {
    std::env::var("TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/mysql".into())
}

fn unique_name(prefix: &str) -> String {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let simple = uuid::Uuid::new_v4().simple().to_string();
    format!(
        "t_{prefix}_{}_{}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed),
        &simple[..8]
    )
}

fn with_database(admin_url: &str, name: &str) -> String {
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url);
    format!("{base}/{name}")
}

/// A service's migrations directory (`migrations/<service>`), for `sqlx::migrate::Migrator::new`.
pub fn migrations(service: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(service)
}

/// Which server a [`TestDatabase`] lives on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    MySql,
}

/// A database created for one test. `url` connects to it; dropping the guard drops the database
/// (in a background thread, so it also works from inside a runtime that is shutting down).
pub struct TestDatabase {
    pub url: String,
    pub name: String,
    engine: Engine,
}

impl TestDatabase {
    /// Creates an empty PostgreSQL database.
    pub async fn postgres(prefix: &str) -> TestDatabase {
        let name = unique_name(prefix);
        let mut conn = sqlx::PgConnection::connect(&postgres_admin_url())
            .await
            .expect("connect to PostgreSQL");
        conn.execute(format!(r#"CREATE DATABASE "{name}""#).as_str())
            .await
            .expect("create test database");
        TestDatabase {
            url: with_database(&postgres_admin_url(), &name),
            name,
            engine: Engine::Postgres,
        }
    }

    /// Creates an empty MariaDB/MySQL database.
    pub async fn mysql(prefix: &str) -> TestDatabase {
        let name = unique_name(prefix);
        let mut conn = sqlx::MySqlConnection::connect(&mysql_admin_url())
            .await
            .expect("connect to MariaDB");
        conn.execute(format!("CREATE DATABASE `{name}`").as_str())
            .await
            .expect("create test database");
        TestDatabase {
            url: with_database(&mysql_admin_url(), &name),
            name,
            engine: Engine::MySql,
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let engine = self.engine;
        // A fresh runtime on its own thread: Drop may run inside a runtime, where blocking is not allowed.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                match engine {
                    Engine::Postgres => {
                        if let Ok(mut c) = sqlx::PgConnection::connect(&postgres_admin_url()).await
                        {
                            let _ = c
                                .execute(
                                    format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#)
                                        .as_str(),
                                )
                                .await;
                        }
                    }
                    Engine::MySql => {
                        if let Ok(mut c) = sqlx::MySqlConnection::connect(&mysql_admin_url()).await
                        {
                            // A test that panicked may have left a transaction open, whose locks
                            // would make the drop wait forever: end the database's other sessions.
                            let ids: Vec<u64> = sqlx::query_scalar(
                                "SELECT id FROM information_schema.processlist \
                                 WHERE db = ? AND id <> CONNECTION_ID()",
                            )
                            .bind(&name)
                            .fetch_all(&mut c)
                            .await
                            .unwrap_or_default();
                            for id in ids {
                                let _ = c.execute(format!("KILL {id}").as_str()).await;
                            }
                            let sql = format!("DROP DATABASE IF EXISTS `{name}`");
                            let drop = c.execute(sql.as_str());
                            let _ = tokio::time::timeout(std::time::Duration::from_secs(30), drop)
                                .await;
                        }
                    }
                }
            });
        })
        .join();
    }
}
