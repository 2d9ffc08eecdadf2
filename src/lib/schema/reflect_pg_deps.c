/*
 * reflect_pg_deps.c - what PostgreSQL objects depend on each other
 * (pg_depend), and, when asked, privileges and default privileges: three
 * bulk queries.
 *
 * Dependencies are read as pairs of object keys (model_pg.h), built by the
 * server from the catalogs: a view depends on the columns, functions and
 * types its query uses, a default or CHECK on the functions it calls, a
 * trigger on its function, a column on its domain.  Only normal
 * dependencies between user objects are read; one on an object an
 * extension created is a dependency on the extension.  The diff uses them
 * to order statements and to recreate what stands on an object that has
 * to be dropped and created again.
 *
 * Privileges are each object's ACL exploded into (grantee, privilege,
 * grantable) entries, the built-in default ACL standing in for a NULL one,
 * so "never granted" and "granted what the default gives" compare equal.
 */
#include <stdlib.h>
#include <string.h>

#include "base/common.h"
#include "schema/reflect_pg.h"

#define REL_KEY(oidexpr) \
	"(SELECT CASE WHEN kc.relkind IN ('i', 'I') THEN 'index:' WHEN kc.relkind = 'c' THEN 'type:' ELSE '' END" \
	" || kn.nspname || '.' || kc.relname FROM pg_catalog.pg_class kc" \
	" JOIN pg_catalog.pg_namespace kn ON kn.oid = kc.relnamespace WHERE kc.oid = " oidexpr ")"

/* A type: arrays stand for their element, a table's row type for the table. */
#define TYPE_KEY(oidexpr) \
	"(SELECT CASE WHEN rc.oid IS NOT NULL AND rc.relkind <> 'c' THEN rn.nspname || '.' || rc.relname" \
	" ELSE 'type:' || kn.nspname || '.' || kt.typname END" \
	" FROM pg_catalog.pg_type at0 JOIN pg_catalog.pg_type kt" \
	"  ON kt.oid = CASE WHEN at0.typcategory = 'A' AND at0.typelem <> 0 THEN at0.typelem ELSE at0.oid END" \
	" JOIN pg_catalog.pg_namespace kn ON kn.oid = kt.typnamespace" \
	" LEFT JOIN pg_catalog.pg_class rc ON rc.oid = kt.typrelid" \
	" LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace WHERE at0.oid = " oidexpr ")"

#define REL_SUB_KEY(kind, catalog, relcol, namecol, oidexpr) \
	"(SELECT '" kind ":' || kn.nspname || '.' || kc.relname || '.' || ko." namecol " FROM " catalog " ko" \
	" JOIN pg_catalog.pg_class kc ON kc.oid = ko." relcol \
	" JOIN pg_catalog.pg_namespace kn ON kn.oid = kc.relnamespace WHERE ko.oid = " oidexpr ")"

/* The key of object (classid, objid, objsubid) as the model spells it; NULL for kinds not modelled. */
#define KEY(classid, objid, objsubid) \
	"CASE" \
	" WHEN " classid " = 'pg_catalog.pg_class'::regclass AND " objsubid " > 0 THEN 'column:' || " REL_KEY(objid) \
	"  || '.' || (SELECT a.attname FROM pg_catalog.pg_attribute a" \
	"   WHERE a.attrelid = " objid " AND a.attnum = " objsubid ")" \
	" WHEN " classid " = 'pg_catalog.pg_class'::regclass THEN " REL_KEY(objid) \
	" WHEN " classid " = 'pg_catalog.pg_proc'::regclass THEN (SELECT 'function:' || kn.nspname || '.'" \
	"  || kp.proname || '(' || pg_catalog.oidvectortypes(kp.proargtypes) || ')' FROM pg_catalog.pg_proc kp" \
	"  JOIN pg_catalog.pg_namespace kn ON kn.oid = kp.pronamespace WHERE kp.oid = " objid ")" \
	" WHEN " classid " = 'pg_catalog.pg_type'::regclass THEN " TYPE_KEY(objid) \
	" WHEN " classid " = 'pg_catalog.pg_constraint'::regclass THEN (SELECT CASE WHEN ko.contypid <> 0" \
	"  THEN " TYPE_KEY("ko.contypid") " ELSE 'constraint:' || kn.nspname || '.' || kc.relname || '.'" \
	"  || ko.conname END FROM pg_catalog.pg_constraint ko" \
	"  LEFT JOIN pg_catalog.pg_class kc ON kc.oid = ko.conrelid" \
	"  LEFT JOIN pg_catalog.pg_namespace kn ON kn.oid = kc.relnamespace WHERE ko.oid = " objid ")" \
	" WHEN " classid " = 'pg_catalog.pg_attrdef'::regclass THEN (SELECT 'default:' || kn.nspname || '.'" \
	"  || kc.relname || '.' || a.attname FROM pg_catalog.pg_attrdef ko" \
	"  JOIN pg_catalog.pg_class kc ON kc.oid = ko.adrelid" \
	"  JOIN pg_catalog.pg_namespace kn ON kn.oid = kc.relnamespace" \
	"  JOIN pg_catalog.pg_attribute a ON a.attrelid = ko.adrelid AND a.attnum = ko.adnum WHERE ko.oid = " objid ")" \
	" WHEN " classid " = 'pg_catalog.pg_rewrite'::regclass THEN (SELECT " REL_KEY("ko.ev_class") \
	"  FROM pg_catalog.pg_rewrite ko WHERE ko.oid = " objid ")" \
	" WHEN " classid " = 'pg_catalog.pg_trigger'::regclass THEN " \
	REL_SUB_KEY("trigger", "pg_catalog.pg_trigger", "tgrelid", "tgname", objid) \
	" WHEN " classid " = 'pg_catalog.pg_policy'::regclass THEN " \
	REL_SUB_KEY("policy", "pg_catalog.pg_policy", "polrelid", "polname", objid) \
	" WHEN " classid " = 'pg_catalog.pg_collation'::regclass THEN (SELECT 'collation:' || kn.nspname || '.'" \
	"  || ko.collname FROM pg_catalog.pg_collation ko" \
	"  JOIN pg_catalog.pg_namespace kn ON kn.oid = ko.collnamespace WHERE ko.oid = " objid ")" \
	" END"

/* A dependency on a column is one on its relation too (sub 0): dropping a view drops what reads its columns. */
static const char q_deps[] =
	"SELECT DISTINCT f.k, t.k FROM pg_catalog.pg_depend d"
	" CROSS JOIN LATERAL (SELECT " KEY("d.classid", "d.objid", "d.objsubid") ") f(k)"
	" CROSS JOIN LATERAL (SELECT DISTINCT unnest(ARRAY[d.refobjsubid, 0])) s(sub)"
	" CROSS JOIN LATERAL (SELECT coalesce((SELECT 'extension:' || e.extname FROM pg_catalog.pg_depend x"
	"  JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid WHERE x.classid = d.refclassid"
	"  AND x.objid = d.refobjid AND x.deptype = 'e' LIMIT 1), "
	KEY("d.refclassid", "d.refobjid", "s.sub") ")) t(k)"
	" WHERE d.deptype = 'n' AND d.objid >= 16384 AND d.refobjid >= 16384"
	" AND d.classid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_proc'::regclass,"
	"  'pg_catalog.pg_type'::regclass, 'pg_catalog.pg_constraint'::regclass, 'pg_catalog.pg_attrdef'::regclass,"
	"  'pg_catalog.pg_rewrite'::regclass, 'pg_catalog.pg_trigger'::regclass, 'pg_catalog.pg_policy'::regclass)"
	" AND d.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_proc'::regclass,"
	"  'pg_catalog.pg_type'::regclass, 'pg_catalog.pg_collation'::regclass)"
	" AND f.k IS NOT NULL AND t.k IS NOT NULL AND f.k <> t.k"
	" ORDER BY 1, 2";

#define GRANTEE "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee) END"
#define SAME_ENTRY "x.grantee = a.grantee AND x.privilege_type = a.privilege_type AND x.is_grantable = a.is_grantable"

/*
 * Every object with its ACL and the built-in default one; then what the
 * ACL adds to the default (granted) and what it lacks of it (revoked), so
 * an owner's own privileges, whoever the owner is, never show.
 */
static const char q_grants[] =
	"WITH o(objtype, schema, name, sub, key, acl, def) AS ("
	" SELECT CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END, n.nspname, c.relname, NULL, n.nspname || '.' || c.relname,"
	"  coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END, c.relowner)),"
	"  acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END, c.relowner)"
	" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " NS_FILTER NOT_EXT("c.oid", "pg_catalog.pg_class")
	" UNION ALL"
	" SELECT 'c', n.nspname, c.relname, att.attname, n.nspname || '.' || c.relname, att.attacl, '{}'::aclitem[]"
	" FROM pg_catalog.pg_attribute att JOIN pg_catalog.pg_class c ON c.oid = att.attrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped AND " NS_FILTER
	" UNION ALL"
	" SELECT CASE WHEN p.prokind = 'p' THEN 'p' ELSE 'f' END, n.nspname, p.proname,"
	"  pg_catalog.pg_get_function_identity_arguments(p.oid),"
	"  'function:' || n.nspname || '.' || p.proname || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')',"
	"  coalesce(p.proacl, acldefault('f', p.proowner)), acldefault('f', p.proowner)"
	" FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace"
	" WHERE p.prokind IN ('f', 'p', 'w') AND " NS_FILTER NOT_EXT("p.oid", "pg_catalog.pg_proc")
	" UNION ALL"
	" SELECT 'T', n.nspname, t.typname, NULL, 'type:' || n.nspname || '.' || t.typname,"
	"  coalesce(t.typacl, acldefault('T', t.typowner)), acldefault('T', t.typowner)"
	" FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid"
	" WHERE (t.typtype IN ('d', 'e') OR (t.typtype = 'c' AND tc.relkind = 'c')) AND " NS_FILTER
	NOT_EXT("t.oid", "pg_catalog.pg_type")
	" UNION ALL"
	" SELECT 'n', NULL, n.nspname, NULL, 'schema:' || n.nspname,"
	"  coalesce(n.nspacl, acldefault('n', n.nspowner)), acldefault('n', n.nspowner)"
	" FROM pg_catalog.pg_namespace n WHERE " NS_FILTER NOT_EXT("n.oid", "pg_catalog.pg_namespace") ")"
	" SELECT o.objtype, o.schema, o.name, o.sub, o.key, " GRANTEE ", a.privilege_type, a.is_grantable, false"
	" FROM o, aclexplode(o.acl) a WHERE NOT EXISTS (SELECT 1 FROM aclexplode(o.def) x WHERE " SAME_ENTRY ")"
	" UNION ALL"
	" SELECT o.objtype, o.schema, o.name, o.sub, o.key, " GRANTEE ", a.privilege_type, a.is_grantable, true"
	" FROM o, aclexplode(o.def) a WHERE NOT EXISTS (SELECT 1 FROM aclexplode(o.acl) x WHERE " SAME_ENTRY ")";

/* Global defaults count as what they add to or take from the built-in ones; per-schema ones add. */
#define DEFACL_BUILTIN "acldefault(CASE WHEN d.defaclobjtype = 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)"
static const char q_default_grants[] =
	"SELECT pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype, " GRANTEE ","
	" a.privilege_type, a.is_grantable, false"
	" FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,"
	" aclexplode(d.defaclacl) a"
	" WHERE d.defaclnamespace <> 0 OR NOT EXISTS (SELECT 1 FROM aclexplode(" DEFACL_BUILTIN ") x WHERE " SAME_ENTRY ")"
	" UNION ALL"
	" SELECT pg_catalog.pg_get_userbyid(d.defaclrole), NULL, d.defaclobjtype, " GRANTEE ","
	" a.privilege_type, a.is_grantable, true"
	" FROM pg_catalog.pg_default_acl d, aclexplode(" DEFACL_BUILTIN ") a"
	" WHERE d.defaclnamespace = 0"
	" AND NOT EXISTS (SELECT 1 FROM aclexplode(d.defaclacl) x WHERE " SAME_ENTRY ")";

static void load_deps(retort_model *m, const retort_rows *r)
{
	for (size_t i = 0; i < r->nrows; i++)
		retort_model_add_dep(m, CELL(r, i, 0), CELL(r, i, 1));
}

static void load_grants(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		const char *schema = CELL(r, i, 1), *name = CELL(r, i, 2);
		char type = CELL(r, i, 0)[0];

		if (type == 'n' ? !retort__reflect_schema_wanted(opts, name)
			: (type == 'r' || type == 's' || type == 'c') ? !retort__reflect_table_wanted(opts, schema, name)
			: !retort__reflect_schema_wanted(opts, schema))
			continue;
		retort_model_add_grant(m, type, schema, name, CELL(r, i, 3), CELL(r, i, 4), CELL(r, i, 5),
			CELL(r, i, 6), retort__pg_truth(CELL(r, i, 7)), retort__pg_truth(CELL(r, i, 8)));
	}
}

static void load_default_grants(retort_model *m, const retort_rows *r, const retort_reflect_opts *opts)
{
	for (size_t i = 0; i < r->nrows; i++) {
		if (CELL(r, i, 1) && !retort__reflect_schema_wanted(opts, CELL(r, i, 1)))
			continue;
		retort_model_add_default_grant(m, CELL(r, i, 0), CELL(r, i, 1), CELL(r, i, 2)[0], CELL(r, i, 3),
			CELL(r, i, 4), retort__pg_truth(CELL(r, i, 5)), retort__pg_truth(CELL(r, i, 6)));
	}
}

int retort__reflect_pg_deps(retort_model *m, retort_db *db, const retort_reflect_opts *opts)
{
	retort_rows *r = NULL;
	int error;

	if ((error = retort__reflect_query(&r, m, db, q_deps)) < 0)
		goto done;
	load_deps(m, r);
	retort_rows_free(r);
	r = NULL;
	if (!opts->privileges || !retort__reflect_kind_wanted(opts, "privileges"))
		goto done;
	m->has_privileges = true;
	if ((error = retort__reflect_query(&r, m, db, q_grants)) < 0)
		goto done;
	load_grants(m, r, opts);
	retort_rows_free(r);
	r = NULL;
	if ((error = retort__reflect_query(&r, m, db, q_default_grants)) < 0)
		goto done;
	load_default_grants(m, r, opts);
done:
	retort_rows_free(r);
	return error;
}
