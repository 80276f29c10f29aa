namespace Superbridge.Web.Storage;

/// <summary>
/// The schema history. Never edit a released migration: append a new one, so every existing
/// database is brought forward the same way.
/// </summary>
public static class SchemaMigrations
{
    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "settings", """
            CREATE TABLE settings (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        new(2, "users", """
            CREATE TABLE users (
                name          TEXT PRIMARY KEY,
                password_hash TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            """),
        new(3, "hosts, segments, operations and audit", """
            CREATE TABLE hosts (
                id                    TEXT PRIMARY KEY,
                name                  TEXT NOT NULL UNIQUE,
                address               TEXT NOT NULL,
                port                  INTEGER NOT NULL,
                username              TEXT NOT NULL,
                auth_kind             TEXT NOT NULL CHECK (auth_kind IN ('key-path', 'key', 'password')),
                private_key_path      TEXT,
                secret_protected      TEXT,
                passphrase_protected  TEXT,
                use_sudo              INTEGER NOT NULL,
                host_key_fingerprint  TEXT NOT NULL,
                underlay_device       TEXT,
                underlay_mtu          INTEGER,
                lxc_path              TEXT,
                created_at            TEXT NOT NULL
            );
            CREATE TABLE segments (
                id               TEXT PRIMARY KEY,
                spec_json        TEXT NOT NULL,
                allocation_json  TEXT NOT NULL,
                created_at       TEXT NOT NULL,
                updated_at       TEXT NOT NULL
            );
            CREATE TABLE operations (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                kind        TEXT NOT NULL,
                segment_id  TEXT,
                user_name   TEXT NOT NULL,
                started_at  TEXT NOT NULL,
                ended_at    TEXT,
                status      TEXT NOT NULL,
                error       TEXT
            );
            CREATE TABLE audit (
                id            INTEGER PRIMARY KEY AUTOINCREMENT,
                operation_id  INTEGER REFERENCES operations(id),
                host_id       TEXT NOT NULL,
                user_name     TEXT NOT NULL,
                at            TEXT NOT NULL,
                argv_json     TEXT NOT NULL,
                exit_code     INTEGER,
                stdout        TEXT NOT NULL,
                stderr        TEXT NOT NULL,
                duration_ms   INTEGER NOT NULL
            );
            CREATE INDEX audit_by_host ON audit (host_id, at);
            CREATE INDEX audit_by_operation ON audit (operation_id);
            CREATE INDEX operations_by_segment ON operations (segment_id, started_at);
            """),
        new(4, "segments remember what was last applied", """
            ALTER TABLE segments ADD COLUMN applied_json TEXT;
            """),
        new(5, "durable operations: what each stores before it runs, and a segment's unfinished attempt", """
            ALTER TABLE segments ADD COLUMN attempted_json TEXT;
            ALTER TABLE operations ADD COLUMN run_started_at TEXT;
            ALTER TABLE operations ADD COLUMN target_json TEXT;
            ALTER TABLE operations ADD COLUMN plan_json TEXT;
            ALTER TABLE operations ADD COLUMN plan_fingerprint TEXT;
            ALTER TABLE operations ADD COLUMN result_json TEXT;
            CREATE INDEX operations_by_status ON operations (status);
            """),
        new(6, "IPsec pre-shared keys, encrypted with Data Protection", """
            CREATE TABLE ipsec_keys (
                name        TEXT PRIMARY KEY,
                protected   TEXT NOT NULL,
                created_at  TEXT NOT NULL
            );
            """),
        new(7, "sign-in sessions: a cookie is only as good as its row", """
            CREATE TABLE sessions (
                id          TEXT PRIMARY KEY,
                user_name   TEXT NOT NULL,
                created_at  TEXT NOT NULL,
                expires_at  TEXT NOT NULL
            );
            CREATE INDEX sessions_by_user ON sessions (user_name);
            """),
        new(8, "hosts' tunnel and peer addresses (null: resolved / the SSH address)", """
            ALTER TABLE hosts ADD COLUMN tunnel_address TEXT;
            ALTER TABLE hosts ADD COLUMN peer_address TEXT;
            """),
    ];
}
