//! The SQL text of every introspection query, by engine. Each selects
//! columns named as the typed row that reads it (`name`, `definition`, …);
//! PostgreSQL queries cover every non-system schema and name objects outside
//! the current schema `schema.name`.

/// A relation's name: bare in the current schema, `schema.name` elsewhere,
/// each part quoted where SQL would quote it (`"t.a"` is not `t.a`).
macro_rules! pg_qualified {
    ($ns:literal, $rel:literal) => {
        concat!(
            "CASE WHEN ",
            $ns,
            ".nspname = current_schema() THEN quote_ident(",
            $rel,
            ".relname) ELSE quote_ident(",
            $ns,
            ".nspname) || '.' || quote_ident(",
            $rel,
            ".relname) END"
        )
    };
}

/// Every schema but PostgreSQL's own.
macro_rules! pg_user_schema {
    ($ns:literal) => {
        concat!(
            $ns,
            ".nspname NOT IN ('pg_catalog', 'information_schema') AND ",
            $ns,
            ".nspname NOT LIKE 'pg\\_%'"
        )
    };
}

/// PostgreSQL: whether sqlx's table exists.
pub(super) const PG_HAS_MIGRATIONS: &str = "SELECT table_name::text AS name FROM information_schema.tables \
     WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'";

/// PostgreSQL: every column of every table.
pub(super) const PG_COLUMNS: &str = concat!(
    "SELECT ",
    pg_qualified!("n", "c"),
    " AS table_name, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS data_type, \
     a.attnotnull AS not_null, \
     CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_value, \
     CASE WHEN a.attgenerated = 's' THEN 'stored as (' || pg_get_expr(d.adbin, d.adrelid) || ')' \
          WHEN a.attidentity = 'a' THEN 'identity always' \
          WHEN a.attidentity = 'd' THEN 'identity by default' END AS generated, \
     (SELECT co.collname::text FROM pg_collation co WHERE co.oid = a.attcollation \
        AND a.attcollation <> 0 AND co.collname <> 'default') AS collation \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE ",
    pg_user_schema!("n"),
    " AND c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 \
     AND NOT a.attisdropped AND c.relname <> '_sqlx_migrations'"
);

/// PostgreSQL: primary keys, unique, foreign key, check and exclusion
/// constraints of every table.
pub(super) const PG_CONSTRAINTS: &str = concat!(
    "SELECT ",
    pg_qualified!("n", "c"),
    " AS table_name, con.contype::text AS kind, pg_get_constraintdef(con.oid) AS definition \
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE ",
    pg_user_schema!("n"),
    " AND c.relname <> '_sqlx_migrations' AND con.contype IN ('p', 'u', 'f', 'c', 'x')"
);

/// PostgreSQL: every view.
pub(super) const PG_VIEWS: &str = concat!(
    "SELECT ",
    pg_qualified!("n", "c"),
    " AS name, pg_get_viewdef(c.oid) AS definition \
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
     WHERE c.relkind = 'v' AND ",
    pg_user_schema!("n")
);

/// PostgreSQL: the server's major version (`15`).
pub(super) const PG_MAJOR: &str =
    "SELECT 'PostgreSQL ' || (current_setting('server_version_num')::int / 10000)::text AS name";

/// A relation's ACL as owner-independent text: `owner`, `public` or the
/// role, `:` the privilege, `*` when grantable; `default` when never set.
macro_rules! pg_acl {
    ($acl:literal, $owner:literal) => {
        concat!(
            "coalesce((SELECT string_agg(e, ',' ORDER BY e) FROM (SELECT CASE WHEN x.grantee = ",
            $owner,
            " THEN 'owner' WHEN x.grantee = 0 THEN 'public' ELSE pg_get_userbyid(x.grantee)::text END \
             || ':' || x.privilege_type || CASE WHEN x.is_grantable THEN '*' ELSE '' END AS e \
             FROM aclexplode(",
            $acl,
            ") x) s), 'default')"
        )
    };
}

/// `schema.name`, each part quoted where SQL would quote it.
macro_rules! pg_name {
    ($ns:literal, $name:literal) => {
        concat!("quote_ident(", $ns, ") || '.' || quote_ident(", $name, ")")
    };
}

/// The role that ran the migrations: on the live database the owner of
/// sqlx's `_sqlx_migrations` (sqlx creates it as that role), on a scratch
/// database (which has none) this session's role, which replayed them.
macro_rules! pg_main_owner {
    () => {
        "coalesce((SELECT r.oid FROM pg_roles r \
          WHERE r.rolname = nullif(current_setting('gonogo.migrations_role', true), '')), \
          (SELECT c.relowner FROM pg_class c \
          WHERE c.oid = to_regclass(quote_ident(current_schema()) || '._sqlx_migrations')), \
          (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user))"
    };
}

/// A role as drift compares it: the migrations' role by that description,
/// any other by name.
macro_rules! pg_role {
    ($oid:literal) => {
        concat!(
            "CASE WHEN ",
            $oid,
            " = ",
            pg_main_owner!(),
            " THEN 'the migrations'' role' ELSE pg_get_userbyid(",
            $oid,
            ")::text END"
        )
    };
}

/// PostgreSQL objects beyond tables, each a query of (name, definition)
/// over every non-system schema (SPEC §7).
pub(super) const POSTGRES_OBJECTS: [(&str, &str); 33] = [
    (
        "index",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "i.relname"),
            ", pg_get_indexdef(ix.indexrelid) \
             || CASE WHEN NOT ix.indisvalid THEN ' (invalid)' ELSE '' END \
             || CASE WHEN NOT ix.indisready THEN ' (not ready)' ELSE '' END \
             || CASE WHEN ix.indisclustered THEN ' (clustered)' ELSE '' END \
             || CASE WHEN ix.indisreplident THEN ' (replica identity)' ELSE '' END \
             FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE ",
            pg_user_schema!("n"),
            " AND t.relname <> '_sqlx_migrations'"
        ),
    ),
    (
        "row-level security on",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            ", CASE WHEN c.relrowsecurity THEN 'enabled' ELSE 'disabled' END \
             || CASE WHEN c.relforcerowsecurity THEN ', forced' ELSE '' END \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE ",
            pg_user_schema!("n"),
            " AND c.relkind IN ('r', 'p') AND c.relname <> '_sqlx_migrations'"
        ),
    ),
    (
        "policy",
        concat!(
            "SELECT ",
            pg_name!("schemaname", "tablename"),
            " || '.' || quote_ident(policyname), \
             permissive || ' for ' || cmd || ' to ' || array_to_string(roles, ',') \
             || ' using (' || coalesce(qual, '') || ') with check (' || coalesce(with_check, '') || ')' \
             FROM pg_policies WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ),
    ),
    (
        "grants on",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            ", ",
            pg_acl!("c.relacl", "c.relowner"),
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
            pg_user_schema!("n"),
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> '_sqlx_migrations' \
             AND c.relname <> '_sqlx_migrations_id_seq'"
        ),
    ),
    (
        "column grants on",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " || '.' || quote_ident(a.attname), ",
            pg_acl!("a.attacl", "c.relowner"),
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
            pg_user_schema!("n"),
            " AND a.attacl IS NOT NULL AND a.attnum > 0"
        ),
    ),
    (
        "grants on schema",
        concat!(
            "SELECT quote_ident(n.nspname), ",
            pg_acl!("n.nspacl", "n.nspowner"),
            " FROM pg_namespace n WHERE ",
            pg_user_schema!("n")
        ),
    ),
    (
        "function",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "p.proname"),
            " || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
             pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ",
            pg_user_schema!("n"),
            " AND p.prokind IN ('f', 'p', 'w') \
"
        ),
    ),
    (
        "grants on function",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "p.proname"),
            " || '(' || pg_get_function_identity_arguments(p.oid) || ')', ",
            pg_acl!("p.proacl", "p.proowner"),
            " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ",
            pg_user_schema!("n"),
            ""
        ),
    ),
    (
        "trigger",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " || '.' || quote_ident(t.tgname), pg_get_triggerdef(t.oid) \
             || CASE t.tgenabled WHEN 'O' THEN '' WHEN 'D' THEN ' (disabled)' \
                WHEN 'R' THEN ' (enabled on replicas only)' ELSE ' (enabled always)' END \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE NOT t.tgisinternal AND ",
            pg_user_schema!("n")
        ),
    ),
    (
        "rule",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " || '.' || quote_ident(r.rulename), pg_get_ruledef(r.oid) \
             || CASE r.ev_enabled WHEN 'O' THEN '' WHEN 'D' THEN ' (disabled)' \
                WHEN 'R' THEN ' (enabled on replicas only)' ELSE ' (enabled always)' END \
             FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rulename <> '_RETURN' AND ",
            pg_user_schema!("n")
        ),
    ),
    (
        "type",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "t.typname"),
            ", CASE t.typtype \
             WHEN 'e' THEN 'enum (' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) \
               FROM pg_enum e WHERE e.enumtypid = t.oid) || ')' \
             WHEN 'c' THEN 'composite (' || (SELECT string_agg(quote_ident(a.attname) || ' ' \
               || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a \
               WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')' \
             ELSE 'domain ' || format_type(t.typbasetype, t.typtypmod) \
               || coalesce(' default ' || t.typdefault, '') || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END \
               || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(c.oid), ' ' ORDER BY c.conname) \
                  FROM pg_constraint c WHERE c.contypid = t.oid), '') END \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' \
               AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c')) AND ",
            pg_user_schema!("n")
        ),
    ),
    (
        "grants on type",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "t.typname"),
            ", ",
            pg_acl!("t.typacl", "t.typowner"),
            " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' \
               AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c')) AND ",
            pg_user_schema!("n")
        ),
    ),
    (
        "sequence",
        concat!(
            "SELECT ",
            pg_name!("s.schemaname", "s.sequencename"),
            ", s.data_type::text || ' start ' || s.start_value \
             || ' increment ' || s.increment_by || ' min ' || s.min_value || ' max ' || s.max_value \
             || CASE WHEN s.cycle THEN ' cycle' ELSE '' END || ' cache ' || s.cache_size \
             || coalesce(' owned by ' || (SELECT quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) \
                  || '.' || quote_ident(a.attname) FROM pg_depend d \
                  JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace \
                  JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid \
                  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass \
                  AND d.objid = (",
            pg_name!("s.schemaname", "s.sequencename"),
            ")::regclass AND d.deptype IN ('a', 'i')), '') \
             FROM pg_sequences s WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema') \
             AND s.sequencename <> '_sqlx_migrations_id_seq'"
        ),
    ),
    (
        "extension",
        "SELECT quote_ident(extname), extversion FROM pg_extension",
    ),
    (
        "comment on",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " || coalesce('.' || quote_ident(a.attname), ''), d.description \
             FROM pg_description d JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0 \
             WHERE ",
            pg_user_schema!("n")
        ),
    ),
    (
        "collation",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.collname"),
            ", c.collprovider::text || ' ' || coalesce(c.collcollate, '') || ' ' || coalesce(c.collctype, '') \
             || CASE WHEN c.collisdeterministic THEN '' ELSE ' nondeterministic' END \
             FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE ",
            pg_user_schema!("n")
        ),
    ),
    (
        "materialized view",
        concat!(
            "SELECT ",
            pg_name!("schemaname", "matviewname"),
            ", definition FROM pg_matviews WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ),
    ),
    (
        "properties of",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            ", 'kind ' || c.relkind::text || CASE c.relpersistence WHEN 'u' THEN ', unlogged' \
                WHEN 't' THEN ', temporary' ELSE '' END \
             || ', replica identity ' || c.relreplident::text \
             || coalesce(', options ' || array_to_string(c.reloptions, ','), '') \
             || coalesce(', partitioned by ' || pg_get_partkeydef(c.oid), '') \
             || coalesce(', partition of ' || (SELECT string_agg(",
            pg_name!("pn.nspname", "pc.relname"),
            ", ',') FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent \
                 JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid) \
                 || ' ' || pg_get_expr(c.relpartbound, c.oid), '') \
             || coalesce(', inherits ' || (SELECT string_agg(",
            pg_name!("pn.nspname", "pc.relname"),
            ", ',' ORDER BY i.inhseqno) FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent \
                 JOIN pg_namespace pn ON pn.oid = pc.relnamespace \
                 WHERE i.inhrelid = c.oid AND NOT c.relispartition), '') \
             || coalesce(', foreign table on ' || (SELECT quote_ident(fs.srvname) \
                 || coalesce(' options ' || array_to_string(ft.ftoptions, ','), '') \
                 FROM pg_foreign_table ft JOIN pg_foreign_server fs ON fs.oid = ft.ftserver \
                 WHERE ft.ftrelid = c.oid), '') \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
            pg_user_schema!("n"),
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname <> '_sqlx_migrations'"
        ),
    ),
    (
        "owner of",
        concat!(
            "SELECT name, ",
            pg_role!("owner"),
            " FROM (SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " AS name, c.relowner AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
              WHERE ",
            pg_user_schema!("n"),
            " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> '_sqlx_migrations' \
              AND c.relname <> '_sqlx_migrations_id_seq' \
             UNION ALL SELECT 'schema ' || quote_ident(n.nspname), n.nspowner FROM pg_namespace n WHERE ",
            pg_user_schema!("n"),
            " UNION ALL SELECT 'function ' || ",
            pg_name!("n.nspname", "p.proname"),
            " || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner \
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ",
            pg_user_schema!("n"),
            " UNION ALL SELECT 'type ' || ",
            pg_name!("n.nspname", "t.typname"),
            ", t.typowner FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
              WHERE (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' \
                AND (SELECT r.relkind FROM pg_class r WHERE r.oid = t.typrelid) = 'c')) AND ",
            pg_user_schema!("n"),
            " UNION ALL SELECT 'server ' || quote_ident(s.srvname), s.srvowner FROM pg_foreign_server s \
              UNION ALL SELECT 'foreign-data wrapper ' || quote_ident(w.fdwname), w.fdwowner \
              FROM pg_foreign_data_wrapper w) o"
        ),
    ),
    (
        "default privileges",
        concat!(
            "SELECT coalesce('in schema ' || quote_ident(n.nspname), 'everywhere') || ' on ' \
             || d.defaclobjtype::text || ' created by ' || ",
            pg_role!("d.defaclrole"),
            ", ",
            pg_acl!("d.defaclacl", "d.defaclrole"),
            " FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace"
        ),
    ),
    (
        // Who may create schemas in the database (CONNECT and TEMP are an
        // operator's business, set outside migrations).
        "grants on the database",
        "SELECT 'CREATE', coalesce((SELECT string_agg(CASE WHEN x.grantee = 0 THEN 'public' \
           WHEN x.grantee = d.datdba THEN 'owner' ELSE pg_get_userbyid(x.grantee)::text END \
           || CASE WHEN x.is_grantable THEN '*' ELSE '' END, ',' ORDER BY 1) \
           FROM aclexplode(d.datacl) x WHERE x.privilege_type = 'CREATE'), 'owner') \
         FROM pg_database d WHERE d.datname = current_database()",
    ),
    (
        // Settings that change what the database enforces, and every
        // custom (`app.tenant`) setting a policy may read.
        "settings of the database",
        "SELECT CASE WHEN s.setrole = 0 THEN 'for every role' ELSE 'for ' || pg_get_userbyid(s.setrole)::text END, \
         string_agg(c, ',' ORDER BY c) FROM pg_db_role_setting s, unnest(s.setconfig) c \
         WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND (split_part(c, '=', 1) LIKE '%.%' OR split_part(c, '=', 1) IN ('session_replication_role', \
           'row_security', 'search_path', 'default_transaction_read_only', 'session_preload_libraries', \
           'local_preload_libraries', 'role', 'session_authorization', 'default_table_access_method')) \
         GROUP BY s.setrole",
    ),
    (
        "publication",
        "SELECT quote_ident(p.pubname), 'all tables ' || p.puballtables || ', insert ' || p.pubinsert \
         || ', update ' || p.pubupdate || ', delete ' || p.pubdelete || ', truncate ' || p.pubtruncate \
         || ', tables ' || coalesce((SELECT string_agg(quote_ident(t.schemaname) || '.' || quote_ident(t.tablename), \
            ',' ORDER BY t.schemaname, t.tablename) FROM pg_publication_tables t WHERE t.pubname = p.pubname), '') \
         FROM pg_publication p",
    ),
    (
        // Option names shown, values by digest (a server may hold a password).
        "server",
        "SELECT quote_ident(s.srvname), w.fdwname || ' ' || coalesce(s.srvtype, '') || ' ' \
         || coalesce(s.srvversion, '') || coalesce(' options ' || (SELECT string_agg(split_part(o, '=', 1), ',' \
            ORDER BY o) FROM unnest(s.srvoptions) o) || ' digest ' || md5(array_to_string(s.srvoptions, ',')), '') \
         FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw",
    ),
    (
        // Triggers PostgreSQL makes for foreign keys: disabling them turns
        // the key off (names carry OIDs, so only disabled ones are listed).
        "internal triggers not enabled as usual on",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            ", string_agg(CASE t.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica only' \
               ELSE 'always' END, ', ' ORDER BY t.tgenabled) \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgisinternal AND t.tgenabled <> 'O' AND ",
            pg_user_schema!("n"),
            " GROUP BY n.nspname, c.relname"
        ),
    ),
    (
        // Options may hold a password: compared by digest, never shown.
        "user mapping",
        "SELECT quote_ident(srvname) || ' for ' || usename, \
         coalesce('options digest ' || md5(array_to_string(umoptions, ',')), 'no options') \
         FROM pg_user_mappings",
    ),
    (
        "event trigger",
        "SELECT quote_ident(evtname), evtevent || ' ' || evtfoid::regprocedure::text \
         || CASE evtenabled WHEN 'O' THEN '' WHEN 'D' THEN ' (disabled)' \
            WHEN 'R' THEN ' (enabled on replicas only)' ELSE ' (enabled always)' END \
         || coalesce(' tags ' || array_to_string(evttags, ','), '') FROM pg_event_trigger",
    ),
    (
        "column default on view",
        concat!(
            "SELECT ",
            pg_name!("n.nspname", "c.relname"),
            " || '.' || quote_ident(a.attname), pg_get_expr(d.adbin, d.adrelid) \
             FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid \
             JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND ",
            pg_user_schema!("n")
        ),
    ),
    (
        "grants on server",
        concat!(
            "SELECT quote_ident(s.srvname), ",
            pg_acl!("s.srvacl", "s.srvowner"),
            " FROM pg_foreign_server s"
        ),
    ),
    (
        "grants on foreign-data wrapper",
        concat!(
            "SELECT quote_ident(w.fdwname), ",
            pg_acl!("w.fdwacl", "w.fdwowner"),
            " FROM pg_foreign_data_wrapper w"
        ),
    ),
    (
        // Functions added to PostgreSQL's own schemas after initdb (an
        // extension's, or one shadowing a function of the app's).
        "function in a system schema",
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' \
         || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid) \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname IN ('pg_catalog', 'information_schema') AND p.oid >= 16384 \
         AND p.prokind IN ('f', 'p', 'w')",
    ),
    (
        "subscription",
        "SELECT quote_ident(s.subname), CASE WHEN s.subenabled THEN 'enabled' ELSE 'disabled' END \
         || ' publications ' || array_to_string(s.subpublications, ',') FROM pg_subscription s \
         WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    ),
    (
        "constraint properties on",
        concat!(
            "SELECT ",
            pg_qualified!("n", "c"),
            " || '.' || quote_ident(con.conname), pg_get_constraintdef(con.oid) \
             FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ",
            pg_user_schema!("n"),
            " AND (con.condeferrable OR con.contype = 'x' OR NOT con.convalidated)"
        ),
    ),
];

/// MySQL/MariaDB objects beyond tables (SPEC §7) read from the catalog;
/// tables, views, routines and triggers are read with `SHOW CREATE`
/// ([`MYSQL_DEFINED`]).
pub(super) const MYSQL_OBJECTS: [(&str, &str); 4] = [
    (
        "trigger order on",
        "SELECT CAST(CONCAT(EVENT_OBJECT_TABLE, ' ', ACTION_TIMING, ' ', EVENT_MANIPULATION) AS CHAR), \
         CAST(GROUP_CONCAT(TRIGGER_NAME ORDER BY ACTION_ORDER) AS CHAR) FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE() GROUP BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION",
    ),
    (
        "event",
        "SELECT CAST(EVENT_NAME AS CHAR), CAST(CONCAT_WS(' ', CONCAT('DEFINER=`', \
         SUBSTRING_INDEX(DEFINER, '@', 1), '`@`', SUBSTRING_INDEX(DEFINER, '@', -1), '`'), EVENT_TYPE, \
         INTERVAL_VALUE, INTERVAL_FIELD, STATUS, ON_COMPLETION, EVENT_DEFINITION) AS CHAR) \
         FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()",
    ),
    (
        "grants on",
        "SELECT CAST(CONCAT(TABLE_NAME, ' to ', GRANTEE) AS CHAR), \
         CAST(GROUP_CONCAT(CONCAT(PRIVILEGE_TYPE, IF(IS_GRANTABLE = 'YES', '*', '')) ORDER BY PRIVILEGE_TYPE) AS CHAR) \
         FROM information_schema.TABLE_PRIVILEGES WHERE TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME, GRANTEE",
    ),
    (
        "column grants on",
        "SELECT CAST(CONCAT(TABLE_NAME, '.', COLUMN_NAME, ' to ', GRANTEE) AS CHAR), \
         CAST(GROUP_CONCAT(CONCAT(PRIVILEGE_TYPE, IF(IS_GRANTABLE = 'YES', '*', '')) ORDER BY PRIVILEGE_TYPE) AS CHAR) \
         FROM information_schema.COLUMN_PRIVILEGES WHERE TABLE_SCHEMA = DATABASE() \
         GROUP BY TABLE_NAME, COLUMN_NAME, GRANTEE",
    ),
];

/// MySQL/MariaDB: every object `SHOW CREATE` can write, as (name, the
/// `SHOW CREATE` keyword, the column holding the statement).
pub(super) const MYSQL_DEFINED: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS name, \
     CAST(IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE') AS CHAR) AS kind FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_sqlx_migrations' \
     UNION ALL SELECT CAST(ROUTINE_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR) \
     FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() \
     UNION ALL SELECT CAST(TRIGGER_NAME AS CHAR), 'TRIGGER' \
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()";

/// MySQL/MariaDB: whether sqlx's table exists.
pub(super) const MYSQL_HAS_MIGRATIONS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS name FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_sqlx_migrations'";

/// MySQL/MariaDB: every column of every base table.
pub(super) const MYSQL_COLUMNS: &str = "SELECT CAST(c.TABLE_NAME AS CHAR) AS table_name, \
     CAST(c.COLUMN_NAME AS CHAR) AS name, CAST(c.COLUMN_TYPE AS CHAR) AS data_type, \
     CAST(c.IS_NULLABLE AS CHAR) AS nullable, CAST(c.COLUMN_DEFAULT AS CHAR) AS default_value, \
     CAST(CASE WHEN c.EXTRA <> '' THEN CONCAT(LOWER(c.EXTRA), \
       IF(COALESCE(c.GENERATION_EXPRESSION, '') <> '', CONCAT(' as (', c.GENERATION_EXPRESSION, ')'), '')) \
       END AS CHAR) AS generated, \
     CAST(c.COLLATION_NAME AS CHAR) AS collation \
     FROM information_schema.COLUMNS c JOIN information_schema.TABLES t \
     ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME \
     WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED') \
     AND c.TABLE_NAME <> '_sqlx_migrations' ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

/// MySQL/MariaDB: the columns of primary and foreign keys.
pub(super) const MYSQL_KEYS: &str = "SELECT CAST(k.TABLE_NAME AS CHAR) AS table_name, \
     CAST(k.CONSTRAINT_NAME AS CHAR) AS constraint_name, CAST(tc.CONSTRAINT_TYPE AS CHAR) AS kind, \
     CAST(k.COLUMN_NAME AS CHAR) AS column_name, \
     CAST(k.REFERENCED_TABLE_NAME AS CHAR) AS referenced_table, \
     CAST(k.REFERENCED_COLUMN_NAME AS CHAR) AS referenced_column, \
     CAST(CONCAT('on delete ', LOWER(rc.DELETE_RULE), ' on update ', LOWER(rc.UPDATE_RULE)) AS CHAR) AS actions \
     FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.TABLE_CONSTRAINTS tc \
     ON tc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND tc.TABLE_NAME = k.TABLE_NAME \
     AND tc.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
     LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc \
     ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
     AND rc.TABLE_NAME = k.TABLE_NAME \
     WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME <> '_sqlx_migrations' \
     ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/// MySQL/MariaDB: CHECK constraints (MariaDB 10.2+, MySQL 8.0.16+).
pub(super) const MYSQL_CHECKS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS table_name, \
     CAST(CHECK_CLAUSE AS CHAR) AS definition FROM information_schema.CHECK_CONSTRAINTS \
     WHERE CONSTRAINT_SCHEMA = DATABASE()";

/// MySQL/MariaDB: index columns in order (an expression key has no column).
pub(super) const MYSQL_INDEXES: &str = "SELECT CAST(INDEX_NAME AS CHAR) AS name, \
     CAST(TABLE_NAME AS CHAR) AS table_name, CAST(NON_UNIQUE AS CHAR) AS non_unique, \
     CAST(COLUMN_NAME AS CHAR) AS column_name, CAST(INDEX_TYPE AS CHAR) AS method, \
     CAST(SUB_PART AS CHAR) AS sub_part \
     FROM information_schema.STATISTICS \
     WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME <> '_sqlx_migrations' \
     ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

/// MySQL/MariaDB: every view.
pub(super) const MYSQL_VIEWS: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS name, \
     CAST(VIEW_DEFINITION AS CHAR) AS definition FROM information_schema.VIEWS \
     WHERE TABLE_SCHEMA = DATABASE()";

/// MySQL/MariaDB: the current database, its defaults, and the server flavour
/// and major version (`MariaDB 10.11`, `MySQL 8.0`).
pub(super) const MYSQL_DATABASE: &str = "SELECT CAST(DATABASE() AS CHAR) AS name, \
     CAST(@@character_set_database AS CHAR) AS charset, \
     CAST(@@collation_database AS CHAR) AS collation, \
     CAST(CONCAT(IF(VERSION() LIKE '%MariaDB%', 'MariaDB ', 'MySQL '), \
       SUBSTRING_INDEX(VERSION(), '.', 2)) AS CHAR) AS version";

/// SQLite: every table but SQLite's own and sqlx's.
pub(super) const SQLITE_TABLES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name";

/// SQLite: whether sqlx's table exists.
pub(super) const SQLITE_HAS_MIGRATIONS: &str =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'";

/// SQLite: every view.
pub(super) const SQLITE_VIEWS: &str =
    "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'view'";

/// SQLite: the stored SQL of each table, index and trigger.
pub(super) const SQLITE_OBJECTS: &str = "SELECT type || ' `' || name || '` (its SQL)', sql \
     FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table', 'index', 'trigger') \
     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'";

/// SQLite: a table's columns, generated ones included (`hidden` 2 is
/// virtual, 3 stored).
pub(super) const SQLITE_COLUMNS: &str = "SELECT name, lower(type) AS data_type, \"notnull\" AS not_null, \
     dflt_value AS default_value, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid";

/// SQLite: a table's indexes.
pub(super) const SQLITE_INDEXES: &str = "SELECT name, origin, \"unique\" AS is_unique, partial \
     FROM pragma_index_list(?1)";

/// SQLite: an index's key columns (`cid` -1 is the rowid, -2 an expression).
pub(super) const SQLITE_INDEX_COLUMNS: &str =
    "SELECT cid, name FROM pragma_index_info(?1) ORDER BY seqno";

/// SQLite: a table's foreign keys, one row per column.
pub(super) const SQLITE_FOREIGN_KEYS: &str = "SELECT id, \"table\" AS table_name, \"from\" AS from_column, \
     \"to\" AS to_column, lower(on_delete) AS on_delete, lower(on_update) AS on_update \
     FROM pragma_foreign_key_list(?1) ORDER BY id, seq";
